/**
 * Where the app's own page comes from, and the one test every guard uses to recognise it: the
 * electron-vite dev server in development, otherwise `out/renderer/` served at app://renderer/
 * (see app-protocol.ts).
 */
import { join, resolve } from 'node:path';
import { APP_PAGE_HOST, APP_PAGE_SCHEME, APP_PAGE_URL } from './app-protocol';
import type { HostLog } from './log';

export type RendererLocation =
  | { kind: 'dev-server'; url: string; origin: string }
  /** `root` is the built renderer's folder, served by the app:// handler. */
  | { kind: 'app'; root: string; url: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev server URL (ELECTRON_RENDERER_URL, set by `electron-vite dev`) is honoured only in an
 * unpackaged app and only on loopback http(s): otherwise anyone able to set an environment
 * variable could point the privileged window (with the preload's API) at a page of their choice.
 */
export function rendererLocation(opts: {
  env: NodeJS.ProcessEnv;
  isPackaged: boolean;
  /** The folder of the built main bundle (out/main). */
  outMainDir: string;
  log?: HostLog;
}): RendererLocation {
  const dev = opts.env.ELECTRON_RENDERER_URL;
  if (dev && !opts.isPackaged) {
    const url = URL.canParse(dev) ? new URL(dev) : undefined;
    if (url && /^https?:$/.test(url.protocol) && LOOPBACK_HOSTS.has(url.hostname)) {
      return { kind: 'dev-server', url: url.href, origin: url.origin };
    }
    opts.log?.warn(
      'Ignored ELECTRON_RENDERER_URL: the dev server must be an http(s) URL on localhost; loading the built page instead.',
    );
  }
  return { kind: 'app', root: resolve(join(opts.outMainDir, '../renderer')), url: APP_PAGE_URL };
}

/**
 * True for the app's own page only: the dev server's origin, or exactly app://renderer/index.html
 * (any query or fragment). Another file of the app, or a file:// URL, is not the app.
 */
export function isAppUrl(location: RendererLocation, candidate: unknown): boolean {
  if (typeof candidate !== 'string' || !URL.canParse(candidate)) return false;
  const url = new URL(candidate);
  if (location.kind === 'dev-server') return url.origin === location.origin;
  return (
    url.protocol === `${APP_PAGE_SCHEME}:` &&
    url.host === APP_PAGE_HOST &&
    url.pathname === '/index.html' &&
    !url.username &&
    !url.password
  );
}
