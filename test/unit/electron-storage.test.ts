// The Electron binary cannot be downloaded on this project's machines, so safeStorage is a small
// hand-written fake that really encrypts (AES-256-GCM with a key held in memory, like the OS
// keyring's). The secret stores, the files and the profile store (electron-store) are the real ones.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openWithElectronStore } from '../../main/electron/electron-store';
import {
  createSafeStorageBackend,
  KEYRING_FILE,
  openDesktopProfileStore,
  openDesktopSecretStore,
  probeKeyring,
  type SafeStorageLike,
} from '../../main/electron/storage';
import { sandboxProfiles } from '../../main/profiles/schema';
import { EncryptedSecretStore, secretKeys } from '../../main/profiles/secret-store';
import { FileProfileStore, PROFILES_FORMAT } from '../../main/profiles/store';

// electron-store is real; the `electron` module it imports is a fake of the main process's app
// and ipcMain (test/vitest.config.ts bundles electron-store so that this mock reaches it).
const electronFake = vi.hoisted(() => {
  const channels: string[] = [];
  const module = {
    app: { getPath: () => '/nonexistent-user-data', getVersion: () => '0.1.0' },
    ipcMain: {
      on: (channel: string) => void channels.push(channel),
      removeAllListeners: (channel: string) => void channels.splice(channels.indexOf(channel), 1),
    },
    shell: {},
  };
  return { channels, module };
});
vi.mock('electron', () => ({ ...electronFake.module, default: electronFake.module }));

type Backend = ReturnType<NonNullable<SafeStorageLike['getSelectedStorageBackend']>>;

class FakeSafeStorage implements SafeStorageLike {
  private readonly key = randomBytes(32);
  encrypted = 0;
  constructor(
    private readonly available = true,
    private readonly backend: Backend = 'gnome_libsecret',
  ) {}
  async isAsyncEncryptionAvailable() {
    return this.available;
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
  async encryptStringAsync(plain: string) {
    this.encrypted++;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]);
  }
  async decryptStringAsync(encrypted: Buffer) {
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    const result = Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]);
    return { result: result.toString('utf8'), shouldReEncrypt: false };
  }
}

const SECRET = 'client-secret-value-0123456789';
const TOKENS = JSON.stringify({
  access_token: 'eyJhbGciOiJSUzI1NiJ9.at.sig',
  refresh_token: 'rt-secret',
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'electron-storage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('safeStorage as the encryption backend', () => {
  it('round-trips secrets through EncryptedSecretStore; the file holds ciphertext only', async () => {
    const safeStorage = new FakeSafeStorage();
    const file = join(dir, 'keyring.json');
    const store = new EncryptedSecretStore(createSafeStorageBackend(safeStorage, true), file);
    await store.set(secretKeys.clientSecret('p1'), SECRET);
    await store.set(secretKeys.tokens('p1'), TOKENS);
    expect(await store.get(secretKeys.clientSecret('p1'))).toBe(SECRET);
    expect(await store.get(secretKeys.tokens('p1'))).toBe(TOKENS);
    expect(safeStorage.encrypted).toBe(2);

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('rt-secret');
    expect(text).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    // A second store over the same file (the next launch) reads them back.
    const again = new EncryptedSecretStore(createSafeStorageBackend(safeStorage, true), file);
    expect(await again.get(secretKeys.clientSecret('p1'))).toBe(SECRET);
    await again.delete(secretKeys.clientSecret('p1'));
    expect(await again.get(secretKeys.clientSecret('p1'))).toBeUndefined();
  });

  it('another keyring cannot read them (the data is bound to the OS key)', async () => {
    const file = join(dir, 'keyring.json');
    const problems: string[] = [];
    await new EncryptedSecretStore(createSafeStorageBackend(new FakeSafeStorage(), true), file).set(
      'k',
      SECRET,
    );
    const other = new EncryptedSecretStore(
      createSafeStorageBackend(new FakeSafeStorage(), true),
      file,
      {
        onProblem: (message) => problems.push(message),
      },
    );
    expect(await other.get('k')).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toContain(SECRET);
  });
});

