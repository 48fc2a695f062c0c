// The preload imports 'electron', whose binary cannot be downloaded on this project's machines:
// vi.mock replaces that one module with small hand-written fakes of contextBridge and
// ipcRenderer. They are the only mocks here; the preload's own code runs as written.
import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  API_METHODS,
  API_ROUTES,
  IPC_EVENT_CHANNEL,
  type AppEvent,
  type DesktopApi,
} from '../../preload/api';

const fake = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  const state = {
    exposed: new Map<string, unknown>(),
    invoked: [] as { channel: string; args: unknown[] }[],
    answer: (_channel: string, _args: unknown[]): unknown => ({ ok: true, value: null }),
    listeners,
  };
  return {
    state,
    electron: {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => state.exposed.set(key, api),
      },
      ipcRenderer: {
        invoke: async (channel: string, ...args: unknown[]) => {
          state.invoked.push({ channel, args });
          return state.answer(channel, args);
        },
        on: (channel: string, listener: Listener) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)?.add(listener);
        },
        removeListener: (channel: string, listener: Listener) => {
          listeners.get(channel)?.delete(listener);
        },
      },
    },
  };
});

vi.mock('electron', () => fake.electron);

let api: DesktopApi;
beforeAll(async () => {
  await import('../../preload/index');
  api = fake.state.exposed.get('mcpAuthDesktop') as DesktopApi;
});
beforeEach(() => {
  fake.state.invoked.length = 0;
});

describe('preload', () => {
  it('exposes exactly the DesktopApi as window.mcpAuthDesktop, and nothing else', () => {
    expect([...fake.state.exposed.keys()]).toEqual(['mcpAuthDesktop']);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(API_ROUTES), 'onEvent'].sort());
    for (const [group, methods] of Object.entries(API_ROUTES)) {
      const block = api[group as keyof typeof API_ROUTES] as unknown as Record<string, unknown>;
      expect(Object.keys(block).sort()).toEqual([...methods].sort());
      for (const value of Object.values(block)) expect(typeof value).toBe('function');
    }
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|invoke|send/i);
  });

  it('sends every method of the contract on its own channel, api:<group>.<method>', async () => {
    fake.state.answer = (channel) => ({ ok: true, value: channel });
    for (const [group, methods] of Object.entries(API_ROUTES)) {
      const block = api[group as keyof typeof API_ROUTES] as unknown as Record<
        string,
        () => Promise<unknown>
      >;
      for (const method of methods) {
        await expect(block[method]!()).resolves.toBe(`api:${group}.${method}`);
      }
    }
    expect(fake.state.invoked.map((i) => i.channel)).toEqual(API_METHODS.map((m) => `api:${m}`));
  });

  it('invokes api:<method> with the arguments and unwraps the envelope', async () => {
    fake.state.answer = (channel, args) => ({ ok: true, value: { channel, args } });
    await expect(api.session.callTool('p1', 'whoami', { a: 1 })).resolves.toEqual({
      channel: 'api:session.callTool',
      args: ['p1', 'whoami', { a: 1 }],
    });
    expect(fake.state.invoked).toEqual([
      { channel: 'api:session.callTool', args: ['p1', 'whoami', { a: 1 }] },
    ]);
  });

  it('rejects with { name, message, fix, code } (a plain object the bridge copies whole)', async () => {
    fake.state.answer = () => ({
      ok: false,
      error: {
        message: 'This profile is not connected.',
        fix: 'Click Connect first.',
        code: 'not_connected',
      },
    });
    const error = await api.session.listTools('p1').catch((reason: unknown) => reason);
    expect(error).toEqual({
      name: 'ApiError',
      message: 'This profile is not connected.',
      fix: 'Click Connect first.',
      code: 'not_connected',
    });
    expect(Object.getPrototypeOf(error)).toBe(Object.prototype);
  });

  it('a broken channel or answer becomes a message without a stack', async () => {
    fake.state.answer = () => {
      throw new Error("Error invoking remote method 'api:trace.get': Error: No handler registered");
    };
    await expect(api.trace.get()).rejects.toEqual({
      name: 'ApiError',
      message: 'MCP Auth Desktop could not run trace.get.',
    });
    fake.state.answer = () => undefined;
    await expect(api.trace.get()).rejects.toEqual({
      name: 'ApiError',
      message: 'MCP Auth Desktop did not answer.',
    });
  });

  it('onEvent passes the event only (never the IpcRendererEvent) and unsubscribes', () => {
    const received: unknown[][] = [];
    const off = api.onEvent((...args: unknown[]) => received.push(args));
    const ipcEvent = { sender: { send: () => undefined }, ports: [] };
    const event: AppEvent = { type: 'profiles-changed' };
    for (const listener of fake.state.listeners.get(IPC_EVENT_CHANNEL) ?? [])
      listener(ipcEvent, event);
    expect(received).toEqual([[event]]);
    off();
    expect(fake.state.listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
  });

  it("imports nothing at run time but 'electron' and the contract's constants", () => {
    const source = readFileSync(new URL('../../preload/index.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].map(
      ([, type, from]) => `${type ? 'type ' : ''}${from}`,
    );
    expect(imports).toEqual(['electron', './api']);
    const contract = readFileSync(new URL('../../preload/api.ts', import.meta.url), 'utf8');
    const runtime = [...contract.matchAll(/^import\s+(?!type\b)[^'"]*from\s+'([^']+)'/gm)];
    expect(runtime).toEqual([]);
  });
});
