import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { IssuerUnavailableError, TokenRejectedError } from '../../main/server/auth/errors';
import { IssuerMetadataSource } from '../../main/server/auth/issuer-metadata';
import { createJwtVerifier } from '../../main/server/auth/verify-jwt';
import { createUserinfoVerifier } from '../../main/server/auth/verify-userinfo';
import { withVerificationCache } from '../../main/server/auth/verification-cache';

/**
 * The verifiers against a scripted issuer on loopback: things the sandbox issuer cannot be made to
 * do on demand (rotate keys, fail discovery once, answer 500).
 */

type Handler = (req: IncomingMessage, res: ServerResponse, path: string) => void;
let running: Server | undefined;

async function scriptedIssuer(handler: Handler): Promise<{ issuer: string; hits: string[] }> {
  const hits: string[] = [];
  running = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(path);
    handler(req, res, path);
  });
  await new Promise<void>((resolve) => running?.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(running.address() as AddressInfo).port}/oidc`;
  return { issuer, hits };
}

afterEach(async () => {
  const server = running;
  running = undefined;
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  return {
    privateKey,
    kid,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' } as JWK,
  };
}

const RESOURCE = 'http://localhost:3001/';

describe('JWT verification', () => {
  it('picks up a rotated signing key without a restart (unknown kid refetches the JWKS)', async () => {
    const oldKey = await keyPair('old');
    const newKey = await keyPair('new');
    let published = [oldKey.publicJwk];
    const { issuer, hits } = await scriptedIssuer((_req, res, path) => {
      if (path === '/oidc/.well-known/openid-configuration') {
        json(res, 200, { issuer, jwks_uri: `${issuer}/jwks` });
      } else if (path === '/oidc/jwks') json(res, 200, { keys: published });
      else json(res, 404, {});
    });
    const verify = createJwtVerifier({
      issuer,
      resource: RESOURCE,
      clockToleranceSec: 30,
      timeoutMs: 2_000,
      metadata: new IssuerMetadataSource(issuer, 2_000),
      jwksCooldownMs: 0,
    });
    const sign = (key: Awaited<ReturnType<typeof keyPair>>) =>
      new SignJWT({ sub: 'alice', scope: 'whoami:read', client_id: 'app' })
        .setProtectedHeader({ alg: 'ES384', typ: 'at+jwt', kid: key.kid })
        .setIssuer(issuer)
        .setAudience(RESOURCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key.privateKey);

    expect((await verify(await sign(oldKey))).subject).toBe('alice');
    published = [newKey.publicJwk];
    const info = await verify(await sign(newKey));
    expect(info).toMatchObject({ subject: 'alice', clientId: 'app', scopes: ['whoami:read'] });
    expect(info.extra.verifiedBy).toBe('jwt');
    expect(hits.filter((p) => p === '/oidc/jwks')).toHaveLength(2);
    // The old key is gone from the JWKS: its tokens stop verifying.
    await expect(verify(await sign(oldKey))).rejects.toBeInstanceOf(TokenRejectedError);
  });

  it('finds RFC 8414 metadata when OIDC discovery is missing, and retries discovery after a failure', async () => {
    const key = await keyPair('k');
    let discoveryUp = false;
    const { issuer, hits } = await scriptedIssuer((_req, res, path) => {
      if (path === '/.well-known/oauth-authorization-server/oidc' && discoveryUp) {
        json(res, 200, { issuer, jwks_uri: `${issuer}/jwks` });
      } else if (path === '/oidc/jwks') json(res, 200, { keys: [key.publicJwk] });
      else json(res, 404, {});
    });
    const verify = createJwtVerifier({
      issuer,
      resource: RESOURCE,
      clockToleranceSec: 30,
      timeoutMs: 2_000,
      metadata: new IssuerMetadataSource(issuer, 2_000),
    });
    const token = await new SignJWT({ sub: 'bob' })
      .setProtectedHeader({ alg: 'ES384', kid: 'k' })
      .setIssuer(issuer)
      .setAudience(RESOURCE)
      .setExpirationTime('1h')
      .sign(key.privateKey);

    const failure = await verify(token).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(IssuerUnavailableError);
    expect(String((failure as Error).message)).toMatch(/no discovery document found/);
    discoveryUp = true;
    expect((await verify(token)).subject).toBe('bob');
    expect(hits).toContain('/oidc/.well-known/openid-configuration');
    expect(hits).toContain('/oidc/.well-known/oauth-authorization-server');
  });

  it('refuses a discovery document that names another issuer, saying which', async () => {
    const { issuer } = await scriptedIssuer((_req, res) =>
      json(res, 200, { issuer: 'https://other.example/oidc' }),
    );
    const metadata = new IssuerMetadataSource(issuer, 2_000);
    await expect(metadata.get()).rejects.toThrow(/names the issuer https:\/\/other\.example\/oidc/);
  });

  it('requires exp and sub', async () => {
    const key = await keyPair('k');
    const { issuer } = await scriptedIssuer((_req, res, path) => {
      if (path === '/oidc/.well-known/openid-configuration')
        json(res, 200, { issuer, jwks_uri: `${issuer}/jwks` });
      else json(res, 200, { keys: [key.publicJwk] });
    });
    const verify = createJwtVerifier({
      issuer,
      resource: RESOURCE,
      clockToleranceSec: 30,
      timeoutMs: 2_000,
      metadata: new IssuerMetadataSource(issuer, 2_000),
    });
    const noExp = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES384', kid: 'k' })
      .setIssuer(issuer)
      .setAudience(RESOURCE)
      .sign(key.privateKey);
    await expect(verify(noExp)).rejects.toThrow(/exp claim/);
    const noSub = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES384', kid: 'k' })
      .setIssuer(issuer)
      .setAudience(RESOURCE)
      .setExpirationTime('1h')
      .sign(key.privateKey);
    await expect(verify(noSub)).rejects.toThrow(/sub claim/);
  });
});

describe('userinfo verification', () => {
  async function userinfoIssuer(status = () => 200) {
    return scriptedIssuer((req, res, path) => {
      if (path === '/oidc/.well-known/openid-configuration') {
        json(res, 200, {
          issuer: `http://${req.headers.host}/oidc`,
          userinfo_endpoint: `http://${req.headers.host}/oidc/me`,
        });
      } else if (path === '/oidc/me') {
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        const code = status();
        json(
          res,
          code,
          code === 200 ? { sub: `user-of-${token}`, name: 'N' } : { error: 'invalid_token' },
        );
      } else json(res, 404, {});
    });
  }

  it('reuses an answer for 10 s (the default window), then asks again', async () => {
    const { issuer, hits } = await userinfoIssuer();
    let clock = 1_000_000;
    const verify = withVerificationCache(
      createUserinfoVerifier({
        issuer,
        timeoutMs: 2_000,
        metadata: new IssuerMetadataSource(issuer, 2_000),
      }),
      { now: () => clock },
    );
    expect((await verify('tok')).extra).toEqual({ verifiedBy: 'userinfo', cached: false });
    clock += 9_000;
    expect((await verify('tok')).extra.cached).toBe(true);
    clock += 2_000;
    expect((await verify('tok')).extra.cached).toBe(false);
    expect(hits.filter((p) => p === '/oidc/me')).toHaveLength(2);
  });

  it('keeps at most the configured number of answers, dropping the oldest', async () => {
    const { issuer, hits } = await userinfoIssuer();
    const verify = withVerificationCache(
      createUserinfoVerifier({
        issuer,
        timeoutMs: 2_000,
        metadata: new IssuerMetadataSource(issuer, 2_000),
      }),
      { maxEntries: 3 },
    );
    for (const token of ['a', 'b', 'c', 'd']) await verify(token);
    expect(verify.size()).toBe(3);
    await verify('d');
    await verify('a'); // evicted: asked again
    expect(hits.filter((p) => p === '/oidc/me')).toHaveLength(5);
  });

  it('shares one in-flight call between concurrent requests, even when it is a rejection', async () => {
    const { issuer, hits } = await userinfoIssuer(() => 401);
    const verify = withVerificationCache(
      createUserinfoVerifier({
        issuer,
        timeoutMs: 2_000,
        metadata: new IssuerMetadataSource(issuer, 2_000),
      }),
    );
    const results = await Promise.allSettled([verify('bad'), verify('bad'), verify('bad')]);
    expect(
      results.every((r) => r.status === 'rejected' && r.reason instanceof TokenRejectedError),
    ).toBe(true);
    expect(hits.filter((p) => p === '/oidc/me')).toHaveLength(1);
    await expect(verify('bad')).rejects.toBeInstanceOf(TokenRejectedError);
    expect(hits.filter((p) => p === '/oidc/me')).toHaveLength(2);
  });

  it('treats a userinfo 500 as the issuer failing, not the token', async () => {
    const { issuer } = await userinfoIssuer(() => 500);
    const verify = createUserinfoVerifier({
      issuer,
      timeoutMs: 2_000,
      metadata: new IssuerMetadataSource(issuer, 2_000),
    });
    await expect(verify('tok')).rejects.toBeInstanceOf(IssuerUnavailableError);
  });
});
