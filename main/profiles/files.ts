/** Small file helpers shared by the profile and secret stores: atomic writes, owner-only modes, backups. */
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { POSIX_MODES } from '../shared/private-files';
import { dirname } from 'node:path';

/** Runs tasks one after another, so a read-modify-write never interleaves with another. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export const isErrnoException = (error: unknown, code: string): boolean =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === code;

export const errorText = (error: unknown): string =>
  error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);

export { ensurePrivateDir, POSIX_MODES, restrictMode } from '../shared/private-files';

/**
 * Writes the whole file or nothing: a temporary file in the same folder, flushed to disk, then
 * renamed over the target (rename is atomic on one file system). A crash mid-write leaves the old
 * file intact and at worst a stray `*.tmp` beside it.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  mode = 0o600,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (POSIX_MODES) await chmod(temp, mode); // the umask may have taken bits away; never added
    await renameWithRetry(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** On Windows a virus scanner or indexer may hold the target open for a moment. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const transient = code === 'EPERM' || code === 'EBUSY' || code === 'EACCES';
      if (process.platform !== 'win32' || !transient || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/** `<file>.corrupt-<timestamp>`, with a counter if two backups land in the same millisecond. */
async function freeBackupName(file: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const candidate = `${file}.corrupt-${stamp}${n === 0 ? '' : `-${n}`}`;
    try {
      await stat(candidate);
    } catch (error) {
      if (isErrnoException(error, 'ENOENT')) return candidate;
      throw error;
    }
  }
}

/** Moves a damaged file out of the way, keeping its bytes; returns where it went. */
export async function moveAside(file: string): Promise<string> {
  const backup = await freeBackupName(file);
  await rename(file, backup);
  return backup;
}

/** Copies a file that is about to be rewritten without some of its content; returns the copy's path. */
export async function copyAside(file: string): Promise<string> {
  const backup = await freeBackupName(file);
  await copyFile(file, backup);
  if (POSIX_MODES) await chmod(backup, 0o600);
  return backup;
}
