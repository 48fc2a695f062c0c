/**
 * Owner-only permissions for files that hold keys and secrets (the profile secret store, the
 * sandbox issuer's signing key and client secret): checked and tightened at every start, with a
 * sentence for the user about what was fixed, since a file copied in or made by an older version
 * may be readable by others.
 */
import { chmod, mkdir, stat } from 'node:fs/promises';

/** POSIX permission bits are meaningless on Windows (ACLs decide there); we neither check nor fix them. */
export const POSIX_MODES = process.platform !== 'win32';

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

/**
 * Makes sure `path` has no permission bits beyond `mode`; returns a sentence describing what was
 * fixed, if anything.
 */
export async function restrictMode(path: string, mode: number): Promise<string | undefined> {
  if (!POSIX_MODES) return undefined;
  const current = (await stat(path)).mode & 0o777;
  if ((current & ~mode) === 0) return undefined;
  await chmod(path, mode);
  return `Permissions of ${path} were ${octal(current)} (readable by others); set to ${octal(mode)} (owner only).`;
}

/** Like restrictMode, for a file that may not exist yet (then there is nothing to fix). */
export async function restrictModeIfPresent(
  path: string,
  mode: number,
): Promise<string | undefined> {
  try {
    return await restrictMode(path, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Creates `dir` if needed (owner-only) and tightens it if it already existed. */
export async function ensurePrivateDir(dir: string): Promise<string | undefined> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return restrictMode(dir, 0o700);
}
