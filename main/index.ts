// Electron entry: wiring only. Everything it wires lives in main/electron/ and is unit-tested
// under plain Node with fakes of the Electron objects (test/unit/electron-*.test.ts).
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import { createAppApi, type AppApi } from './api';
import {
  APP_PAGE_PRIVILEGES,
  APP_PAGE_SCHEME,
  createAppPageHandler,
} from './electron/app-protocol';
import { RedirectReceiver, startLoopbackListener, type LoopbackListener } from './client/redirect';
import {
  claimSingleInstance,
  registerDeepLinks,
  registerProtocolClient,
} from './electron/deep-links';
import { createIpcRouter, createSenderCheck, forwardEvents } from './electron/ipc';
import { installShutdown } from './electron/lifecycle';
import { consoleLog } from './electron/log';
import { createOpenExternalGate } from './electron/open-external';
import { isAppUrl, rendererLocation } from './electron/renderer-location';
import { desktopRedirects, startDesktopStack } from './electron/sandbox';
import { secureSession } from './electron/session';
import { openWithElectronStore } from './electron/electron-store';
import { openDesktopProfileStore, openDesktopSecretStore } from './electron/storage';
import { createMainWindow, guardAllWebContents, preloadPath } from './electron/window';
import { APP_SCHEME } from './shared/app-identity';
import { defaultDataDir, openDataDir } from './shared/data-dir';
import type { BundledStack } from './stack';
import { TraceRecorder } from './trace';

const log = consoleLog;
// One data folder for the desktop app, web and the CLI (MCP_AUTH_DESKTOP_DATA moves it).
app.setPath('userData', defaultDataDir());

const recorder = new TraceRecorder();
const note = (level: 'info' | 'warning', message: string) => {
  if (level === 'warning') log.warn(message);
  recorder.record({ type: 'note', level, party: 'client', message });
};
const receiver = new RedirectReceiver({
  onDelivery: (result) => {
    if (result.status === 'rejected') note('warning', `${result.title}: ${result.message}`);
  },
});
const renderer = rendererLocation({
  env: process.env,
  isPackaged: app.isPackaged,
  outMainDir: import.meta.dirname,
  log,
});
const isOurPage = (url: string) => isAppUrl(renderer, url);
const gate = createOpenExternalGate((url) => shell.openExternal(url), { log });

let window: BrowserWindow | undefined;
let api: AppApi | undefined;
let stack: BundledStack | undefined;
let loopback: LoopbackListener | undefined;

async function start(): Promise<void> {
  secureSession(session.defaultSession, { isAppUrl: isOurPage, log });
  if (renderer.kind === 'app') {
    protocol.handle(APP_PAGE_SCHEME, createAppPageHandler({ root: renderer.root }));
  }
  const userData = app.getPath('userData');
  const notices: string[] = [];
  const onProblem = (message: string) => {
    note('warning', message);
    notices.push(message);
  };
  // Once, when the desktop app first uses the folder all hosts share: what was copied there.
  for (const message of (await openDataDir()).notes) onProblem(message);
  const secrets = await openDesktopSecretStore({
    safeStorage,
    platform: process.platform,
    userData,
    onProblem,
  });
  if (secrets.warning) onProblem(secrets.warning);
  const bundled = await startDesktopStack({ dataDir: userData, open: openWithElectronStore });
  stack = bundled.stack;
  for (const message of bundled.notes) onProblem(message);
  loopback = await startLoopbackListener({ receiver });

  api = await createAppApi({
    host: 'desktop',
    version: app.getVersion(),
    stack,
    profiles: openDesktopProfileStore({ userData, onProblem, open: openWithElectronStore }),
    secrets: secrets.store,
    notices,
    recorder,
    receiver,
    redirects: desktopRedirects(loopback.redirectUri),
    openExternal: (url, purpose) => gate.open(url, purpose),
  });
  createIpcRouter({ ipcMain, api, isTrustedSender: createSenderCheck(isOurPage), log });
  forwardEvents(api, () => window?.webContents);

  window = await createMainWindow({
    BrowserWindow,
    preload: preloadPath(import.meta.dirname),
    devTools: !app.isPackaged,
    renderer,
  });
  window.on('closed', () => {
    window = undefined;
  });
}

// Must happen before the app is ready: the page's scheme gets a real, secure origin.
protocol.registerSchemesAsPrivileged([APP_PAGE_PRIVILEGES]);

if (claimSingleInstance(app)) {
  registerProtocolClient({ app, scheme: APP_SCHEME, process, log });
  guardAllWebContents(app, { isAppUrl: isOurPage, gate, log });
  // Before ready: macOS sends the link that launched the app early.
  registerDeepLinks({ app, receiver, getWindow: () => window, log, initialArgv: process.argv });
  const shutdown = installShutdown({
    app,
    log,
    steps: () => [
      { name: 'API', run: () => api?.close() },
      { name: 'sign-in receiver', run: () => receiver.cancelAll('The app is closing.') },
      { name: 'loopback listener', run: () => loopback?.close() },
      { name: 'sandbox issuer and MCP server', run: () => stack?.close() },
    ],
  });
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch(async (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      await shutdown();
      dialog.showErrorBox('MCP Auth Desktop cannot start', message);
      app.exit(1);
    });
}
