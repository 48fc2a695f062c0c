/**
 * The sandbox's access-token lifetime is adjustable while it runs (demo mode's "a token's life"):
 * tokens issued afterwards carry the new `exp`, earlier ones keep theirs, `undefined` restores
 * the resource's own 3600 s; the bundled stack keeps the setting across a sandbox restart. And
 * the real MCP server, with its verification cache on, refuses such a token once it has expired.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { DEFAULT_RESOURCE, type RunningIssuer } from '../../main/issuer';
import { DEFAULT_SERVER_SETTINGS, startMcpServer } from '../../main/server';
import { BundledStack } from '../../main/stack';
import { decodeJwtPart, startTestIssuer, tokenRequest, tokensFor } from './issuer-helpers';
import { initializeBody, MCP_POST_HEADERS, signInForTokens } from './server-helpers';

const ALICE = { username: 'alice', password: 'alice-sandbox' };
const NATIVE = { client_id: 'sandbox-native', redirect_uri: 'http://127.0.0.1:53682/callback' };

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function issuerForTest() {
  const issuer = await startTestIssuer();
  cleanup.push(() => issuer.stop());
  return issuer;
}

/** exp - iat of a fresh access token for the default resource, and the response's expires_in. */
async function lifetime(issuer: RunningIssuer, extra: Record<string, string> = {}) {
  const { json } = await tokensFor(
    issuer,
    { ...NATIVE, scope: 'openid whoami:read', resource: DEFAULT_RESOURCE, ...extra },
    ALICE,
  );
  const claims = decodeJwtPart(String(json.access_token), 1) as { exp: number; iat: number };
  return { seconds: claims.exp - claims.iat, expiresIn: json.expires_in, json };
}

describe('the sandbox access-token lifetime, changed at runtime', () => {
  it('applies to tokens issued afterwards, and undefined restores the resource’s own', async () => {
    const issuer = await issuerForTest();
    expect((await lifetime(issuer)).seconds).toBe(3600);

    issuer.setAccessTokenTtl(15);
    expect(issuer.accessTokenTtlOverride()).toBe(15);
    const short = await lifetime(issuer);
    expect(short.seconds).toBe(15);
    expect(short.expiresIn).toBe(15);

    issuer.setAccessTokenTtl(undefined);
    expect(issuer.accessTokenTtlOverride()).toBeUndefined();
    expect((await lifetime(issuer)).seconds).toBe(3600);
  });

  it('also governs tokens from a refresh', async () => {
    const issuer = await issuerForTest();
    const first = await lifetime(issuer, {
      scope: 'openid offline_access whoami:read',
      prompt: 'consent',
    });
    expect(first.seconds).toBe(3600);
    issuer.setAccessTokenTtl(20);
    const refreshed = await tokenRequest(issuer, {
      grant_type: 'refresh_token',
      client_id: NATIVE.client_id,
      refresh_token: String(first.json.refresh_token),
      resource: DEFAULT_RESOURCE,
    });
    expect(refreshed.status).toBe(200);
    const claims = decodeJwtPart(String(refreshed.json.access_token), 1) as {
      exp: number;
      iat: number;
    };
    expect(claims.exp - claims.iat).toBe(20);
  });

  it('refuses a lifetime that is not a positive whole number of seconds, keeping the old one', async () => {
    const issuer = await issuerForTest();
    issuer.setAccessTokenTtl(30);
    for (const bad of [0, -5, 1.5, Number.NaN]) {
      expect(() => issuer.setAccessTokenTtl(bad)).toThrow(/positive whole number of seconds/);
    }
    expect(issuer.accessTokenTtlOverride()).toBe(30);
  });
});

describe('the bundled stack’s sandbox lifetime', () => {
  it('survives a sandbox restart (the server’s resource changed)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ttl-stack-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const stack = await BundledStack.start({ dataDir, serverPort: 0, issuerPort: 0 });
    cleanup.push(() => stack.close());
    stack.setSandboxAccessTokenTtl(25);
    expect(() => stack.setSandboxAccessTokenTtl(0)).toThrow(/positive whole number/);
    const before = await stack.sandbox();

    const resource = 'http://localhost:4999/';
    const applied = await stack.apply({ ...DEFAULT_SERVER_SETTINGS, resource });
    expect(applied.ok).toBe(true);
    const after = await stack.sandbox();
    expect(after).not.toBe(before);
    expect(after.accessTokenTtlOverride()).toBe(25);
    const tokens = await signInForTokens(after.issuer, ALICE, {
      scope: 'openid whoami:read',
      resource,
    });
    expect(tokens.expires_in).toBe(25);

    stack.setSandboxAccessTokenTtl(undefined);
    expect(after.accessTokenTtlOverride()).toBeUndefined();
  });
});

describe('the MCP server and a really expired token', () => {
  it('accepts it (from its cache) until exp, then refuses it: 401 invalid_token, expired', async () => {
    const issuer = await issuerForTest();
    // No clock leeway, so the moment the token expires is exact; the cache window (10 s) is
    // longer than the token's life, so only the token's own exp can end the cached verdict.
    const server = await startMcpServer({
      host: '127.0.0.1',
      port: 0,
      issuer: issuer.issuer,
      resource: DEFAULT_RESOURCE,
      clockToleranceSec: 0,
      verificationCacheTtlMs: 10_000,
    });
    cleanup.push(() => server.close());
    issuer.setAccessTokenTtl(2);
    const tokens = await signInForTokens(issuer.issuer, ALICE, {
      scope: 'openid whoami:read',
      resource: DEFAULT_RESOURCE,
    });
    const exp = (decodeJwtPart(tokens.access_token, 1) as { exp: number }).exp;
    const call = () =>
      fetch(server.url, {
        method: 'POST',
        headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${tokens.access_token}` },
        body: initializeBody(),
      });
    const first = await call();
    await first.body?.cancel();
    expect(first.status).toBe(200);
    const second = await call();
    await second.body?.cancel();
    expect(second.status).toBe(200);
    expect(server.stats().cachedVerdicts).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 300));
    const expired = await call();
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(await expired.json()).toMatchObject({
      error: 'invalid_token',
      error_description: 'The token has expired.',
    });
  });
});
