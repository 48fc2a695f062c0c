import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { sourcesFingerprint, staleReason } from '../../scripts/build-if-stale.mjs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'build-if-stale-'));
  await mkdir(join(dir, 'renderer/src'), { recursive: true });
  await writeFile(join(dir, 'renderer/src/App.tsx'), 'export const a = 1;');
  await writeFile(join(dir, 'package.json'), '{}');
  for (const output of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    await mkdir(join(dir, output, '..'), { recursive: true });
    await writeFile(join(dir, output), '');
  }
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const stamp = () =>
  writeFile(join(dir, 'out/.sources-fingerprint'), `${sourcesFingerprint(dir)}\n`);

describe('npm run web builds only when sources changed', () => {
  it('builds when out/ is missing a part or has no fingerprint', async () => {
    expect(staleReason(dir)).toBe('the last build left no fingerprint of its sources');
    await rm(join(dir, 'out/renderer/index.html'));
    expect(staleReason(dir)).toBe('out/renderer/index.html is missing');
  });

  it('starts from out/ when nothing changed since the build that left the fingerprint', async () => {
    await stamp();
    expect(staleReason(dir)).toBeUndefined();
  });

  it('builds again after an edit, a new file or a deleted one', async () => {
    await stamp();
    const later = new Date(Date.now() + 5_000);
    await utimes(join(dir, 'renderer/src/App.tsx'), later, later);
    expect(staleReason(dir)).toBe('sources changed since the last build');

    await stamp();
    await writeFile(join(dir, 'renderer/src/New.tsx'), '');
    expect(staleReason(dir)).toBe('sources changed since the last build');

    await stamp();
    await rm(join(dir, 'renderer/src/New.tsx'));
    expect(staleReason(dir)).toBe('sources changed since the last build');
  });
});
