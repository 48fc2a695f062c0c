// main/index.ts end to end under plain Node. The Electron binary cannot be downloaded on this
// project's machines, so vi.mock replaces the 'electron' module with small hand-written fakes
// (app, BrowserWindow, ipcMain, session, safeStorage, shell, dialog); they are the only mocks.
// Everything behind them is real: the sandbox issuer and MCP server on loopback, the API, the
// stores in a temporary folder, the loopback listener, the RedirectReceiver.
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../main/electron/csp';
import { API_METHODS, IPC_EVENT_CHANNEL, type AppInfo } from '../../preload/api';

const fake = await vi.hoisted(async () => {
  // vi.hoisted runs before the imports above: load what it needs itself.
  const { EventEmitter: Emitter } = await import('node:events');
  type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
  const handlers = new Map<string, Handler>();
  const paths = new Map<string, string>();
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    quits: 0,
    registered: [] as unknown[][],
    requestSingleInstanceLock: () => true,
    setAsDefaultProtocolClient: (...args: unknown[]) => {
      app.registered.push(args);
      return true;
    },
    setPath: (name: string, path: string) => paths.set(name, path),
    getPath: (name: string) => paths.get(name) ?? '/nonexistent',
    getVersion: () => '0.1.0',
    whenReady: () => Promise.resolve(),
    quit: () => {
      app.quits++;
      app.emit('will-quit', { preventDefault: () => undefined });
    },
    exit: () => undefined,
  });
  class WebContents extends Emitter {
    sent: unknown[][] = [];
    openHandler: unknown;
    setWindowOpenHandler(handler: unknown) {
      this.openHandler = handler;
    }
    isDestroyed() {
      return false;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
  }
  class BrowserWindow extends Emitter {
    static all: BrowserWindow[] = [];
    webContents = new WebContents();
    loaded: string[] = [];
    constructor(readonly options: unknown) {
      super();
      app.emit('web-contents-created', {}, this.webContents);
      BrowserWindow.all.push(this);
    }
    focused = 0;
    show() {}
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.focused++;
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
  }
  const session = Object.assign(new Emitter(), {
    headers: undefined as unknown,
    permissionRequest: undefined as unknown,
    webRequest: { onHeadersReceived: (listener: unknown) => (session.headers = listener) },
    setPermissionRequestHandler: (handler: unknown) => (session.permissionRequest = handler),
    setPermissionCheckHandler: () => undefined,
    setDevicePermissionHandler: () => undefined,
  });
  const protocol = {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>) {
      protocol.handlers.set(scheme, handler);
    },
  };
  return {
    app,
    handlers,
    BrowserWindow,
    session,
    protocol,
    opened: [] as string[],
    module: {
      app,
      BrowserWindow,
      protocol,
      ipcMain: {
        // electron-store's channel for renderer-side stores, which the app closes again
        on: () => undefined,
        removeAllListeners: () => undefined,
        handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
        removeHandler: (channel: string) => handlers.delete(channel),
      },
      session: { defaultSession: session },
      // No OS keyring on this machine: the file store and its warning.
      safeStorage: {
        isAsyncEncryptionAvailable: async () => false,
        encryptStringAsync: async () => Buffer.alloc(0),
        decryptStringAsync: async () => ({ result: '', shouldReEncrypt: false }),
        getSelectedStorageBackend: () => 'basic_text',
      },
      shell: { openExternal: async (url: string) => void fake.opened.push(url) },
      dialog: { showErrorBox: (title: string, message: string) => console.error(title, message) },
    },
  };
});

// electron-store imports the module's default export.
vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

const dataDir = mkdtempSync(join(tmpdir(), 'electron-main-'));
const appPage = 'app://renderer/index.html';
const fromApp = { senderFrame: { url: appPage, parent: null } };

