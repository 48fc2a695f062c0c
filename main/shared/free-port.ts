import { createServer } from 'node:net';

/** Asks the OS for a free port on host. Used where one party's URL must be known before another starts. */
export async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error(`No free port on ${host}`);
  return address.port;
}
