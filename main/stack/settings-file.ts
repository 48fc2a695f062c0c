/**
 * The bundled server's settings on disk, next to the profiles: `<data folder>/server-settings.json`,
 * kept with conf like the profiles (electron-store in the desktop app), so every host reads the
 * file the same way: a schema for its outline, a format version for migrations, atomic owner-only
 * writes. Its fields are the settings themselves, validated with zod on every read.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Options as ConfOptions } from 'conf';
import { errorText, isErrnoException, moveAside } from '../profiles/files';
import { openWithConf, type OpenStoreFile } from '../profiles/store';
import {
  DEFAULT_SERVER_SETTINGS,
  validateServerSettings,
  type ServerSettings,
} from '../server/settings';

export const serverSettingsPath = (dataDir: string): string =>
  join(dataDir, 'server-settings.json');

/** The file's format, as conf's `projectVersion`: raise it with a migration when it changes. */
export const SERVER_SETTINGS_FORMAT = '1.0.0';

type SettingsFile = Record<string, unknown>;

/** conf's `__internal__` (migration bookkeeping) is not a setting. */
const INTERNAL_KEY = '__internal__';

function settingsFileOptions(file: string): ConfOptions<SettingsFile> {
  return {
    cwd: dirname(file),
    configName: basename(file, extname(file)),
    fileExtension: extname(file).slice(1),
    projectVersion: SERVER_SETTINGS_FORMAT,
    migrations: {},
    // The settings are checked with zod (settings.ts) on every read; this guards the outline.
    schema: { issuer: { type: 'string' }, resource: { type: 'string' } },
    // A damaged file must not be silently emptied: it is moved aside and reported (below).
    clearInvalidConfig: false,
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false,
  };
}

/**
 * The saved settings, or the defaults (the sandbox) when there are none. A file that cannot be
 * read as settings is moved aside, never silently overwritten, and the caller is told where.
 */
export async function loadServerSettings(
  dataDir: string,
  onProblem: (message: string) => void = () => undefined,
): Promise<ServerSettings> {
  const file = serverSettingsPath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoException(error, 'ENOENT')) return DEFAULT_SERVER_SETTINGS;
    onProblem(
      `The server settings in ${file} could not be read (${errorText(error)}); using the defaults.`,
    );
    return DEFAULT_SERVER_SETTINGS;
  }
  let why: string;
  try {
    const fields = JSON.parse(text) as SettingsFile;
    delete fields[INTERNAL_KEY];
    const result = validateServerSettings(fields);
    if (result.ok) return result.settings;
    why = result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  } catch {
    why = 'not JSON';
  }
  const backup = await moveAside(file);
  onProblem(
    `The server settings in ${file} were not valid (${why}); they were moved to ${backup} and the server trusts the sandbox issuer again.`,
  );
  return DEFAULT_SERVER_SETTINGS;
}

export async function saveServerSettings(
  dataDir: string,
  settings: ServerSettings,
  open: OpenStoreFile = openWithConf,
): Promise<void> {
  // Replaces every field (conf keeps its own bookkeeping); a setting left out is not kept.
  open(settingsFileOptions(serverSettingsPath(dataDir))).store = { ...settings };
}
