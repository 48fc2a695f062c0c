// The Electron binary cannot be downloaded on this project's machines, so `app` and the window are
// small hand-written fakes (an EventEmitter with Electron's method names). The RedirectReceiver
// behind them is the real one: a link travels the same path it does in the app.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedirectReceiver, type DeliveryResult } from '../../main/client/redirect/receiver';
import {
  claimSingleInstance,
  registerDeepLinks,
  registerProtocolClient,
} from '../../main/electron/deep-links';
import { APP_REDIRECT_URI, APP_SCHEME } from '../../main/shared/app-identity';

class FakeApp extends EventEmitter {
  lock = true;
  quits = 0;
  registrations: unknown[][] = [];
  registerResult = true;
  requestSingleInstanceLock() {
    return this.lock;
  }
  quit() {
    this.quits++;
  }
  setAsDefaultProtocolClient(...args: unknown[]) {
    this.registrations.push(args);
    return this.registerResult;
  }
}

class FakeWindow {
  minimized = true;
  actions: string[] = [];
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
    this.actions.push('restore');
  }
  show() {
    this.actions.push('show');
  }
  focus() {
    this.actions.push('focus');
  }
}

function setup(initialArgv?: string[]) {
  const app = new FakeApp();
  const deliveries: DeliveryResult[] = [];
  const receiver = new RedirectReceiver({ onDelivery: (result) => deliveries.push(result) });
  const window = new FakeWindow();
  const logged: string[] = [];
  const routing = registerDeepLinks({
    app,
    receiver,
    getWindow: () => window,
    log: { warn: (message) => logged.push(message) },
    ...(initialArgv && { initialArgv }),
  });
  const expectFlow = (state: string) =>
    receiver.expect({ state, redirectUri: APP_REDIRECT_URI, timeoutMs: 60_000 });
  return { app, receiver, window, deliveries, logged, routing, expectFlow };
}

const link = (state: string) => `${APP_REDIRECT_URI}?code=code-${state}&state=${state}`;

describe('single instance', () => {
  it('the first instance keeps running', () => {
    const app = new FakeApp();
    expect(claimSingleInstance(app)).toBe(true);
    expect(app.quits).toBe(0);
  });

  it('a second instance quits at once (its argv goes to the first one)', () => {
    const app = new FakeApp();
    app.lock = false;
    expect(claimSingleInstance(app)).toBe(false);
    expect(app.quits).toBe(1);
  });
});

describe('registerProtocolClient', () => {
  const log = { warn: () => undefined };

  it('in development registers Electron with the app script as its argument', () => {
    const app = new FakeApp();
    registerProtocolClient({
      app,
      scheme: APP_SCHEME,
      process: {
        defaultApp: true,
        execPath: '/repo/node_modules/electron/dist/electron',
        argv: ['/repo/node_modules/electron/dist/electron', 'out/main/index.js'],
      },
      log,
    });
    expect(app.registrations).toEqual([
      [APP_SCHEME, '/repo/node_modules/electron/dist/electron', [resolve('out/main/index.js')]],
    ]);
  });

  it('packaged registers the app executable itself', () => {
    const app = new FakeApp();
    registerProtocolClient({
      app,
      scheme: APP_SCHEME,
      process: {
        execPath: '/opt/MCP Auth Desktop/mcp-auth-desktop',
        argv: ['/opt/MCP Auth Desktop/mcp-auth-desktop'],
      },
      log,
    });
    expect(app.registrations).toEqual([[APP_SCHEME]]);
  });

  it('the installers (electron-builder "protocols") register the same scheme', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { build?: { appId?: string; protocols?: { schemes: string[] }[] } };
    expect(pkg.build?.protocols?.flatMap((p) => p.schemes)).toEqual([APP_SCHEME]);
    expect(pkg.build?.appId).toBe(APP_SCHEME);
  });

  it('says what to do when the OS refuses the registration', () => {
    const app = new FakeApp();
    app.registerResult = false;
    const logged: string[] = [];
    expect(
      registerProtocolClient({
        app,
        scheme: APP_SCHEME,
        process: { execPath: 'x', argv: ['x'] },
        log: { warn: (message) => logged.push(message) },
      }),
    ).toBe(false);
    expect(logged[0]).toMatch(/app\.mcpauthdesktop: links.*loopback redirect mode/);
  });
});

