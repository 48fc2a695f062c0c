/**
 * The custom scheme (RFC 8252 §7.1 private-use URI scheme): one running instance owns it, and
 * every link the operating system hands over reaches the RedirectReceiver.
 * - Windows and Linux start a second instance with the link somewhere in its argv; the lock makes
 *   it quit at once and Electron passes its argv to us (`second-instance`).
 * - macOS delivers the URL to the running app (`open-url`), also at launch.
 * - A link that starts the app (Windows, Linux) is in our own argv.
 */
import { resolve } from 'node:path';
import { parseDeepLink } from '../client/redirect/deep-link';
import type { DeliveryResult, RedirectSource } from '../client/redirect/receiver';
import { APP_POST_LOGOUT_REDIRECT_URI, APP_SCHEME } from '../shared/app-identity';
import type { HostLog } from './log';

/** The parts of Electron's `app` this module uses (the real one, or a test's fake). */
export interface DeepLinkApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
  on(
    event: 'open-url',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): unknown;
  on(
    event: 'second-instance',
    listener: (event: unknown, argv: string[], workingDirectory: string) => void,
  ): unknown;
}

export interface FocusableWindow {
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/**
 * True when this is the only instance; otherwise quits (the running one gets our argv through
 * its `second-instance` event) and returns false: the caller then wires nothing else.
 */
export function claimSingleInstance(
  app: Pick<DeepLinkApp, 'requestSingleInstanceLock' | 'quit'>,
): boolean {
  if (app.requestSingleInstanceLock()) return true;
  app.quit();
  return false;
}

/**
 * Makes the OS open our links with this app. Unpackaged (`electron .` or electron-vite), the
 * executable is Electron itself, so the script path must be registered with it; a packaged app
 * is registered by its installer too (electron-builder `protocols`), and registering again here
 * covers builds without an installer (AppImage, zip).
 */
export function registerProtocolClient(opts: {
  app: Pick<DeepLinkApp, 'setAsDefaultProtocolClient'>;
  scheme: string;
  process: { defaultApp?: boolean; execPath: string; argv: readonly string[] };
  log: HostLog;
}): boolean {
  const { app, scheme, process: proc } = opts;
  const script = proc.argv[1];
  const registered =
    proc.defaultApp && script !== undefined
      ? app.setAsDefaultProtocolClient(scheme, proc.execPath, [resolve(script)])
      : app.setAsDefaultProtocolClient(scheme);
  if (!registered) {
    opts.log.warn(
      `Could not register MCP Auth Desktop as the handler of ${scheme}: links; sign-ins with the ` +
        'custom-scheme redirect will not come back to the app. Use the loopback redirect mode instead.',
    );
  }
  return registered;
}

const SIGNED_OUT = new URL(APP_POST_LOGOUT_REDIRECT_URI);

/** The end-session return (`…:/oauth/signed-out`) is not an authorization response. */
function isSignedOutLink(href: string): boolean {
  const url = new URL(href);
  return url.protocol === SIGNED_OUT.protocol && url.pathname === SIGNED_OUT.pathname;
}

export function focusWindow(window: FocusableWindow | undefined): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

export interface DeepLinkRouting {
  /** Routes an argv (Windows/Linux) or a URL (macOS); ignores anything that is not our link. */
  route(argvOrUrl: readonly string[] | string): DeliveryResult | undefined;
}

/**
 * Wires `open-url` and `second-instance` (register before the app is ready: macOS sends the
 * launching link early) and routes the initial argv. Our links go to the receiver and bring the
 * window forward; other schemes are ignored and logged; a second instance without a link just
 * focuses the window.
 */
export function registerDeepLinks(opts: {
  app: Pick<DeepLinkApp, 'on'>;
  receiver: { deliver(url: string, source: RedirectSource): DeliveryResult };
  getWindow: () => FocusableWindow | undefined;
  log: HostLog;
  /** process.argv, for a link that started the app. */
  initialArgv?: readonly string[];
}): DeepLinkRouting {
  const route = (input: readonly string[] | string): DeliveryResult | undefined => {
    const parsed = parseDeepLink(input);
    if (!parsed.ok) {
      // A normal launch or second start has no link: nothing to say about that.
      const hadLink =
        typeof input === 'string' ||
        input.some(
          (arg) => typeof arg === 'string' && arg.toLowerCase().includes(`${APP_SCHEME}:`),
        );
      if (hadLink) opts.log.warn(parsed.reason);
      return undefined;
    }
    focusWindow(opts.getWindow());
    if (isSignedOutLink(parsed.url)) return undefined;
    return opts.receiver.deliver(parsed.url, 'deep-link');
  };

  opts.app.on('open-url', (event, url) => {
    event.preventDefault();
    route(url);
  });
  opts.app.on('second-instance', (_event, argv) => {
    focusWindow(opts.getWindow());
    route(Array.isArray(argv) ? argv : []);
  });
  if (opts.initialArgv) route(opts.initialArgv);
  return { route };
}
