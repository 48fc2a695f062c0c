// The web host's router, driven over real HTTP on a free port with an API that answers every
// method of the contract with its own name: a method the router does not serve fails here.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppApi } from '../../main/api';
import { createHttpApiHandler, createOpenLinks } from '../../main/web/http-api';
import { API_METHODS, buildRequests, type ApiResult } from '../../preload/api';

const TOKEN = 'test-token';
let server: Server;
let origin = '';

beforeAll(async () => {
  const api: AppApi = {
    ...buildRequests(async (method, args) => ({ method, args })),
    subscribe: () => () => undefined,
    publish: () => undefined,
    close: async () => undefined,
  };
  const handler = createHttpApiHandler({
    api,
    links: createOpenLinks(),
    token: TOKEN,
    rendererDir: import.meta.dirname,
    origin: () => ({ hosts: [new URL(origin).host], origin }),
  });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (path: string, args: unknown[]) =>
  fetch(`${origin}/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-token': TOKEN },
    body: JSON.stringify({ args }),
  });

describe('the web host routes the whole contract', () => {
  it('answers every method of the contract at POST /api/<group>.<method>', async () => {
    expect(API_METHODS.length).toBeGreaterThan(30);
    for (const method of API_METHODS) {
      const response = await post(method, ['p1', 2]);
      expect(response.status, method).toBe(200);
      expect((await response.json()) as ApiResult<unknown>).toEqual({
        ok: true,
        value: { method, args: ['p1', 2] },
      });
    }
  });

  it('answers 404 for a name outside the contract, even one that is a property of the API', async () => {
    for (const path of [
      'profiles.nope',
      'subscribe',
      'close',
      'profiles',
      'profiles.constructor',
    ]) {
      const response = await post(path, []);
      expect(response.status, path).toBe(404);
    }
  });
});
