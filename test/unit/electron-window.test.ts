// The Electron binary cannot be downloaded on this project's machines, so these tests drive the
// host's modules with small hand-written fakes of Electron's objects (WebContents, app,
// BrowserWindow). They are the only fakes in the suite; test/electron/ runs the real thing when
// a binary exists.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createOpenExternalGate } from '../../main/electron/open-external';
import { isAppUrl, rendererLocation } from '../../main/electron/renderer-location';
import {
  createMainWindow,
  guardAllWebContents,
  lockNavigation,
  mainWindowOptions,
  preloadPath,
  type NavigationEvent,
} from '../../main/electron/window';

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.openHandler = handler;
  }
  navigate(name: string, url: string, isMainFrame = true): boolean {
    let prevented = false;
    const event: NavigationEvent = { url, isMainFrame, preventDefault: () => (prevented = true) };
    this.emit(name, event);
    return prevented;
  }
}

const renderer = rendererLocation({ env: {}, isPackaged: true, outMainDir: '/opt/app/out/main' });
const APP = renderer.url;

function setup() {
  const logged: string[] = [];
  const opened: string[] = [];
  const log = { warn: (message: string) => logged.push(message) };
  const gate = createOpenExternalGate(
    async (url) => {
      opened.push(url);
    },
    { log },
  );
  const contents = new FakeContents();
  lockNavigation(contents, { isAppUrl: (url) => isAppUrl(renderer, url), gate, log });
  return { contents, gate, logged, opened };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('mainWindowOptions', () => {
  it('sets every security flag of the checklist', () => {
    const options = mainWindowOptions({ preload: '/x/preload/index.cjs', devTools: false });
    expect(options.show).toBe(false);
    expect(options.webPreferences).toEqual({
      preload: '/x/preload/index.cjs',
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
      devTools: false,
    });
    expect(mainWindowOptions({ preload: 'p', devTools: true }).webPreferences?.devTools).toBe(true);
  });

  it('points at the CommonJS preload beside the main bundle', () => {
    expect(preloadPath('/opt/app/out/main')).toBe('/opt/app/out/preload/index.cjs');
  });
});

describe('lockNavigation', () => {
  it('blocks navigation, redirects and sub-frame navigation away from the app page', () => {
    const { contents, logged } = setup();
    expect(contents.navigate('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(contents.navigate('will-redirect', 'https://evil.example/next')).toBe(true);
    expect(contents.navigate('will-frame-navigate', 'https://evil.example/frame', false)).toBe(
      true,
    );
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate('will-navigate', 'javascript:alert(1)')).toBe(true);
    expect(logged.filter((line) => line.startsWith('Blocked'))).toHaveLength(5);
  });

  it('lets the app page navigate within itself', () => {
    const { contents, logged } = setup();
    expect(contents.navigate('will-navigate', `${APP}#/profiles`)).toBe(false);
    expect(contents.navigate('will-frame-navigate', APP, false)).toBe(false);
    expect(logged).toEqual([]);
  });

  it('leaves main-frame will-frame-navigate to will-navigate (one decision per navigation)', () => {
    const { contents, logged } = setup();
    expect(contents.navigate('will-frame-navigate', 'https://evil.example/', true)).toBe(false);
    expect(logged).toEqual([]);
  });

  it('denies every new window and opens only allow-listed http(s) URLs in the browser', async () => {
    const { contents, gate, logged, opened } = setup();
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    await flush();
    expect(opened).toEqual([]);

    const signIn = 'https://tenant.logto.app/oidc/auth?client_id=c&state=s';
    await gate.open(signIn, 'sign-in');
    expect(opened).toEqual([signIn]);
    expect(contents.openHandler?.({ url: signIn })).toEqual({ action: 'deny' });
    await flush();
    expect(opened).toEqual([signIn, signIn]);
    expect(logged.some((line) => line.includes('state=s'))).toBe(false);
  });

  it('a link to an allow-listed sign-in page opens in the browser, not in the window', async () => {
    const { contents, gate, opened } = setup();
    const signIn = 'https://tenant.logto.app/oidc/auth?state=abc';
    await gate.open(signIn, 'sign-in');
    expect(contents.navigate('will-navigate', signIn)).toBe(true);
    await flush();
    expect(opened).toEqual([signIn, signIn]);
    // A redirect to it is only blocked.
    expect(contents.navigate('will-redirect', signIn)).toBe(true);
    await flush();
    expect(opened).toHaveLength(2);
  });

  it('never attaches a <webview>', () => {
    const { contents, logged } = setup();
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
    expect(logged).toEqual(['Blocked a <webview>: the app never embeds other pages.']);
  });

  it('guards every web contents the app creates (web-contents-created)', () => {
    const app = new EventEmitter();
    const log = { warn: () => undefined };
    const gate = createOpenExternalGate(async () => undefined, { log });
    guardAllWebContents(app, { isAppUrl: (url) => url === APP, gate, log });
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.openHandler?.({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
    expect(contents.navigate('will-navigate', 'https://x.example/')).toBe(true);
  });
});

describe('createMainWindow', () => {
  class FakeWindow extends EventEmitter {
    static created: FakeWindow[] = [];
    shown = false;
    loaded: string[] = [];
    constructor(readonly options: unknown) {
      super();
      FakeWindow.created.push(this);
    }
    show() {
      this.shown = true;
    }
    async loadURL(url: string) {
      this.loaded.push(`url:${url}`);
    }
  }

  it('loads the built page, with the secure options, and shows it once painted', async () => {
    const window = await createMainWindow({
      BrowserWindow: FakeWindow,
      preload: '/opt/app/out/preload/index.cjs',
      devTools: false,
      renderer,
    });
    expect(window.options).toEqual(
      mainWindowOptions({ preload: '/opt/app/out/preload/index.cjs', devTools: false }),
    );
    expect(window.loaded).toEqual(['url:app://renderer/index.html']);
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('loads the dev server in development', async () => {
    const dev = rendererLocation({
      env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' },
      isPackaged: false,
      outMainDir: '/repo/out/main',
    });
    const window = await createMainWindow({
      BrowserWindow: FakeWindow,
      preload: 'p',
      devTools: true,
      renderer: dev,
    });
    expect(window.loaded).toEqual(['url:http://localhost:5173/']);
  });
});
