import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EncryptedSecretStore,
  FileSecretStore,
  MemorySecretStore,
  SecretStoreUnavailableError,
  secretKeys,
  type EncryptionBackend,
} from '../../main/profiles/secret-store';

const SECRET = 'sk-super-secret-value-8c1f';
const posix = process.platform !== 'win32';
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'secret-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every byte under `folder`, to check that a secret never reaches the disk in the clear. */
async function allBytes(folder: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) chunks.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(chunks);
}

function expectNotOnDisk(bytes: Buffer, secret: string) {
  expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
  expect(bytes.includes(Buffer.from(Buffer.from(secret).toString('base64')))).toBe(false);
  expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
}

describe('secretKeys', () => {
  it('names secrets per profile', () => {
    expect(secretKeys.clientSecret('sandbox-third-party')).toBe(
      'profile/sandbox-third-party/client-secret',
    );
    expect(secretKeys.tokens('p1')).toBe('profile/p1/tokens');
  });
});

describe('MemorySecretStore', () => {
  it('keeps values in memory only', async () => {
    const store = new MemorySecretStore();
    expect(store.protection).toBe('memory');
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', SECRET);
    expect(await store.get('k')).toBe(SECRET);
    await store.delete('k');
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    await expect(store.set('', 'x')).rejects.toThrow(/non-empty string/);
  });
});

describe('FileSecretStore', () => {
  it('round-trips, persists across opens, and deletes', async () => {
    const dir = join(root, 'secrets');
    const store = await FileSecretStore.open(dir);
    expect(store.protection).toBe('file-permissions');
    await store.set(secretKeys.clientSecret('p1'), SECRET);
    await store.set(secretKeys.tokens('p1'), JSON.stringify({ access_token: 'at-123' }));
    expect(await store.get(secretKeys.clientSecret('p1'))).toBe(SECRET);

    const again = await FileSecretStore.open(dir);
    expect(await again.get(secretKeys.clientSecret('p1'))).toBe(SECRET);
    expect(JSON.parse((await again.get(secretKeys.tokens('p1'))) ?? '')).toEqual({
      access_token: 'at-123',
    });
    await again.delete(secretKeys.clientSecret('p1'));
    await again.delete('never-set');
    expect(await again.get(secretKeys.clientSecret('p1'))).toBeUndefined();
    expect(await again.get(secretKeys.tokens('p1'))).toBeDefined();
  });

  it('never writes a value in plaintext', async () => {
    const dir = join(root, 'secrets');
    const store = await FileSecretStore.open(dir);
    await store.set(secretKeys.clientSecret('p1'), SECRET);
    await store.set('unicode', 'päss wörd ✓');
    expectNotOnDisk(await allBytes(dir), SECRET);
    expectNotOnDisk(await allBytes(dir), 'päss wörd');
    const file = JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8'));
    expect(Object.keys(file.entries)).toEqual(['profile/p1/client-secret', 'unicode']);
  });

  it.runIf(posix)('keeps the folder 0700 and its files 0600', async () => {
    const dir = join(root, 'secrets');
    const store = await FileSecretStore.open(dir);
    await store.set('k', SECRET);
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(join(dir, 'secrets.json'))).toBe(0o600);
    expect(await modeOf(join(dir, 'secrets.key'))).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(['secrets.json', 'secrets.key']);
  });

  it.runIf(posix)('tightens loose permissions when it opens, and says so', async () => {
    const dir = join(root, 'secrets');
    await (await FileSecretStore.open(dir)).set('k', SECRET);
    await chmod(dir, 0o755);
    await chmod(join(dir, 'secrets.json'), 0o644);
    await chmod(join(dir, 'secrets.key'), 0o666);

    const problems: string[] = [];
    const store = await FileSecretStore.open(dir, { onProblem: (m) => problems.push(m) });
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(join(dir, 'secrets.json'))).toBe(0o600);
    expect(await modeOf(join(dir, 'secrets.key'))).toBe(0o600);
    expect(problems).toEqual([
      `Permissions of ${dir} were 0755 (readable by others); set to 0700 (owner only).`,
      `Permissions of ${join(dir, 'secrets.json')} were 0644 (readable by others); set to 0600 (owner only).`,
      `Permissions of ${join(dir, 'secrets.key')} were 0666 (readable by others); set to 0600 (owner only).`,
    ]);
    expect(await store.get('k')).toBe(SECRET);
  });

  it('binds each value to its key name: a value moved to another key does not decrypt', async () => {
    const dir = join(root, 'secrets');
    await (await FileSecretStore.open(dir)).set('a', SECRET);
    const path = join(dir, 'secrets.json');
    const data = JSON.parse(await readFile(path, 'utf8'));
    data.entries.b = data.entries.a;
    await writeFile(path, JSON.stringify(data));

    const problems: string[] = [];
    const store = await FileSecretStore.open(dir, { onProblem: (m) => problems.push(m) });
    expect(await store.get('a')).toBe(SECRET);
    expect(await store.get('b')).toBeUndefined();
    expect(problems).toEqual([
      `The stored secret "b" in ${path} could not be decrypted (the file or its key was changed) and was ignored. Enter it again.`,
    ]);
  });

  it('moves a damaged secrets file aside and starts empty', async () => {
    const dir = join(root, 'secrets');
    await (await FileSecretStore.open(dir)).set('k', SECRET);
    await writeFile(join(dir, 'secrets.json'), 'not json');
    const problems: string[] = [];
    const store = await FileSecretStore.open(dir, { onProblem: (m) => problems.push(m) });
    expect(await store.get('k')).toBeUndefined();
    expect(problems[0]).toMatch(
      /^The secrets file .*secrets\.json was damaged and was moved to .*secrets\.json\.corrupt-/,
    );
    const backup = (await readdir(dir)).find((name) => name.startsWith('secrets.json.corrupt-'));
    expect(await readFile(join(dir, backup ?? ''), 'utf8')).toBe('not json');
    await store.set('k', SECRET);
    expect(await store.get('k')).toBe(SECRET);
  });

  it('sets undecryptable secrets aside when the key file is lost', async () => {
    const dir = join(root, 'secrets');
    await (await FileSecretStore.open(dir)).set('k', SECRET);
    await rm(join(dir, 'secrets.key'));
    const problems: string[] = [];
    const store = await FileSecretStore.open(dir, { onProblem: (m) => problems.push(m) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /key file .* was missing, so the stored secrets cannot be decrypted/,
    );
    expect(await store.get('k')).toBeUndefined();
  });
});

