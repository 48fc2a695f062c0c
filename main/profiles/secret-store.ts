/**
 * Client secrets and tokens never live in a profile; they go through a SecretStore. Three
 * backings, each honest about what it protects against (`protection`):
 *
 * - `EncryptedSecretStore` ('os-keyring'): values encrypted by an EncryptionBackend that the
 *   Electron host feeds with `safeStorage` (Keychain, DPAPI, libsecret/kwallet). The best we have.
 * - `FileSecretStore` ('file-permissions'): for hosts without a keyring (web, CLI). See its comment
 *   for what that does and does not protect.
 * - `MemorySecretStore` ('memory'): nothing on disk; secrets are gone when the process ends.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import {
  ensurePrivateDir,
  errorText,
  isErrnoException,
  moveAside,
  restrictMode,
  SerialQueue,
  writeFileAtomic,
} from './files';

export type SecretProtection = 'os-keyring' | 'file-permissions' | 'memory';

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Deleting a key that is not there is not an error. */
  delete(key: string): Promise<void>;
  readonly protection: SecretProtection;
}

/** One naming scheme for every secret, so a removed profile's secrets can be found and deleted. */
export const secretKeys = {
  clientSecret: (profileId: string): string => `profile/${profileId}/client-secret`,
  tokens: (profileId: string): string => `profile/${profileId}/tokens`,
} as const;

export class SecretStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretStoreError';
  }
}

/** The OS keyring cannot encrypt right now; nothing was written (we never fall back to plaintext). */
export class SecretStoreUnavailableError extends SecretStoreError {
  constructor(action: string) {
    super(
      `The system keyring is not available, so the secret could not be ${action}. ` +
        'On Linux, unlock or install a keyring (GNOME Keyring or KWallet) and restart the app; ' +
        'or sign in again without saving secrets.',
    );
    this.name = 'SecretStoreUnavailableError';
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(
      'A secret key must be a non-empty string, e.g. secretKeys.tokens(profileId).',
    );
  }
}

function checkValue(value: string): void {
  if (typeof value !== 'string') throw new TypeError('A secret value must be a string.');
}

// ---------------------------------------------------------------------------------------------

export class MemorySecretStore implements SecretStore {
  readonly protection = 'memory' as const;
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    checkKey(key);
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    checkKey(key);
    checkValue(value);
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    this.values.delete(key);
  }
}

// ---------------------------------------------------------------------------------------------

const SECRETS_FILE = 'secrets.json';
const KEY_FILE = 'secrets.key';
const KEY_BYTES = 32;

const EncryptedEntry = z.object({ iv: z.string(), tag: z.string(), data: z.string() });
/**
 * Reads a secrets file's `entries`. A missing file is empty; a damaged one is moved aside with a
 * message (the user re-enters secrets) rather than failing every later read.
 */
async function readEntriesFile<T extends Record<string, unknown>>(
  file: string,
  schema: z.ZodType<{ entries: T }>,
  onProblem: (message: string) => void,
): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoException(error, 'ENOENT')) return {} as T;
    throw new SecretStoreError(
      `Secrets could not be read from ${file} (${errorText(error)}). Check its permissions.`,
      { cause: error },
    );
  }
  let parsed: z.ZodSafeParseResult<{ entries: T }> | undefined;
  try {
    parsed = schema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (parsed?.success) return { ...parsed.data.entries };
  const backup = await moveAside(file);
  onProblem(
    `The secrets file ${file} was damaged and was moved to ${backup}; starting with no ` +
      'stored secrets. Enter client secrets again and sign in again.',
  );
  return {} as T;
}

const FileSecretsSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), EncryptedEntry),
});
type FileEntries = Record<string, z.infer<typeof EncryptedEntry>>;

/** The entry's name is authenticated with it, so a value cannot be moved to another key unnoticed. */
const aad = (key: string) => Buffer.from(`mcp-auth-desktop/secret/${key}`, 'utf8');

