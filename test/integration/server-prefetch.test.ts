/**
 * A host that knows its issuer is up (the sandbox stack) has the server fetch the issuer's
 * discovery document and JWKS at start, so a person's first signed-in call does not wait for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type RunningMcpServer } from '../../main/server';
import {
  accessTokenClaims,
  initializeBody,
  MCP_POST_HEADERS,
  readIssuerKey,
  signToken,
  startCountingProxy,
  startTestIssuer,
  type CountingProxy,
  type TestIssuer,
} from './server-helpers';

let issuer: TestIssuer;
let proxy: CountingProxy;
let server: RunningMcpServer;

beforeAll(async () => {
  issuer = await startTestIssuer();
  proxy = await startCountingProxy(issuer.issuer);
  server = await startMcpServer({ port: 0, issuer: proxy.issuer, issuerTimeoutMs: 2_000 });
});
afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await issuer?.close();
});

describe('prefetchIssuerKeys', () => {
  it('fetches discovery and the JWKS before any token arrives; the first JWT then costs nothing', async () => {
    // Before: at most the start-up look at discovery (the issuer's health), never the keys.
    expect(proxy.requests).not.toContain('/oidc/jwks');
    await server.prefetchIssuerKeys();
    const fetched = [...proxy.requests];
    expect(fetched).toContain('/oidc/.well-known/openid-configuration');
    expect(fetched).toContain('/oidc/jwks');

    const key = await readIssuerKey(issuer.dataDir);
    const token = await signToken(
      key,
      accessTokenClaims({ issuer: proxy.issuer, audience: server.resource, subject: 'alice' }),
    );
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${token}` },
      body: initializeBody(),
    });
    await response.text();
    expect(response.status).toBe(200);
    expect(proxy.requests).toEqual(fetched); // verified with what was prefetched
  });

  it('never fails: an issuer that is down is simply asked again on the first token', async () => {
    const down = await startMcpServer({
      port: 0,
      issuer: 'http://127.0.0.1:9/oidc',
      issuerTimeoutMs: 500,
    });
    try {
      await expect(down.prefetchIssuerKeys()).resolves.toBeUndefined();
    } finally {
      await down.close();
    }
  });
});
