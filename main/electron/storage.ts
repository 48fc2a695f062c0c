/**
 * Where the desktop app keeps profiles and secrets, in its userData folder:
 * - profiles: `profiles.json`, kept with electron-store (FileProfileStore over
 *   ./electron-store.ts: validated, migrated, repaired, written atomically);
 * - client secrets and tokens: encrypted by Electron's safeStorage (Keychain, DPAPI,
 *   libsecret/KWallet) in `secrets/keyring.json`; without an OS keyring, the file store in
 *   `secrets/` (key beside the data, owner-only permissions) and a warning the UI shows.
 */
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import {
  EncryptedSecretStore,
  FileSecretStore,
  type EncryptionBackend,
  type SecretStore,
} from '../profiles/secret-store';
import { FileProfileStore, type OpenStoreFile, type ProfileStore } from '../profiles/store';

/** The parts of Electron's safeStorage used here (the real one, or a test's fake). */
export type SafeStorageLike = Pick<
  SafeStorage,
  'encryptStringAsync' | 'decryptStringAsync' | 'isAsyncEncryptionAvailable'
> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/**
 * safeStorage's async API as EncryptedSecretStore's backend. `available` is the answer of the
 * probe at start-up (isAsyncEncryptionAvailable), since the store asks synchronously.
 */
export function createSafeStorageBackend(
  safeStorage: Pick<SafeStorageLike, 'encryptStringAsync' | 'decryptStringAsync'>,
  available: boolean,
): EncryptionBackend {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => safeStorage.encryptStringAsync(plain),
    // `shouldReEncrypt` (the OS rotated its key) is not acted on: the old ciphertext keeps
    // decrypting, and the next save of the same secret writes it under the new key.
    decryptString: async (cipher) => (await safeStorage.decryptStringAsync(cipher)).result,
  };
}

export interface KeyringProbe {
  available: boolean;
  /** Why not, in a sentence for the user, when not available. */
  reason?: string;
}

/**
 * Whether safeStorage protects anything here. On Linux without a keyring service Chromium falls
 * back to "basic_text": it still "encrypts", with a password hard-coded in Chromium, which
 * protects nothing; we treat that as no keyring.
 */
export async function probeKeyring(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
): Promise<KeyringProbe> {
  let available: boolean;
  try {
    // Also starts the async encryptor, after which the Linux backend below is known.
    available = await safeStorage.isAsyncEncryptionAvailable();
  } catch {
    available = false;
  }
  if (
    available &&
    platform === 'linux' &&
    typeof safeStorage.getSelectedStorageBackend === 'function'
  ) {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      return {
        available: false,
        reason:
          backend === 'basic_text'
            ? 'no keyring service (GNOME Keyring or KWallet) was found, and Electron would only obfuscate secrets with a password built into it'
            : 'the keyring in use could not be identified',
      };
    }
  }
  return available
    ? { available }
    : { available, reason: 'the operating system keyring is not available' };
}

export interface DesktopSecrets {
  store: SecretStore;
  /** Set when secrets are not protected by the OS keyring; shown to the user. */
  warning?: string;
}

export const KEYRING_FILE = 'keyring.json';

export async function openDesktopSecretStore(opts: {
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  userData: string;
  onProblem: (message: string) => void;
}): Promise<DesktopSecrets> {
  const dir = join(opts.userData, 'secrets');
  const probe = await probeKeyring(opts.safeStorage, opts.platform);
  if (probe.available) {
    return {
      store: new EncryptedSecretStore(
        createSafeStorageBackend(opts.safeStorage, true),
        join(dir, KEYRING_FILE),
        { onProblem: opts.onProblem },
      ),
    };
  }
  const store = await FileSecretStore.open(dir, { onProblem: opts.onProblem });
  return {
    store,
    warning:
      `Client secrets and tokens are not protected by the system keyring: ${probe.reason}. ` +
      `They are stored in ${dir}, encrypted with a key kept beside them and readable only by your ` +
      'user account, which guards against casual disclosure but not against other programs ' +
      'running as you. On Linux, install and unlock GNOME Keyring or KWallet, then restart the app.',
  };
}

export function openDesktopProfileStore(opts: {
  userData: string;
  onProblem: (message: string) => void;
  /** openWithElectronStore in the app; tests, which cannot load Electron, pass conf's. */
  open: OpenStoreFile;
}): ProfileStore {
  return new FileProfileStore(join(opts.userData, 'profiles.json'), {
    onProblem: opts.onProblem,
    open: opts.open,
  });
}