/**
 * Secrets in `<dir>/secrets.json` (mode 0600, folder 0700), each value encrypted with AES-256-GCM
 * under a random key kept in `<dir>/secrets.key` (0600).
 *
 * Be clear about what this is: the key sits next to the data, readable by the same user, so
 * anyone or anything running as that user (or reading their disk) can decrypt everything. It only
 * guards against casual disclosure: a `grep` or `cat` over the folder, a screen share, a backup or
 * sync of the secrets file alone, or pasting it into a bug report. Hosts with an OS keyring use
 * EncryptedSecretStore instead, and the UI shows `protection` so the user knows which one is in use.
 * File modes are checked and tightened on every open; Windows ignores POSIX modes (its per-user
 * profile ACLs apply instead).
 */
export class FileSecretStore implements SecretStore {
  readonly protection = 'file-permissions' as const;
  private readonly queue = new SerialQueue();

  private constructor(
    readonly file: string,
    readonly keyFile: string,
    private readonly key: Buffer,
    private readonly onProblem: (message: string) => void,
  ) {}

  static async open(
    dir: string,
    opts: { onProblem?: (message: string) => void } = {},
  ): Promise<FileSecretStore> {
    const onProblem = opts.onProblem ?? (() => undefined);
    const file = join(dir, SECRETS_FILE);
    const keyFile = join(dir, KEY_FILE);

    const report = (message: string | undefined) => message && onProblem(message);
    report(await ensurePrivateDir(dir));
    for (const path of [file, keyFile]) {
      try {
        report(await restrictMode(path, 0o600));
      } catch (error) {
        if (!isErrnoException(error, 'ENOENT')) throw error;
      }
    }

    let key = await readKeyFile(keyFile);
    if (key === 'invalid') {
      const keyBackup = await moveAside(keyFile);
      const dataBackup = await moveAsideIfPresent(file);
      onProblem(
        `The secrets key file ${keyFile} was damaged and was moved to ${keyBackup}` +
          (dataBackup ? `; the secrets it protected were moved to ${dataBackup}` : '') +
          '. Enter client secrets again and sign in again.',
      );
      key = undefined;
    }
    if (key === undefined) {
      const dataBackup = await moveAsideIfPresent(file);
      if (dataBackup) {
        onProblem(
          `The secrets key file ${keyFile} was missing, so the stored secrets cannot be decrypted; ` +
            `they were moved to ${dataBackup}. Enter client secrets again and sign in again.`,
        );
      }
      key = await createKeyFile(keyFile);
    }
    return new FileSecretStore(file, keyFile, key, onProblem);
  }

