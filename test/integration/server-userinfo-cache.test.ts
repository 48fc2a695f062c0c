import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type RunningMcpServer, type VerificationEvent } from '../../main/server';
import {
  MCP_POST_HEADERS,
  bearerChallenge,
  initializeBody,
  signInForTokens,
  startCountingProxy,
  startTestIssuer,
  type CountingProxy,
  type TestIssuer,
} from './server-helpers';

/**
 * Opaque tokens are checked at the issuer's userinfo endpoint. We count the requests that really
 * reach the issuer, through a proxy the MCP server discovers the issuer by.
 */

let issuer: TestIssuer;
let proxy: CountingProxy;
let server: RunningMcpServer;
const events: VerificationEvent[] = [];
const ALICE = { username: 'alice', password: 'alice-sandbox' };
const USERINFO = '/oidc/me';

beforeAll(async () => {
  issuer = await startTestIssuer();
  proxy = await startCountingProxy(issuer.issuer);
  server = await startMcpServer({ port: 0, issuer: proxy.issuer, issuerTimeoutMs: 1_000 });
  server.events.on('verification', (event) => events.push(event));
});

afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await issuer?.close();
});

const initialize = (token: string) =>
  fetch(server.url, {
    method: 'POST',
    headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${token}` },
    body: initializeBody(),
  }).then(async (response) => {
    await response.text();
    return response.status;
  });

describe('userinfo verification of opaque tokens', () => {
  it('costs one userinfo request for many sequential uses of one token', async () => {
    const token = (await signInForTokens(issuer.issuer, ALICE)).access_token;
    const before = proxy.count(USERINFO);
    const firstEvent = events.length;
    for (let i = 0; i < 5; i++) expect(await initialize(token)).toBe(200);
    expect(proxy.count(USERINFO) - before).toBe(1);
    const mine = events.slice(firstEvent);
    expect(mine.map((e) => e.cached)).toEqual([false, true, true, true, true]);
    expect(mine.every((e) => e.method === 'userinfo' && e.verdict === 'allowed')).toBe(true);
  });

  it('costs one userinfo request for a burst of concurrent requests with one token', async () => {
    const token = (await signInForTokens(issuer.issuer, ALICE)).access_token;
    const before = proxy.count(USERINFO);
    const statuses = await Promise.all(Array.from({ length: 10 }, () => initialize(token)));
    expect(statuses).toEqual(Array(10).fill(200));
    expect(proxy.count(USERINFO) - before).toBe(1);
  });

  it('never caches a rejected token as valid: every attempt is asked again and refused', async () => {
    const bogus = 'not-a-real-token-0123456789abcdefghijklmnopq';
    const before = proxy.count(USERINFO);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${bogus}` },
        body: initializeBody(),
      });
      expect(response.status).toBe(401);
      expect(bearerChallenge(response.headers.get('www-authenticate')).params.error).toBe(
        'invalid_token',
      );
      await response.text();
    }
    expect(proxy.count(USERINFO) - before).toBe(3);
  });

  it('answers 503 naming the issuer when it does not answer in time, then recovers without a restart', async () => {
    const token = (await signInForTokens(issuer.issuer, ALICE)).access_token;
    proxy.mode = 'hang';
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${token}` },
        body: initializeBody(),
      });
      expect(response.status).toBe(503);
      // Not invalid_token: a client must keep its (good) token.
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body.error).toBe('temporarily_unavailable');
      expect(body.error_description).toContain(proxy.issuer);
      expect(body.error_description).toMatch(/within 1 s/);
      expect(JSON.stringify(body)).not.toContain(token);
      expect(events.at(-1)).toMatchObject({ verdict: 'error', status: 503, method: 'userinfo' });
    } finally {
      proxy.mode = 'pass';
    }
    expect(await initialize(token)).toBe(200);
  });
});

describe('an issuer that is down', () => {
  it('gives 503 with a message naming the issuer, for opaque tokens and JWTs alike', async () => {
    const down = await startCountingProxy(issuer.issuer);
    const downIssuer = down.issuer;
    await down.close(); // nothing listens there any more
    const lonely = await startMcpServer({ port: 0, issuer: downIssuer });
    const seen: VerificationEvent[] = [];
    lonely.events.on('verification', (event) => seen.push(event));
    try {
      const jwtShaped = `${Buffer.from(JSON.stringify({ alg: 'ES384', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: downIssuer, sub: 'x' })).toString('base64url')}.c2ln`;
      for (const token of ['opaque-token-abcdefghijklmnopqrstuvwxyz0123', jwtShaped]) {
        const response = await fetch(lonely.url, {
          method: 'POST',
          headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${token}` },
          body: initializeBody(),
        });
        expect(response.status).toBe(503);
        const body = (await response.json()) as { error_description: string };
        expect(body.error_description).toContain(downIssuer);
        expect(body.error_description).toMatch(/connection refused/);
      }
      // The issuer gate answers before any verifier runs: no method is named.
      expect(seen.map((e) => [e.method, e.verdict, e.status])).toEqual([
        [null, 'error', 503],
        [null, 'error', 503],
      ]);
    } finally {
      await lonely.close();
    }
  });
});
