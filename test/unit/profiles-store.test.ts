import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseProfile, ProfileValidationError, type Profile } from '../../main/profiles/schema';
import { FileProfileStore, MemoryProfileStore, PROFILES_FORMAT } from '../../main/profiles/store';

const profile = (id: string, extra: Record<string, unknown> = {}): Profile =>
  parseProfile({ id, name: `Profile ${id}`, serverUrl: 'http://localhost:3001/mcp', ...extra });

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'profiles-store-'));
  file = join(dir, 'profiles.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const backupsIn = async (folder: string) =>
  (await readdir(folder)).filter((name) => name.includes('.corrupt-'));

describe('FileProfileStore', () => {
  it('starts empty when there is no file yet', async () => {
    const store = new FileProfileStore(file);
    expect(await store.list()).toEqual([]);
    expect(await store.get('nope')).toBeUndefined();
  });

  it('round-trips profiles through the file, keeping order on update', async () => {
    const a = profile('a', {
      issuer: 'https://t.logto.app/oidc',
      scopes: ['openid', 'urn:logto:scope:organizations'],
      resource: { mode: 'custom', value: 'http://localhost:3001/' },
      extraParams: { login_hint: 'user@example.com' },
      prompt: 'consent',
      refreshTokens: true,
    });
    const b = profile('b', { redirectMode: 'custom-scheme' });
    const writer = new FileProfileStore(file);
    await writer.save(a);
    await writer.save(b);
    await writer.save({ ...a, name: 'Renamed' });

    const reader = new FileProfileStore(file);
    expect(await reader.list()).toEqual([{ ...a, name: 'Renamed' }, b]);
    expect(await reader.get('b')).toEqual(b);

    await reader.remove('a');
    await reader.remove('not-there');
    expect(await new FileProfileStore(file).list()).toEqual([b]);
    // conf's format: the profiles, and the format version its migrations have reached.
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      profiles: [b],
      __internal__: { migrations: { version: PROFILES_FORMAT } },
    });
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('migrates a file written before the store used conf, keeping every profile', async () => {
    const a = profile('a');
    const b = profile('b', { redirectMode: 'custom-scheme' });
    await writeFile(file, JSON.stringify({ version: 1, profiles: [a, b] }, null, 2));
    const problems: string[] = [];
    const store = new FileProfileStore(file, { onProblem: (message) => problems.push(message) });

    expect(await store.list()).toEqual([a, b]);
    expect(problems).toEqual([]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      profiles: [a, b],
      __internal__: { migrations: { version: PROFILES_FORMAT } },
    });
    expect(await backupsIn(dir)).toEqual([]);
  });

  it('refuses to save an invalid profile, with the reasons', async () => {
    const store = new FileProfileStore(file);
    const bad = { ...profile('a'), issuer: 'not a url' };
    await expect(store.save(bad)).rejects.toBeInstanceOf(ProfileValidationError);
    await expect(store.save(bad)).rejects.toThrow(/issuer: Issuer must be an http\(s\) URL/);
    expect(await store.list()).toEqual([]);
  });

  it('writes atomically: the file is replaced by rename, and a reader never sees half a file', async () => {
    const store = new FileProfileStore(file);
    await store.save(profile('first'));
    // Replaced, not rewritten in place: the new file is created while the old one still exists,
    // so it cannot have the old inode.
    const before = await stat(file);
    await store.save(profile('second'));
    if (process.platform !== 'win32') expect((await stat(file)).ino).not.toBe(before.ino);

    // Big enough that a plain in-place write would be observable half-done.
    const big = (i: number) =>
      profile(`p${i}`, {
        extraParams: Object.fromEntries(
          Array.from({ length: 40 }, (_, k) => [`k${k}`, 'x'.repeat(500)]),
        ),
      });
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const text = await readFile(file, 'utf8');
        expect(() => JSON.parse(text)).not.toThrow();
        reads++;
      }
    })();
    for (let i = 0; i < 30; i++) await store.save(big(i));
    writing = false;
    await reader;

    expect(reads).toBeGreaterThan(0);
    expect(await readdir(dir)).toEqual(['profiles.json']); // no temporary files left behind
    expect(await store.list()).toHaveLength(32);
  });

  it('never loses an update when saves run concurrently', async () => {
    const store = new FileProfileStore(file);
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.save(profile(`c${i}`))));
    const ids = (await new FileProfileStore(file).list()).map((p) => p.id).sort();
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `c${i}`).sort());
  });

  it('moves a file that is not JSON aside, keeps its bytes, starts empty and says so', async () => {
    const garbage = '{"version":1,"profiles":[{"id":"a", oops';
    await writeFile(file, garbage);
    const problems: string[] = [];
    const store = new FileProfileStore(file, { onProblem: (message) => problems.push(message) });

    const loaded = await store.load();
    expect(loaded.profiles).toEqual([]);
    expect(loaded.problems).toEqual(problems);
    expect(problems).toHaveLength(1);
    const [backup] = await backupsIn(dir);
    expect(backup).toMatch(/^profiles\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    expect(problems[0]).toBe(
      `The profiles file ${file} could not be used because it is not valid JSON (${(() => {
        try {
          JSON.parse(garbage);
        } catch (error) {
          return (error as Error).message;
        }
        return '';
      })()}). It was moved to ${join(dir, backup ?? '')} and the app starts with no saved profiles; ` +
        'copy entries back from the backup if you need them.',
    );
    expect(await readFile(join(dir, backup ?? ''), 'utf8')).toBe(garbage);

    // The store works again, and the warning does not repeat.
    await store.save(profile('fresh'));
    expect((await store.load()).problems).toEqual([]);
    expect((await store.list()).map((p) => p.id)).toEqual(['fresh']);
    expect(problems).toHaveLength(1);
  });

  it('resets a JSON file of the wrong shape or a newer format the same way', async () => {
    await writeFile(file, '[]');
    const problems: string[] = [];
    const store = new FileProfileStore(file, { onProblem: (message) => problems.push(message) });
    expect(await store.list()).toEqual([]);
    expect(problems[0]).toMatch(
      /it is not a profiles file \(expected \{"profiles": \[\.\.\.\]\}\)/,
    );

    await writeFile(file, JSON.stringify({ version: 7, profiles: [] }));
    expect(await store.list()).toEqual([]);
    expect(problems[1]).toMatch(/written by a newer version of MCP Auth Desktop \(format 7\)/);
    await writeFile(
      file,
      JSON.stringify({ profiles: [], __internal__: { migrations: { version: '9.0.0' } } }),
    );
    expect(await store.list()).toEqual([]);
    expect(problems[2]).toMatch(
      /written by a newer version of MCP Auth Desktop \(format 9\.0\.0\)/,
    );
    expect(await backupsIn(dir)).toHaveLength(3);
  });

  it('drops invalid entries one by one, keeps the good ones and a backup of the original', async () => {
    const good = profile('good');
    const original = JSON.stringify({
      version: 1,
      profiles: [
        good,
        { ...profile('bad'), name: 'Broken one', issuer: 'nope' },
        { ...good, name: 'Duplicate' },
        42,
      ],
    });
    await writeFile(file, original);
    const problems: string[] = [];
    const store = new FileProfileStore(file, { onProblem: (message) => problems.push(message) });

    expect(await store.list()).toEqual([good]);
    const [backup] = await backupsIn(dir);
    const kept = `The original file was kept as ${join(dir, backup ?? '')}.`;
    expect(problems).toEqual([
      'A saved profile was dropped because it is not valid: #2 "Broken one" (issuer: Issuer must be ' +
        `an http(s) URL such as https://your-tenant.logto.app/oidc). ${kept}`,
      `A saved profile was dropped because it is not valid: #3 "Duplicate" (a second profile with id "good"). ${kept}`,
      `A saved profile was dropped because it is not valid: #4 (A profile must be an object of fields). ${kept}`,
    ]);
    expect(await readFile(join(dir, backup ?? ''), 'utf8')).toBe(original);

    // The file now holds only the good entry: the warning is not repeated.
    expect(await new FileProfileStore(file).load()).toEqual({ profiles: [good], problems: [] });
  });
});

describe('MemoryProfileStore', () => {
  it('stores copies, so callers cannot change what is stored behind its back', async () => {
    const store = new MemoryProfileStore([profile('a')]);
    const listed = await store.list();
    listed[0]!.scopes.push('mutated');
    expect((await store.get('a'))?.scopes).toEqual(['openid', 'profile', 'email']);

    await store.save(profile('b'));
    await store.save({ ...profile('a'), name: 'A2' });
    expect((await store.list()).map((p) => [p.id, p.name])).toEqual([
      ['a', 'A2'],
      ['b', 'Profile b'],
    ]);
    await store.remove('a');
    expect((await store.list()).map((p) => p.id)).toEqual(['b']);
    await expect(store.save({ ...profile('c'), scopes: ['bad scope'] })).rejects.toThrow(
      ProfileValidationError,
    );
  });
});
