/**
 * The sandbox issuer's private signing key and generated client secret are owner-only, whether
 * this start created them or found them left readable by others (an older version, a copied data
 * folder); what was tightened is reported like the secret store's fixes. The desktop host passes
 * the report on to the user.
 */
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDesktopStack } from '../../main/electron/sandbox';
import { startIssuer } from '../../main/issuer';
import { POSIX_MODES } from '../../main/shared/private-files';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'issuer-modes-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;
const paths = () => ({
  folder: join(dataDir, 'issuer'),
  keys: join(dataDir, 'issuer', 'signing-keys.json'),
  secrets: join(dataDir, 'issuer', 'client-secrets.json'),
});

async function loosen() {
  const { folder, keys, secrets } = paths();
  await chmod(folder, 0o755);
  await chmod(keys, 0o644);
  await chmod(secrets, 0o644);
}

describe.skipIf(!POSIX_MODES)('the sandbox issuer key files', () => {
  it('are created owner-only, with nothing to report', async () => {
    const issuer = await startIssuer({ dataDir, port: 0 });
    await issuer.close();
    const { folder, keys, secrets } = paths();
    expect(await mode(folder)).toBe(0o700);
    expect(await mode(keys)).toBe(0o600);
    expect(await mode(secrets)).toBe(0o600);
    expect(issuer.notes).toEqual([]);
  });

  it('are tightened when found readable by others, kept, and reported one by one', async () => {
    await (await startIssuer({ dataDir, port: 0 })).close();
    const { folder, keys, secrets } = paths();
    const keyText = await readFile(keys, 'utf8');
    await loosen();

    const issuer = await startIssuer({ dataDir, port: 0 });
    await issuer.close();
    expect(await mode(folder)).toBe(0o700);
    expect(await mode(keys)).toBe(0o600);
    expect(await mode(secrets)).toBe(0o600);
    expect(await readFile(keys, 'utf8')).toBe(keyText);
    expect(issuer.notes).toEqual([
      `Permissions of ${folder} were 0755 (readable by others); set to 0700 (owner only).`,
      `Permissions of ${keys} were 0644 (readable by others); set to 0600 (owner only).`,
      `Permissions of ${secrets} were 0644 (readable by others); set to 0600 (owner only).`,
    ]);
  });

  it('are reported by the desktop host among its start-up notes', async () => {
    await (await startIssuer({ dataDir, port: 0 })).close();
    await loosen();
    const { stack, notes } = await startDesktopStack({
      dataDir,
      serverPort: 0,
      issuerPort: 0,
    });
    await stack.close();
    expect(notes).toHaveLength(3);
    expect(notes.join('\n')).toContain(`${paths().keys} were 0644`);
  });
});