async function until<T>(read: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting for the app to start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const call = async (method: string, ...args: unknown[]) => {
  const handler = fake.handlers.get(`api:${method}`);
  if (!handler) throw new Error(`no handler for ${method}`);
  return handler(fromApp, ...args);
};

beforeAll(async () => {
  process.env.MCP_AUTH_DESKTOP_DATA = dataDir;
  await import('../../main/index');
  await until(() => fake.BrowserWindow.all[0]);
});

afterAll(async () => {
  delete process.env.MCP_AUTH_DESKTOP_DATA;
  await rm(dataDir, { recursive: true, force: true });
});

describe('main/index.ts wiring', () => {
  it('claims the scheme and wires the security guards before the window opens', () => {
    expect(fake.app.registered).toEqual([['app.mcpauthdesktop']]);
    expect(fake.app.listenerCount('open-url')).toBe(1);
    expect(fake.app.listenerCount('second-instance')).toBe(1);
    const contents = fake.BrowserWindow.all[0]?.webContents;
    expect(contents?.openHandler).toBeTypeOf('function');
    expect(contents?.listenerCount('will-navigate')).toBe(1);
    expect(contents?.listenerCount('will-attach-webview')).toBe(1);
    expect(fake.session.headers).toBeTypeOf('function');
    let granted: boolean | undefined;
    (fake.session.permissionRequest as (...a: unknown[]) => void)(
      {},
      'media',
      (g: boolean) => (granted = g),
      {
        requestingUrl: appPage,
      },
    );
    expect(granted).toBe(false);
    let headers: unknown;
    (fake.session.headers as (...a: unknown[]) => void)(
      { url: appPage, resourceType: 'mainFrame' },
      (response: unknown) => (headers = response),
    );
    expect(headers).toEqual({
      responseHeaders: { 'Content-Security-Policy': [contentSecurityPolicy()] },
    });
  });

  it('opens the secure window on the app page, served over app:// with its CSP, not file://', async () => {
    const window = fake.BrowserWindow.all[0];
    expect(window?.loaded).toEqual([appPage]);
    expect(fake.protocol.privileged).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
      },
    ]);
    const serve = fake.protocol.handlers.get('app');
    // main/index.ts sits in main/, so its "built renderer" is the renderer/ source folder.
    const page = await serve!(new Request(appPage));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(await page.text()).toContain('<div id="root"></div>');
    expect((await serve!(new Request('app://renderer/../package.json'))).status).toBe(404);
    expect(window?.options).toMatchObject({
      webPreferences: {
        preload: join(import.meta.dirname, '../../preload/index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      },
    });
  });

  it('serves every API method over IPC to the app page only', async () => {
    expect([...fake.handlers.keys()].sort()).toEqual(API_METHODS.map((m) => `api:${m}`).sort());
    const refused = await fake.handlers.get('api:app.info')?.({
      senderFrame: { url: 'https://evil.example/', parent: null },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
  });

  it('reports both redirect modes and the file-permissions fallback', async () => {
    const result = (await call('app.info')) as { ok: true; value: AppInfo };
    expect(result.ok).toBe(true);
    const info = result.value;
    expect(info.host).toBe('desktop');
    expect(info.secretProtection).toBe('file-permissions');
    expect(info.redirects.map((r) => r.mode)).toEqual(['custom-scheme', 'loopback']);
    expect(info.redirects[1]?.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const trace = (await call('trace.get')) as {
      ok: true;
      value: { type: string; message?: string }[];
    };
    expect(
      trace.value.some(
        (e) => e.type === 'note' && /not protected by the system keyring/.test(e.message ?? ''),
      ),
    ).toBe(true);
  });

  it('routes a deep link to the receiver and tells the user about a stale one', async () => {
    fake.app.emit(
      'open-url',
      { preventDefault: () => undefined },
      'app.mcpauthdesktop:/oauth/callback?code=c&state=not-ours',
    );
    const trace = (await call('trace.get')) as {
      ok: true;
      value: { type: string; message?: string }[];
    };
    expect(
      trace.value.some(
        (e) =>
          e.type === 'note' && /does not belong to a sign-in in progress/.test(e.message ?? ''),
      ),
    ).toBe(true);
    expect(fake.BrowserWindow.all[0]?.focused).toBe(1);
    // The trace event also went to the window.
    const sent = fake.BrowserWindow.all[0]?.webContents.sent ?? [];
    expect(sent.some(([channel]) => channel === IPC_EVENT_CHANNEL)).toBe(true);
  });

  it('stops everything on quit', async () => {
    const info = ((await call('app.info')) as { ok: true; value: AppInfo }).value;
    let prevented = false;
    fake.app.emit('will-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await until(() => (fake.app.quits > 0 ? true : undefined));
    await expect(fetch(info.sandbox.mcpUrl)).rejects.toThrow();
  });
});
