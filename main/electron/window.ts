/**
 * The main window and the rules every web contents of the app lives by: isolated, sandboxed, no
 * Node, no navigation away from the app's own page, no new windows, no <webview>.
 */
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import { describeUrl, type HostLog } from './log';
import type { OpenExternalGate } from './open-external';
import type { RendererLocation } from './renderer-location';

/** The renderer is untrusted web content: isolate it, sandbox it, and give it Node nothing. */
export function mainWindowOptions(opts: {
  preload: string;
  /** DevTools only in development. */
  devTools: boolean;
}): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'MCP Auth Desktop',
    show: false,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: opts.devTools,
    },
  };
}

/** out/main/index.js → out/preload/index.cjs (a sandboxed preload must be CommonJS). */
export function preloadPath(outMainDir: string): string {
  return join(outMainDir, '../preload/index.cjs');
}

export interface NavigationEvent {
  preventDefault(): void;
  url: string;
  isMainFrame?: boolean;
}

/** The parts of a WebContents the navigation lock uses (a real one, or a test's fake). */
export interface LockableContents {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate',
    listener: (event: NavigationEvent) => void,
  ): unknown;
  on(
    event: 'will-attach-webview',
    listener: (event: { preventDefault(): void }, ...rest: unknown[]) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface NavigationLockOptions {
  isAppUrl: (url: string) => boolean;
  /** Links to allow-listed sign-in pages go to the system browser; everything else is refused. */
  gate: Pick<OpenExternalGate, 'openIfAllowed'>;
  log: HostLog;
}

/**
 * Navigation stays on the app's own page (will-navigate, will-redirect, will-frame-navigate for
 * sub-frames); window.open and target=_blank are denied. A link the page follows or opens is
 * handed to the gate, which opens it in the system browser only when the API itself asked to open
 * that URL (a sign-in page); anything else is refused and logged. <webview> never attaches.
 */
export function lockNavigation(contents: LockableContents, opts: NavigationLockOptions): void {
  const guard =
    (what: string, { mainFrame, offerBrowser }: { mainFrame: boolean; offerBrowser: boolean }) =>
    (event: NavigationEvent): void => {
      // will-frame-navigate fires for the main frame too; will-navigate already handles that.
      if (!mainFrame && event.isMainFrame !== false) return;
      if (opts.isAppUrl(event.url)) return;
      event.preventDefault();
      opts.log.warn(`Blocked ${what} to ${describeUrl(event.url)}: the window shows only the app.`);
      if (offerBrowser) void opts.gate.openIfAllowed(event.url);
    };
  contents.on('will-navigate', guard('a navigation', { mainFrame: true, offerBrowser: true }));
  contents.on(
    'will-frame-navigate',
    guard('a frame navigation', { mainFrame: false, offerBrowser: false }),
  );
  contents.on('will-redirect', guard('a redirect', { mainFrame: true, offerBrowser: false }));
  contents.setWindowOpenHandler(({ url }) => {
    opts.log.warn(`Denied a new window for ${describeUrl(url)}.`);
    void opts.gate.openIfAllowed(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    opts.log.warn('Blocked a <webview>: the app never embeds other pages.');
  });
}

/** Every web contents the app ever creates gets the lock, whichever code created it. */
export function guardAllWebContents(
  app: {
    on(
      event: 'web-contents-created',
      listener: (event: unknown, contents: LockableContents) => void,
    ): unknown;
  },
  opts: NavigationLockOptions,
): void {
  app.on('web-contents-created', (_event, contents) => lockNavigation(contents, opts));
}

/** What createMainWindow needs of a BrowserWindow instance. */
export interface WindowLike {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

/** Opens the main window on the app's own page; shown once painted, to avoid a white flash. */
export async function createMainWindow<W extends WindowLike>(opts: {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => W;
  preload: string;
  devTools: boolean;
  renderer: RendererLocation;
}): Promise<W> {
  const window = new opts.BrowserWindow(
    mainWindowOptions({ preload: opts.preload, devTools: opts.devTools }),
  );
  window.once('ready-to-show', () => window.show());
  await window.loadURL(opts.renderer.url);
  return window;
}
