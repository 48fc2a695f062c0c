/** The bundled server's settings on disk, next to the profiles: `<data folder>/server-settings.json`. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorText, isErrnoException, moveAside, writeFileAtomic } from '../profiles/files';
import {
  DEFAULT_SERVER_SETTINGS,
  validateServerSettings,
  type ServerSettings,
} from '../server/settings';

export const serverSettingsPath = (dataDir: string): string =>
  join(dataDir, 'server-settings.json');

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
    const result = validateServerSettings(JSON.parse(text));
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

export async function saveServerSettings(dataDir: string, settings: ServerSettings): Promise<void> {
  await writeFileAtomic(serverSettingsPath(dataDir), `${JSON.stringify(settings, null, 2)}\n`);
}