describe('probeKeyring', () => {
  it('uses the keyring on macOS, Windows and Linux with a keyring service', async () => {
    expect(await probeKeyring(new FakeSafeStorage(), 'darwin')).toEqual({ available: true });
    expect(await probeKeyring(new FakeSafeStorage(), 'win32')).toEqual({ available: true });
    expect(await probeKeyring(new FakeSafeStorage(true, 'kwallet6'), 'linux')).toEqual({
      available: true,
    });
  });

  it("treats Linux's basic_text (a built-in password) as no keyring", async () => {
    const probe = await probeKeyring(new FakeSafeStorage(true, 'basic_text'), 'linux');
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(/GNOME Keyring or KWallet/);
  });

  it('treats an unavailable or failing keyring as none', async () => {
    expect((await probeKeyring(new FakeSafeStorage(false), 'darwin')).available).toBe(false);
    const failing = new FakeSafeStorage();
    failing.isAsyncEncryptionAvailable = () => Promise.reject(new Error('dbus'));
    expect((await probeKeyring(failing, 'linux')).available).toBe(false);
  });
});

describe('openDesktopSecretStore', () => {
  it('with a keyring: the OS-keyring store, no warning', async () => {
    const secrets = await openDesktopSecretStore({
      safeStorage: new FakeSafeStorage(),
      platform: 'darwin',
      userData: dir,
      onProblem: () => undefined,
    });
    expect(secrets.store.protection).toBe('os-keyring');
    expect(secrets.warning).toBeUndefined();
    await secrets.store.set('k', SECRET);
    expect(await readFile(join(dir, 'secrets', KEYRING_FILE), 'utf8')).not.toContain(SECRET);
  });

  it('without one: the file store, and a warning that says where and what to do', async () => {
    const safeStorage = new FakeSafeStorage(true, 'basic_text');
    const secrets = await openDesktopSecretStore({
      safeStorage,
      platform: 'linux',
      userData: dir,
      onProblem: () => undefined,
    });
    expect(secrets.store.protection).toBe('file-permissions');
    expect(secrets.warning).toMatch(
      /^Client secrets and tokens are not protected by the system keyring/,
    );
    expect(secrets.warning).toContain(join(dir, 'secrets'));
    expect(secrets.warning).toMatch(/GNOME Keyring or KWallet/);
    await secrets.store.set(secretKeys.clientSecret('p1'), SECRET);
    expect(await secrets.store.get(secretKeys.clientSecret('p1'))).toBe(SECRET);
    expect(safeStorage.encrypted).toBe(0);
    expect(await readFile(join(dir, 'secrets', 'secrets.json'), 'utf8')).not.toContain(SECRET);
  });
});

describe('openDesktopProfileStore', () => {
  it('keeps profiles in userData/profiles.json with electron-store, in the format web and the CLI read', async () => {
    const problems: string[] = [];
    const store = openDesktopProfileStore({
      userData: dir,
      onProblem: (message) => problems.push(message),
      open: openWithElectronStore,
    });
    const [profile] = sandboxProfiles({
      mcpUrl: 'http://localhost:3001/mcp',
      issuer: 'http://127.0.0.1:3100/oidc',
    });
    if (!profile) throw new Error('no sandbox profile');
    await store.save(profile);
    expect(await store.get(profile.id)).toEqual(profile);
    expect(JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8'))).toEqual({
      profiles: [profile],
      __internal__: { migrations: { version: PROFILES_FORMAT } },
    });
    // The web host and the CLI open the same file with conf and see the same profile.
    expect(await new FileProfileStore(join(dir, 'profiles.json')).list()).toEqual([profile]);
    // electron-store's channel for renderer-side stores (no sender check) is not left open.
    expect(electronFake.channels).toEqual([]);

    // A damaged file is still backed up and reported, not silently emptied by electron-store.
    await writeFile(join(dir, 'profiles.json'), '{"profiles": [');
    expect(await store.list()).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /could not be used because it is not valid JSON .* It was moved to /,
    );
  });
});
