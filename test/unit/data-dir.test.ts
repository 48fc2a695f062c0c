import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  adoptLegacyDesktopData,
  defaultDataDir,
  legacyDesktopDataDir,
  MOVED_NOTE,
  openDataDir,
} from '../../main/shared/data-dir';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'data-dir-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('the data folder', () => {
  it('is one folder for every host, moved by MCP_AUTH_DESKTOP_DATA', () => {
    const env = { XDG_CONFIG_HOME: base, APPDATA: base };
    expect(defaultDataDir(env)).toMatch(/mcp-auth-desktop$/);
    expect(legacyDesktopDataDir(env)).toMatch(/MCP Auth Desktop$/);
    expect(defaultDataDir({ ...env, MCP_AUTH_DESKTOP_DATA: '/elsewhere' })).toBe('/elsewhere');
  });

  it("copies the desktop app's old folder once, keeps what the new one has, and says so", async () => {
    const legacy = join(base, 'MCP Auth Desktop');
    const shared = join(base, 'mcp-auth-desktop');
    await mkdir(join(legacy, 'secrets'), { recursive: true });
    await mkdir(join(legacy, 'GPUCache'), { recursive: true }); // Chromium's: not ours to copy
    await writeFile(join(legacy, 'profiles.json'), '{"profiles":[]}');
    await writeFile(join(legacy, 'secrets', 'keyring.json'), 'ciphertext');
    await mkdir(join(shared, 'issuer'), { recursive: true });
    await mkdir(join(legacy, 'issuer'), { recursive: true });
    await writeFile(join(legacy, 'issuer', 'keys.json'), 'old keys');
    await writeFile(join(shared, 'issuer', 'keys.json'), 'new keys');

    const notes = await adoptLegacyDesktopData(shared, legacy);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`Copied from ${legacy}: profiles.json, secrets.`);
    expect(notes[0]).toContain('already had them: issuer');
    expect(await readFile(join(shared, 'profiles.json'), 'utf8')).toBe('{"profiles":[]}');
    expect(await readFile(join(shared, 'secrets', 'keyring.json'), 'utf8')).toBe('ciphertext');
    expect(await readFile(join(shared, 'issuer', 'keys.json'), 'utf8')).toBe('new keys');
    // The old folder is left as it was, with a note saying where its data went.
    expect(await readFile(join(legacy, 'profiles.json'), 'utf8')).toBe('{"profiles":[]}');
    expect(await readFile(join(legacy, MOVED_NOTE), 'utf8')).toContain(shared);

    // Once: the next start copies nothing and says nothing.
    await writeFile(join(shared, 'profiles.json'), '{"profiles":[{"changed":true}]}');
    expect(await adoptLegacyDesktopData(shared, legacy)).toEqual([]);
    expect(await readFile(join(shared, 'profiles.json'), 'utf8')).toContain('changed');
  });

  it('leaves a folder chosen with --data-dir or MCP_AUTH_DESKTOP_DATA alone', async () => {
    await mkdir(join(base, 'MCP Auth Desktop'), { recursive: true });
    await writeFile(join(base, 'MCP Auth Desktop', 'profiles.json'), '{}');
    const env = { XDG_CONFIG_HOME: base, APPDATA: base };
    expect((await openDataDir(join(base, 'chosen'), env)).notes).toEqual([]);
    expect(
      (await openDataDir(undefined, { ...env, MCP_AUTH_DESKTOP_DATA: join(base, 'x') })).notes,
    ).toEqual([]);
  });
});
