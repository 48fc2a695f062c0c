import { spawn } from 'node:child_process';

/** How long an opener may take to fail before it counts as having opened the page. */
const SETTLE_MS = 1500;

/**
 * The commands to try, in order. `BROWSER` (a colon-separated list, as Python's webbrowser and
 * xdg-utils read it; `%s` marks where the URL goes, else it is appended) comes before the
 * platform's opener.
 */
export function browserCommands(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): [string, string[]][] {
  const fromEnv = (env.BROWSER ?? '')
    .split(':')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry): [string, string[]] => {
      const [command, ...args] = entry.split(/\s+/) as [string, ...string[]];
      return args.some((arg) => arg.includes('%s'))
        ? [command, args.map((arg) => arg.replace(/%s/g, url))]
        : [command, [...args, url]];
    });
  const platformOpener: [string, string[]] =
    platform === 'darwin'
      ? ['open', [url]]
      : platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  return [...fromEnv, platformOpener];
}

/**
 * Opens a URL in a browser; resolves true only when a command started and did not fail within
 * a moment (xdg-open without a desktop exits non-zero at once: that is not "opened").
 */
export async function openInBrowser(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  for (const [command, args] of browserCommands(url, env)) {
    if (await tryOpen(command, args)) return true;
  }
  return false;
}

function tryOpen(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, { stdio: 'ignore', detached: true });
    } catch {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => {
      child.unref();
      resolve(true); // still running: a browser that stays open
    }, SETTLE_MS);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}
