import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardHandler } from './guarded-handler';

export class PortInUseError extends Error {
  constructor(
    readonly label: string,
    readonly host: string,
    readonly port: number,
    readonly howToChange: string,
  ) {
    super(`The ${label} cannot start: port ${port} on ${host} is already in use. ${howToChange}`);
    this.name = 'PortInUseError';
  }
}

export interface Listening {
  server: Server;
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on host:port (0 picks a free port) and turns EADDRINUSE into an error that names the
 * port and says how to pick another one. The handler runs inside `guardHandler`: malformed
 * targets get a 400 and a failing handler a 500, never an exception out of the server.
 */
export async function listen(
  handler: RequestListener,
  opts: { host: string; port: number; label: string; howToChange: string },
): Promise<Listening> {
  const server = createServer(guardHandler(handler, opts.label));
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(opts.label, opts.host, opts.port, opts.howToChange)
          : error,
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(opts.port, opts.host);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    host: opts.host,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Long-lived SSE streams and keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