  get(key: string): Promise<string | undefined> {
    checkKey(key);
    return this.queue.run(async () => {
      const entry = (await this.read())[key];
      if (!entry) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(entry.iv, 'base64'));
        decipher.setAAD(aad(key));
        decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
        return Buffer.concat([
          decipher.update(Buffer.from(entry.data, 'base64')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        this.onProblem(
          `The stored secret "${key}" in ${this.file} could not be decrypted (the file or its key ` +
            'was changed) and was ignored. Enter it again.',
        );
        return undefined;
      }
    });
  }

  set(key: string, value: string): Promise<void> {
    checkKey(key);
    checkValue(value);
    return this.queue.run(async () => {
      const entries = await this.read();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      cipher.setAAD(aad(key));
      const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      entries[key] = {
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
      await this.write(entries);
    });
  }

  delete(key: string): Promise<void> {
    checkKey(key);
    return this.queue.run(async () => {
      const entries = await this.read();
      if (!(key in entries)) return;
      delete entries[key];
      await this.write(entries);
    });
  }

  private read(): Promise<FileEntries> {
    return readEntriesFile(this.file, FileSecretsSchema, this.onProblem);
  }

  private async write(entries: FileEntries): Promise<void> {
    await ensurePrivateDir(dirname(this.file));
    await writeFileAtomic(
      this.file,
      `${JSON.stringify({ version: 1, entries }, null, 2)}\n`,
      0o600,
    );
  }
}

async function readKeyFile(keyFile: string): Promise<Buffer | 'invalid' | undefined> {
  let text: string;
  try {
    text = await readFile(keyFile, 'utf8');
  } catch (error) {
    if (isErrnoException(error, 'ENOENT')) return undefined;
    throw error;
  }
  const key = Buffer.from(text.trim(), 'base64');
  return key.length === KEY_BYTES ? key : 'invalid';
}

async function createKeyFile(keyFile: string): Promise<Buffer> {
  const key = randomBytes(KEY_BYTES);
  try {
    // 'wx': if another process created it first, use theirs rather than overwrite it.
    await writeFile(keyFile, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    return key;
  } catch (error) {
    if (!isErrnoException(error, 'EEXIST')) throw error;
    const existing = await readKeyFile(keyFile);
    if (existing instanceof Buffer) return existing;
    throw new SecretStoreError(
      `The secrets key file ${keyFile} appeared while it was being created and is not valid. ` +
        'Delete it and restart the app.',
    );
  }
}

async function moveAsideIfPresent(file: string): Promise<string | undefined> {
  try {
    return await moveAside(file);
  } catch (error) {
    if (isErrnoException(error, 'ENOENT')) return undefined;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * What the Electron host provides from `safeStorage` (its async API): encryption with a key the
 * operating system keeps (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux).
 */
export interface EncryptionBackend {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Promise<Buffer>;
  decryptString(cipher: Buffer): Promise<string>;
}

const KeyringFileSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), z.string()),
});

/**
 * Secrets in one JSON file (mode 0600; its folder is created 0700 if missing), each value
 * encrypted by the backend. The file
 * holds only ciphertext: without the OS keyring's key it reveals the key names and nothing else.
 * When the backend cannot encrypt, `set` fails with SecretStoreUnavailableError and writes nothing.
 */
export class EncryptedSecretStore implements SecretStore {
  readonly protection = 'os-keyring' as const;
  private readonly queue = new SerialQueue();
  private readonly onProblem: (message: string) => void;

  constructor(
    private readonly backend: EncryptionBackend,
    readonly file: string,
    opts: { onProblem?: (message: string) => void } = {},
  ) {
    this.onProblem = opts.onProblem ?? (() => undefined);
  }

  get(key: string): Promise<string | undefined> {
    checkKey(key);
    return this.queue.run(async () => {
      const cipher = (await this.read())[key];
      if (cipher === undefined) return undefined;
      if (!this.backend.isEncryptionAvailable()) throw new SecretStoreUnavailableError('read');
      try {
        return await this.backend.decryptString(Buffer.from(cipher, 'base64'));
      } catch (error) {
        this.onProblem(
          `The stored secret "${key}" could not be decrypted by the system keyring ` +
            `(${errorText(error)}) and was ignored. Enter it again.`,
        );
        return undefined;
      }
    });
  }

  set(key: string, value: string): Promise<void> {
    checkKey(key);
    checkValue(value);
    return this.queue.run(async () => {
      if (!this.backend.isEncryptionAvailable()) throw new SecretStoreUnavailableError('saved');
      const cipher = await this.backend.encryptString(value);
      const entries = await this.read();
      entries[key] = Buffer.from(cipher).toString('base64');
      await this.write(entries);
    });
  }

  delete(key: string): Promise<void> {
    checkKey(key);
    return this.queue.run(async () => {
      const entries = await this.read();
      if (!(key in entries)) return;
      delete entries[key];
      await this.write(entries);
    });
  }

  private read(): Promise<Record<string, string>> {
    return readEntriesFile(this.file, KeyringFileSchema, this.onProblem);
  }

  private async write(entries: Record<string, string>): Promise<void> {
    // The folder is the host's (e.g. Electron's userData); create it private, never re-mode it.
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(
      this.file,
      `${JSON.stringify({ version: 1, entries }, null, 2)}\n`,
      0o600,
    );
  }
}
