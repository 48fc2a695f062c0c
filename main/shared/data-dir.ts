import { cp, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The data folder's name: the package's, without spaces, easy to type in a terminal. */
const FOLDER = 'mcp-auth-desktop';
/** What Electron named the desktop app's folder (its productName) before the hosts shared one. */
const LEGACY_DESKTOP_FOLDER = 'MCP Auth Desktop';

function configBase(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32' && env.APPDATA) return env.APPDATA;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
}

/**
 * The one folder where the desktop app, `npm run web` and the command line keep profiles,
 * secrets and the sandbox's keys (the Electron host sets it as its userData), so each sees what
 * the others saved. MCP_AUTH_DESKTOP_DATA (or --data-dir) moves it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MCP_AUTH_DESKTOP_DATA || join(configBase(env), FOLDER);
}

/** Electron's default userData for this app, where the desktop app kept its data before. */
export function legacyDesktopDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(configBase(env), LEGACY_DESKTOP_FOLDER);
}

/** What the app itself keeps in the folder (Chromium's caches beside them are not worth moving). */
const OWN_ENTRIES = ['profiles.json', 'secrets', 'issuer'];
export const MOVED_NOTE = 'MOVED.txt';

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * Once: copies what the desktop app kept in its old folder into the shared one, where nothing of
 * the same name exists yet, and leaves a note in the old folder so it is not done again. Copies,
 * not moves: the old folder stays as it was until the person deletes it. Returns a sentence for
 * the user when something was copied or left behind.
 */
export async function adoptLegacyDesktopData(
  dataDir: string,
  legacyDir: string = legacyDesktopDataDir(),
): Promise<string[]> {
  if (legacyDir === dataDir || !(await exists(legacyDir))) return [];
  if (await exists(join(legacyDir, MOVED_NOTE))) return [];
  const copied: string[] = [];
  const kept: string[] = [];
  for (const name of OWN_ENTRIES) {
    if (!(await exists(join(legacyDir, name)))) continue;
    if (await exists(join(dataDir, name))) {
      kept.push(name);
      continue;
    }
    await cp(join(legacyDir, name), join(dataDir, name), {
      recursive: true,
      preserveTimestamps: true,
      errorOnExist: true,
      force: false,
    });
    copied.push(name);
  }
  if (copied.length === 0 && kept.length === 0) return [];
  await writeFile(
    join(legacyDir, MOVED_NOTE),
    `MCP Auth Desktop now keeps its data in ${dataDir}, shared by the desktop app, npm run web and ` +
      `the command line. Copied there: ${copied.join(', ') || 'nothing'}. ` +
      `Not copied because the new folder already had them: ${kept.join(', ') || 'nothing'}. ` +
      'You can delete this folder once you have checked the new one.\n',
  );
  return [
    `MCP Auth Desktop now keeps its data in ${dataDir}, shared by the desktop app, npm run web and the command line.` +
      (copied.length ? ` Copied from ${legacyDir}: ${copied.join(', ')}.` : '') +
      (kept.length
        ? ` Left in ${legacyDir} because ${dataDir} already had them: ${kept.join(', ')}; merge them by hand if you need them.`
        : '') +
      ` ${legacyDir} can be deleted once you have checked.`,
  ];
}

/**
 * The data folder a host uses (`override` from --data-dir), and what the person should be told
 * about it: the one-time copy from the desktop app's old folder, when the default folder is used.
 */
export async function openDataDir(
  override?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ dir: string; notes: string[] }> {
  const dir = override ?? defaultDataDir(env);
  const chosen = override !== undefined || !!env.MCP_AUTH_DESKTOP_DATA;
  return { dir, notes: chosen ? [] : await adoptLegacyDesktopData(dir, legacyDesktopDataDir(env)) };
}
