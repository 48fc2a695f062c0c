// The Electron binary cannot be downloaded on this project's machines, so the IPC router is
// driven with a small hand-written fake of ipcMain and of the invoke event's senderFrame. Those
// are the only fakes: the API behind it is a plain object implementing the contract's methods.
import { describe, expect, it } from 'vitest';
import {
  createIpcRouter,
  createSenderCheck,
  errorBody,
  forwardEvents,
  UNTRUSTED_SENDER,
  type InvokeEventLike,
} from '../../main/electron/ipc';
import { isAppUrl, rendererLocation } from '../../main/electron/renderer-location';
import {
  API_METHODS,
  buildRequests,
  IPC_EVENT_CHANNEL,
  ipcChannelOf,
  type AppEvent,
} from '../../preload/api';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain {
  handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}

const renderer = rendererLocation({ env: {}, isPackaged: true, outMainDir: '/opt/app/out/main' });
const fromFrame = (url: string, parent: unknown = null): InvokeEventLike => ({
  senderFrame: { url, parent },
});
const APP_FRAME = fromFrame(`${renderer.url}#/`);

class FixableError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function setup() {
  const calls: { method: string; args: unknown[] }[] = [];
  // Every method of the contract, each answering with its own name: the router must reach them all.
  const api = buildRequests(async (method, args) => {
    calls.push({ method, args });
    if (args[0] === 'fail') {
      throw new FixableError(
        'There is no profile fail.',
        'Pick a profile from the list.',
        'not_found',
      );
    }
    if (args[0] === 'crash') throw new TypeError('Cannot read properties of undefined');
    return { method, args };
  });
  const ipcMain = new FakeIpcMain();
  const logged: string[] = [];
  const router = createIpcRouter({
    ipcMain,
    api,
    isTrustedSender: createSenderCheck((url) => isAppUrl(renderer, url)),
    log: { warn: (message) => logged.push(message) },
  });
  const invoke = (method: string, event: InvokeEventLike, ...args: unknown[]) => {
    const handler = ipcMain.handlers.get(`api:${method}`);
    if (!handler) throw new Error(`no handler for ${method}`);
    return handler(event, ...args);
  };
  return { ipcMain, router, invoke, calls, logged };
}

describe('createIpcRouter', () => {
  it('registers one handler per method of the contract, on api:<method>', () => {
    const { ipcMain, router } = setup();
    expect([...ipcMain.handlers.keys()]).toEqual(API_METHODS.map(ipcChannelOf));
    router.dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('answers every method of the contract through its channel', async () => {
    const { invoke } = setup();
    for (const method of API_METHODS) {
      expect(await invoke(method, APP_FRAME, 'p1'), method).toEqual({
        ok: true,
        value: { method, args: ['p1'] },
      });
    }
  });

  it('calls the API for the app page and wraps the value in an envelope', async () => {
    const { invoke, calls } = setup();
    expect(await invoke('session.callTool', APP_FRAME, 'p1', 'whoami', { a: 1 })).toEqual({
      ok: true,
      value: { method: 'session.callTool', args: ['p1', 'whoami', { a: 1 }] },
    });
    expect(calls).toEqual([{ method: 'session.callTool', args: ['p1', 'whoami', { a: 1 }] }]);
  });

  it('turns a thrown error into { message, fix, code } without a stack', async () => {
    const { invoke } = setup();
    const failed = await invoke('session.get', APP_FRAME, 'fail');
    expect(failed).toEqual({
      ok: false,
      error: {
        message: 'There is no profile fail.',
        fix: 'Pick a profile from the list.',
        code: 'not_found',
      },
    });
    const crashed = await invoke('session.get', APP_FRAME, 'crash');
    expect(crashed).toEqual({
      ok: false,
      error: { message: 'Cannot read properties of undefined' },
    });
    expect(JSON.stringify([failed, crashed])).not.toMatch(/stack|at .*\.ts:\d+|node_modules/);
  });

  it.each([
    ['a foreign origin', fromFrame('https://evil.example/')],
    ['the dev server of someone else', fromFrame('http://localhost:5173/')],
    [
      'a file:// page, even the built index.html',
      fromFrame('file:///opt/app/out/renderer/index.html'),
    ],
    ['another page of the app scheme', fromFrame('app://renderer/evil.html')],
    ['the app scheme on another host', fromFrame('app://evil/index.html')],
    ['a sub-frame of the app page', fromFrame(renderer.url, { url: renderer.url })],
    ['a frame that is gone', { senderFrame: null }],
  ])('refuses %s and never calls the API', async (_what, event) => {
    const { invoke, calls, logged } = setup();
    expect(await invoke('profiles.list', event)).toEqual({ ok: false, error: UNTRUSTED_SENDER });
    expect(calls).toEqual([]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^Refused profiles\.list from .*: not the app's own page\.$/);
  });
});

describe('errorBody', () => {
  it('keeps message, fix and code only, and never the stack', () => {
    const error = Object.assign(new Error('boom'), { fix: 'do this', code: 'c', secret: 'x' });
    expect(errorBody(error)).toEqual({ message: 'boom', fix: 'do this', code: 'c' });
    expect(errorBody('plain text')).toEqual({ message: 'plain text' });
    expect(errorBody(undefined)).toEqual({ message: 'Something went wrong in MCP Auth Desktop.' });
    expect(errorBody(new Error(''))).toEqual({
      message: 'Something went wrong in MCP Auth Desktop.',
    });
    expect(errorBody({ message: 42, fix: {} })).toEqual({
      message: 'Something went wrong in MCP Auth Desktop.',
    });
  });
});

describe('forwardEvents', () => {
  it("sends the API's events to the window while it exists", () => {
    let listener: ((event: AppEvent) => void) | undefined;
    const api = {
      subscribe: (l: (event: AppEvent) => void) => {
        listener = l;
        return () => (listener = undefined);
      },
    };
    const sent: [string, AppEvent][] = [];
    let destroyed = false;
    let present = true;
    const contents = {
      isDestroyed: () => destroyed,
      send: (channel: string, event: AppEvent) => sent.push([channel, event]),
    };
    const unsubscribe = forwardEvents(api, () => (present ? contents : undefined));
    listener?.({ type: 'profiles-changed' });
    destroyed = true;
    listener?.({ type: 'profiles-changed' });
    present = false;
    listener?.({ type: 'profiles-changed' });
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, { type: 'profiles-changed' }]]);
    unsubscribe();
    expect(listener).toBeUndefined();
  });
});