/**
 * An in-test stand-in for Electron's safeStorage: AES-256-GCM under a key that lives only in this
 * process's memory, as an OS keyring's key lives outside the app's files. It is not a keyring, but
 * it is a real cipher, so "the file holds only ciphertext" is tested honestly.
 */
class InMemoryKeyringBackend implements EncryptionBackend {
  private readonly key = randomBytes(32);
  available = true;

  isEncryptionAvailable(): boolean {
    return this.available;
  }

  async encryptString(plain: string): Promise<Buffer> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]);
  }

  async decryptString(blob: Buffer): Promise<string> {
    const decipher = createDecipheriv('aes-256-gcm', this.key, blob.subarray(0, 12));
    decipher.setAuthTag(blob.subarray(12, 28));
    return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
  }
}

describe('EncryptedSecretStore', () => {
  it('round-trips through the backend and writes only ciphertext', async () => {
    const backend = new InMemoryKeyringBackend();
    const file = join(root, 'userData', 'secrets.json');
    const store = new EncryptedSecretStore(backend, file);
    expect(store.protection).toBe('os-keyring');
    await store.set(secretKeys.clientSecret('p1'), SECRET);
    await store.set(secretKeys.tokens('p1'), `{"refresh_token":"${SECRET}-rt"}`);

    expectNotOnDisk(await allBytes(root), SECRET);
    expect(await new EncryptedSecretStore(backend, file).get(secretKeys.clientSecret('p1'))).toBe(
      SECRET,
    );
    if (posix) {
      expect(await modeOf(file)).toBe(0o600);
      expect(await modeOf(join(root, 'userData'))).toBe(0o700);
    }
    await store.delete(secretKeys.clientSecret('p1'));
    expect(await store.get(secretKeys.clientSecret('p1'))).toBeUndefined();
    expect(await store.get(secretKeys.tokens('p1'))).toBe(`{"refresh_token":"${SECRET}-rt"}`);
  });

  it('refuses to save when the keyring is unavailable, and writes nothing', async () => {
    const backend = new InMemoryKeyringBackend();
    backend.available = false;
    const file = join(root, 'secrets.json');
    const store = new EncryptedSecretStore(backend, file);
    await expect(store.set('k', SECRET)).rejects.toBeInstanceOf(SecretStoreUnavailableError);
    await expect(store.set('k', SECRET)).rejects.toThrow(
      /system keyring is not available, so the secret could not be saved/,
    );
    expect(await readdir(root)).toEqual([]);
  });

  it('reports a value another keyring encrypted, instead of failing the caller', async () => {
    const file = join(root, 'secrets.json');
    await new EncryptedSecretStore(new InMemoryKeyringBackend(), file).set('k', SECRET);
    const problems: string[] = [];
    const other = new EncryptedSecretStore(new InMemoryKeyringBackend(), file, {
      onProblem: (m) => problems.push(m),
    });
    expect(await other.get('k')).toBeUndefined();
    expect(problems[0]).toMatch(
      /^The stored secret "k" could not be decrypted by the system keyring/,
    );
  });
});
