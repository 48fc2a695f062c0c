import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensurePrivateDir, restrictModeIfPresent } from '../shared/private-files';

/** Everything the sandbox issuer persists lives in one folder of the app's data directory. */
export function issuerDataDir(dataDir: string): string {
  return join(dataDir, 'issuer');
}

/**
 * Makes the issuer's folder owner-only (0700) and each of `files` in it owner-only (0600) when
 * they exist: a data folder made by an older version, or copied in, may be readable by others,
 * and these files hold a private signing key and a client secret. Returns one sentence per fix,
 * for the host to show like the secret store's.
 */
export async function protectIssuerData(dataDir: string, files: string[]): Promise<string[]> {
  const notes = [await ensurePrivateDir(issuerDataDir(dataDir))];
  for (const file of files) notes.push(await restrictModeIfPresent(file, 0o600));
  return notes.filter((note): note is string => note !== undefined);
}

/**
 * Returns the file's content, creating it first with `create()` when it does not exist yet.
 * The file is written owner-only (0600: it holds private keys and secrets) and published with
 * link(), which fails if another process created it meanwhile, so two issuers starting at once on
 * the same data directory still end up sharing one key instead of overwriting each other's.
 */
export async function readOrCreate(path: string, create: () => Promise<string>): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const content = await create();
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return await readFile(path, 'utf8');
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}