describe('registerDeepLinks', () => {
  it('delivers a Windows second instance’s link (among Chromium switches) and focuses the window', async () => {
    const { app, window, deliveries, expectFlow } = setup();
    const flow = expectFlow('win');
    app.emit(
      'second-instance',
      {},
      [
        'C:\\Program Files\\MCP Auth Desktop\\MCP Auth Desktop.exe',
        '--allow-file-access-from-files',
        '--original-process-start-time=13370000000000000',
        link('win'),
      ],
      'C:\\Users\\me',
    );
    await expect(flow.promise).resolves.toMatchObject({
      code: 'code-win',
      state: 'win',
      source: 'deep-link',
    });
    expect(deliveries).toMatchObject([{ status: 'completed', source: 'deep-link' }]);
    expect(window.actions.slice(0, 3)).toEqual(['restore', 'show', 'focus']);
  });

  it('delivers a Linux second instance’s link after "--" and extra switches', async () => {
    const { app, expectFlow } = setup();
    const flow = expectFlow('linux');
    app.emit(
      'second-instance',
      {},
      ['/opt/MCP Auth Desktop/mcp-auth-desktop', '--no-sandbox', '--', link('linux')],
      '/home/me',
    );
    await expect(flow.promise).resolves.toMatchObject({ state: 'linux' });
  });

  it('delivers a macOS open-url and prevents the default handling', async () => {
    const { app, window, expectFlow } = setup();
    const flow = expectFlow('mac');
    let prevented = false;
    app.emit('open-url', { preventDefault: () => (prevented = true) }, link('mac'));
    expect(prevented).toBe(true);
    await expect(flow.promise).resolves.toMatchObject({ state: 'mac', source: 'deep-link' });
    expect(window.actions).toContain('focus');
  });

  it('a second instance without a link only focuses the window', () => {
    const { app, window, deliveries, logged } = setup();
    window.minimized = false;
    app.emit('second-instance', {}, ['/opt/app/mcp-auth-desktop', '--some-flag'], '/');
    expect(window.actions).toEqual(['show', 'focus']);
    expect(deliveries).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('ignores foreign schemes and says so for a URL handed over directly', () => {
    const { app, deliveries, logged, window } = setup();
    app.emit(
      'second-instance',
      {},
      ['app', 'https://evil.example/?code=x&state=y', 'myapp:/oauth/callback?code=x'],
      '/',
    );
    app.emit(
      'open-url',
      { preventDefault: () => undefined },
      'https://evil.example/?code=x&state=y',
    );
    app.emit(
      'open-url',
      { preventDefault: () => undefined },
      'other.scheme:/oauth/callback?code=x',
    );
    expect(deliveries).toEqual([]);
    expect(logged).toEqual([
      'Ignored a https: link: MCP Auth Desktop only handles app.mcpauthdesktop: links.',
      'Ignored a other.scheme: link: MCP Auth Desktop only handles app.mcpauthdesktop: links.',
    ]);
    // The second instance still brought the app forward; the refused URLs did not.
    expect(window.actions).toEqual(['restore', 'show', 'focus']);
  });

  it('routes a link in the argv that started the app (unknown state: refused with a reason)', () => {
    const { deliveries } = setup(['/opt/app/mcp-auth-desktop', link('from-before-restart')]);
    expect(deliveries).toMatchObject([
      { status: 'rejected', reason: 'unknown-state', source: 'deep-link' },
    ]);
  });

  it('a normal launch routes nothing', () => {
    const { deliveries, logged } = setup(['/opt/app/mcp-auth-desktop']);
    expect(deliveries).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('the end-session return link focuses the app and is not treated as a sign-in response', () => {
    const { routing, deliveries, window } = setup();
    expect(routing.route(`${APP_SCHEME}:/oauth/signed-out`)).toBeUndefined();
    expect(deliveries).toEqual([]);
    expect(window.actions).toContain('focus');
  });

  it('an oversized link is refused before it reaches the receiver', () => {
    const { routing, deliveries, logged } = setup();
    routing.route(`${APP_REDIRECT_URI}?code=${'x'.repeat(9000)}&state=s`);
    expect(deliveries).toEqual([]);
    expect(logged[0]).toMatch(/accepts at most 8192/);
  });
});
