// The Electron binary cannot be downloaded on this project's machines, so `app` is a small
// hand-written fake (an EventEmitter with quit()). The steps are plain functions.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installShutdown } from '../../main/electron/lifecycle';

class FakeApp extends EventEmitter {
  quits = 0;
  quit() {
    this.quits++;
    // Electron emits will-quit again on the next quit(); the handler must let it through.
    this.willQuit();
  }
  willQuit(): boolean {
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    return prevented;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('installShutdown', () => {
  it('holds the quit, stops everything in order, then quits for real', async () => {
    const app = new FakeApp();
    const order: string[] = [];
    installShutdown({
      app,
      log: { warn: () => undefined },
      steps: () => [
        { name: 'API', run: async () => order.push('api') },
        { name: 'loopback listener', run: async () => order.push('loopback') },
        { name: 'sandbox', run: async () => order.push('stack') },
      ],
    });
    expect(app.willQuit()).toBe(true);
    await tick();
    expect(order).toEqual(['api', 'loopback', 'stack']);
    expect(app.quits).toBe(1);
    expect(app.willQuit()).toBe(false);
  });

  it('a failing step is logged and the others still run', async () => {
    const app = new FakeApp();
    const logged: string[] = [];
    const order: string[] = [];
    installShutdown({
      app,
      log: { warn: (message) => logged.push(message) },
      steps: () => [
        {
          name: 'API',
          run: () => {
            throw new Error('flows stuck');
          },
        },
        { name: 'sandbox', run: async () => order.push('stack') },
      ],
    });
    app.willQuit();
    await tick();
    expect(order).toEqual(['stack']);
    expect(logged).toEqual(['Stopping the API failed: flows stuck']);
    expect(app.quits).toBe(1);
  });

  it('quits anyway when a step hangs past the time limit', async () => {
    const app = new FakeApp();
    const logged: string[] = [];
    installShutdown({
      app,
      timeoutMs: 20,
      log: { warn: (message) => logged.push(message) },
      steps: () => [{ name: 'sandbox', run: () => new Promise(() => undefined) }],
    });
    app.willQuit();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(app.quits).toBe(1);
    expect(logged).toEqual(['Some parts did not stop in time; quitting anyway.']);
  });

  it('the returned shutdown runs the steps once, however often it is called', async () => {
    const app = new FakeApp();
    let runs = 0;
    const shutdown = installShutdown({
      app,
      log: { warn: () => undefined },
      steps: () => [{ name: 'x', run: () => runs++ }],
    });
    await Promise.all([shutdown(), shutdown()]);
    app.willQuit();
    await tick();
    expect(runs).toBe(1);
    expect(app.quits).toBe(1);
  });
});
