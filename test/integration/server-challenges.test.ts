import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type RunningMcpServer, type VerificationEvent } from '../../main/server';
import {
  MCP_POST_HEADERS,
  accessTokenClaims,
  bearerChallenge,
  canary,
  foreignKey,
  initializeBody,
  readIssuerKey,
  signToken,
  startTestIssuer,
  tamper,
  unsignedToken,
  type SigningKey,
  type TestIssuer,
} from './server-helpers';
import { SignJWT } from 'jose';

let issuer: TestIssuer;
let server: RunningMcpServer;
let key: SigningKey;
const events: VerificationEvent[] = [];

beforeAll(async () => {
  issuer = await startTestIssuer();
  key = await readIssuerKey(issuer.dataDir);
  server = await startMcpServer({ port: 0, issuer: issuer.issuer });
  server.events.on('verification', (event) => events.push(event));
});

afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

const now = () => Math.floor(Date.now() / 1000);

function claims(extra: Record<string, unknown> = {}) {
  return accessTokenClaims({
    issuer: issuer.issuer,
    audience: server.resource,
    subject: canary('sub'),
    extra: { marker: canary('marker'), ...extra },
  });
}

async function post(authorization: string | undefined) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { ...MCP_POST_HEADERS, ...(authorization !== undefined ? { authorization } : {}) },
    body: initializeBody(),
  });
  return { response, text: await response.text() };
}

/** Every secret-ish string in a token: the token, its segments and its claim values. */
function fragmentsOf(token: string): string[] {
  const parts = token.split('.').filter((p) => p.length >= 8);
  const fragments = [token, ...parts];
  if (parts.length >= 2) {
    try {
      const payload = JSON.parse(
        Buffer.from(token.split('.')[1] ?? '', 'base64url').toString(),
      ) as Record<string, unknown>;
      for (const value of Object.values(payload)) {
        if (typeof value === 'string' && value.startsWith('canary-')) fragments.push(value);
        if (typeof value === 'string' && value.includes('canary-')) fragments.push(value);
      }
    } catch {
      // not JSON: the segments are enough
    }
  }
  return fragments;
}

interface Case {
  name: string;
  header: () => Promise<string | undefined>;
  status: number;
  error?: 'invalid_request' | 'invalid_token';
  description?: RegExp;
}

const cases: Case[] = [
  { name: 'no Authorization header', header: async () => undefined, status: 401 },
  {
    name: 'a non-Bearer scheme (Basic)',
    header: async () => `Basic ${Buffer.from('alice:alice-sandbox').toString('base64')}`,
    status: 401,
  },
  {
    name: 'garbage',
    header: async () => `Bearer ${canary('garbage')}`,
    status: 401,
    error: 'invalid_token',
    description: /userinfo endpoint rejected/,
  },
  {
    name: 'an expired token',
    header: async () =>
      `Bearer ${await signToken(key, claims({ iat: now() - 7200, exp: now() - 3600 }))}`,
    status: 401,
    error: 'invalid_token',
    description: /expired/,
  },
  {
    name: 'a token that is not valid yet',
    header: async () => `Bearer ${await signToken(key, claims({ nbf: now() + 3600 }))}`,
    status: 401,
    error: 'invalid_token',
    description: /not valid yet/,
  },
  {
    name: 'a token for another audience',
    header: async () =>
      `Bearer ${await signToken(key, claims({ aud: `https://${canary('aud')}.example/` }))}`,
    status: 401,
    error: 'invalid_token',
    description: /expected audience http:\/\/localhost:\d+\//,
  },
  {
    name: 'a token from another issuer (signed with the real key)',
    header: async () =>
      `Bearer ${await signToken(key, claims({ iss: `https://${canary('iss')}.example/oidc` }))}`,
    status: 401,
    error: 'invalid_token',
    description: /not issued by http:\/\/127\.0\.0\.1:\d+\/oidc/,
  },
  {
    name: 'alg none',
    header: async () => `Bearer ${unsignedToken(claims())}`,
    status: 401,
    error: 'invalid_token',
    description: /algorithm/,
  },
  {
    name: 'an HS256 token (symmetric)',
    header: async () =>
      `Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(randomBytes(32))}`,
    status: 401,
    error: 'invalid_token',
    description: /algorithm/,
  },
  {
    name: 'a tampered signature (payload swapped after signing)',
    header: async () =>
      `Bearer ${tamper(await signToken(key, claims()), { sub: canary('tampered'), scope: 'whoami:read admin' })}`,
    status: 401,
    error: 'invalid_token',
    description: /signature/,
  },
  {
    name: 'a key the issuer does not publish',
    header: async () =>
      `Bearer ${await signToken(await foreignKey('ES384', canary('kid')), claims())}`,
    status: 401,
    error: 'invalid_token',
    description: /unknown kid/,
  },
  {
    name: "the issuer's kid but a foreign key",
    header: async () => {
      const foreign = await foreignKey('ES384');
      return `Bearer ${await signToken({ ...foreign, kid: key.kid }, claims())}`;
    },
    status: 401,
    error: 'invalid_token',
    description: /signature/,
  },
  {
    name: 'Bearer without a token',
    header: async () => 'Bearer',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'Bearer with extra parts',
    header: async () => `Bearer ${canary('a')} ${canary('b')}`,
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'characters outside b64token',
    header: async () => `Bearer ${canary('x')}"<script>`,
    status: 400,
    error: 'invalid_request',
    description: /b64token/,
  },
  {
    name: 'a huge token',
    header: async () => `Bearer ${canary('huge')}${'A'.repeat(9000)}`,
    status: 400,
    error: 'invalid_request',
    description: /longer than/,
  },
];

