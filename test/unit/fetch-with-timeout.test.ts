import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FetchNetworkError,
  FetchTimeoutError,
  fetchWithTimeout,
} from '../../main/shared/fetch-with-timeout';
import { freePort } from '../../main/shared/free-port';

describe('fetchWithTimeout', () => {
  let slow: Server;
  let url: string;
  beforeAll(async () => {
    // Accepts the request and never answers: a hung issuer.
    slow = createServer(() => undefined);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
  });
  afterAll(() => {
    slow.closeAllConnections();
    slow.close();
  });

  it('gives up on a server that never answers, with a message naming the URL and the limit', async () => {
    const error = await fetchWithTimeout(url, {}, 200).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchTimeoutError);
    expect((error as Error).message).toBe(`No answer from ${url} within 0.2 s.`);
  });

  it('says "connection refused" when nothing listens', async () => {
    const port = await freePort('127.0.0.1');
    const error = await fetchWithTimeout(`http://127.0.0.1:${port}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchNetworkError);
    expect((error as Error).message).toBe(
      `Could not reach http://127.0.0.1:${port}/x: connection refused (is it running?).`,
    );
  });
});
