/**
 * Quitting: everything the app started (the API's flows, the sandbox issuer and MCP server, the
 * loopback listener) is closed before the process ends, within a time limit so a stuck socket
 * cannot keep the app from quitting.
 */
import type { HostLog } from './log';

export interface QuittableApp {
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown> | unknown;
}

export const SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * Holds the first `will-quit`, runs the steps in order (each one's failure is logged, not fatal),
 * then quits for real. Returns a function that runs the same shutdown without quitting (tests,
 * start-up failures).
 */
export function installShutdown(opts: {
  app: QuittableApp;
  steps: () => ShutdownStep[];
  log: HostLog;
  timeoutMs?: number;
}): () => Promise<void> {
  let done: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    done ??= (async () => {
      const all = (async () => {
        for (const step of opts.steps()) {
          try {
            await step.run();
          } catch (error) {
            opts.log.warn(
              `Stopping the ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      })();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), opts.timeoutMs ?? SHUTDOWN_TIMEOUT_MS);
      });
      const outcome = await Promise.race([all.then(() => 'done' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') opts.log.warn('Some parts did not stop in time; quitting anyway.');
    })();
    return done;
  };

  let finished = false;
  opts.app.on('will-quit', (event) => {
    if (finished) return;
    event.preventDefault();
    void shutdown().finally(() => {
      finished = true;
      opts.app.quit();
    });
  });
  return shutdown;
}