describe('RFC 6750 answers to bad credentials', () => {
  it.each(cases)('$name → $status $error', async (c) => {
    const authorization = await c.header();
    const before = events.length;
    const { response, text } = await post(authorization);

    expect(response.status).toBe(c.status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const challenge = bearerChallenge(response.headers.get('www-authenticate'));
    expect(challenge.params.resource_metadata).toBe(server.resourceMetadataUrl);
    if (c.error) {
      expect(challenge.params.error).toBe(c.error);
      expect(challenge.params.error_description).toBeTruthy();
      if (c.description) expect(challenge.params.error_description).toMatch(c.description);
    } else {
      // RFC 6750 §3.1: no credentials => no error code, but where to get them and what to ask for.
      expect(challenge.params.error).toBeUndefined();
      expect(challenge.params.scope).toBe('openid profile whoami:read');
    }

    const body = JSON.parse(text) as { error: string; error_description: string };
    expect(typeof body.error).toBe('string');
    expect(typeof body.error_description).toBe('string');
    if (c.error) expect(body.error).toBe(c.error);

    // Nothing of the token comes back: not in the body, not in the header.
    const token = /^\S+\s+(.+)$/.exec(authorization ?? '')?.[1] ?? '';
    for (const fragment of token ? fragmentsOf(token) : []) {
      expect(text).not.toContain(fragment);
      expect(response.headers.get('www-authenticate')).not.toContain(fragment);
    }
    expect(text).not.toMatch(/canary-/);
    expect(response.headers.get('www-authenticate')).not.toMatch(/canary-/);

    // And the decision was reported, without the token.
    const event = events[before];
    expect(event).toMatchObject({
      type: 'verification',
      verdict: 'rejected',
      status: c.status,
      path: '/mcp',
    });
    expect(JSON.stringify(event)).not.toMatch(/canary-/);
  });

  it('accepts a token signed with the issuer key, for this resource, and reports who it was', async () => {
    const subject = `user-${randomBytes(4).toString('hex')}`;
    const token = await signToken(
      key,
      accessTokenClaims({ issuer: issuer.issuer, audience: server.resource, subject }),
    );
    const before = events.length;
    const { response } = await post(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[before]).toMatchObject({
      verdict: 'allowed',
      method: 'jwt',
      subject,
      clientId: 'sandbox-native',
    });
    expect(JSON.stringify(events[before])).not.toContain(token);
  });

  it('accepts typ JWT and no typ, but not an ID token (typ or audience)', async () => {
    const subject = 'typ-test';
    const base = accessTokenClaims({ issuer: issuer.issuer, audience: server.resource, subject });
    expect(
      (await post(`Bearer ${await signToken(key, base, { typ: 'JWT' })}`)).response.status,
    ).toBe(200);
    expect(
      (await post(`Bearer ${await signToken(key, base, { typ: null })}`)).response.status,
    ).toBe(200);
    const idTokenLike = await signToken(key, { ...base, aud: 'sandbox-native' }, { typ: 'JWT' });
    expect((await post(`Bearer ${idTokenLike}`)).response.status).toBe(401);
  });

  it('accepts several spaces after Bearer (RFC 6750 §2.1: 1*SP) and a lower-case scheme', async () => {
    const token = await signToken(
      key,
      accessTokenClaims({ issuer: issuer.issuer, audience: server.resource, subject: 's' }),
    );
    expect((await post(`Bearer   ${token}`)).response.status).toBe(200);
    expect((await post(`bearer ${token}`)).response.status).toBe(200);
  });

  it('refuses tokens in the URL (bearer_methods_supported: header)', async () => {
    const token = canary('query');
    const response = await fetch(`${server.url}?access_token=${token}`, {
      method: 'POST',
      headers: MCP_POST_HEADERS,
      body: initializeBody(),
    });
    expect(response.status).toBe(400);
    expect(bearerChallenge(response.headers.get('www-authenticate')).params.error).toBe(
      'invalid_request',
    );
    expect(await response.text()).not.toContain(token);
  });

  it('guards the SSE endpoints with the same challenges', async () => {
    const sse = await fetch(server.sseUrl, { headers: { accept: 'text/event-stream' } });
    expect(sse.status).toBe(401);
    expect(bearerChallenge(sse.headers.get('www-authenticate')).params.resource_metadata).toBe(
      server.resourceMetadataUrl,
    );
    const messages = await fetch(new URL('/messages?sessionId=x', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer' },
      body: '{}',
    });
    expect(messages.status).toBe(400);
  });
});

describe('verification modes', () => {
  it("'jwt' refuses opaque tokens without asking the issuer; 'userinfo' sends JWTs to userinfo, which refuses them", async () => {
    const jwtOnly = await startMcpServer({ port: 0, issuer: issuer.issuer, verification: 'jwt' });
    const userinfoOnly = await startMcpServer({
      port: 0,
      issuer: issuer.issuer,
      verification: 'userinfo',
    });
    const seen: VerificationEvent[] = [];
    jwtOnly.events.on('verification', (e) => seen.push(e));
    userinfoOnly.events.on('verification', (e) => seen.push(e));
    try {
      const send = (target: RunningMcpServer, token: string) =>
        fetch(target.url, {
          method: 'POST',
          headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${token}` },
          body: initializeBody(),
        });
      const opaque = await send(jwtOnly, 'QNb1A_uBryrW5Pix-kYr4FSLT41UhKjaVtoWvbk171b');
      expect(opaque.status).toBe(401);
      expect(
        bearerChallenge(opaque.headers.get('www-authenticate')).params.error_description,
      ).toMatch(/only JWT access tokens/);
      const jwtFor = (target: RunningMcpServer) =>
        signToken(
          key,
          accessTokenClaims({ issuer: issuer.issuer, audience: target.resource, subject: 'modes' }),
        );
      expect((await send(jwtOnly, await jwtFor(jwtOnly))).status).toBe(200);
      const viaUserinfo = await send(userinfoOnly, await jwtFor(userinfoOnly));
      expect(viaUserinfo.status).toBe(401);
      expect(
        bearerChallenge(viaUserinfo.headers.get('www-authenticate')).params.error_description,
      ).toMatch(/userinfo endpoint rejected/);
      expect(seen.map((e) => e.method)).toEqual(['jwt', 'jwt', 'userinfo']);
    } finally {
      await jwtOnly.close();
      await userinfoOnly.close();
    }
  });
});
