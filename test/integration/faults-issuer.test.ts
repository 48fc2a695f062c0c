/**
 * Issuer faults, seen from both sides: the MCP server verifying tokens and the client engine
 * discovering the issuer and exchanging the code. The issuer is down (closed port), slower than the
 * deadline, answers HTML instead of JSON, names another issuer in its discovery document, rotates
 * its keys mid-session, or fails with 500. Every case ends within the deadline in one message that
 * names the issuer and the cause, and the same server and engine recover once the issuer does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Flow, FlowSettings } from '../../main/client/engine/flow';
import { FlowStepError } from '../../main/client/engine/notes';
import { sandboxApiResource, startIssuer, type RunningIssuer } from '../../main/issuer';
import { startMcpServer, type RunningMcpServer } from '../../main/server';
import { startEngineHost } from '../support/engine-host';
import { startTestSandbox } from '../support/sandbox';
import { signIn } from '../support/sign-in';
import {
  MCP_POST_HEADERS,
  accessTokenClaims,
  bearerChallenge,
  initializeBody,
  readIssuerKey,
  signInForTokens,
  signToken,
  type SigningKey,
} from './server-helpers';

/** Deadline for every issuer call, in the server (issuerTimeoutMs) and the engine (requestTimeoutMs). */
const TIMEOUT_MS = 400;
/** Scheduling slack on a busy two-core machine. */
const MARGIN_MS = 1_000;
/** Slower than the deadline. */
const SLOW_MS = 1_500;
const ALICE = { username: 'alice', password: 'alice-sandbox' };

type Host = Awaited<ReturnType<typeof startEngineHost>>;
let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// The MCP server's side: one request, its answer

interface ServerAnswer {
  status: number;
  error?: string;
  description: string;
  retryAfter: string | null;
  challenge: string | null;
}

async function ask(server: RunningMcpServer, token: string): Promise<ServerAnswer> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${token}` },
    body: initializeBody(),
  });
  const text = await response.text();
  const body = response.headers.get('content-type')?.includes('json')
    ? (JSON.parse(text) as { error?: string; error_description?: string })
    : {};
  return {
    status: response.status,
    ...(body.error && { error: body.error }),
    description: body.error_description ?? '',
    retryAfter: response.headers.get('retry-after'),
    challenge: response.headers.get('www-authenticate'),
  };
}

/** 503 temporarily_unavailable (the token is not called invalid), naming the issuer and the cause. */
async function expectIssuerFailure(
  server: RunningMcpServer,
  token: string,
  issuer: string,
  cause: RegExp,
): Promise<void> {
  const { value: answer, ms } = await timed(() => ask(server, token));
  expect(answer).toMatchObject({ status: 503, error: 'temporarily_unavailable', retryAfter: '5' });
  expect(answer.challenge).toBeNull();
  expect(answer.description).toMatch(
    new RegExp(`^Could not verify the token with the issuer ${escape(issuer)}: `),
  );
  expect(answer.description).toMatch(cause);
  expect(answer.description).toMatch(
    /The token was not rejected; try again once the issuer answers\.$/,
  );
  expect(answer.description).not.toContain(token);
  expect(ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
}

// ---------------------------------------------------------------------------------------------
// The engine's side: a flow run, and the step it failed at

function engineSettings(serverUrl: string, extra: Partial<FlowSettings> = {}): FlowSettings {
  return {
    profileId: `faults-${Math.random().toString(36).slice(2)}`,
    serverUrl,
    transport: 'streamable-http',
    clientId: 'sandbox-native',
    scopes: [],
    resource: { mode: 'auto' },
    extraParams: {},
    refreshTokens: false,
    ...extra,
  };
}

async function expectFlowFails(
  flow: Flow,
  stepId: string,
  message: RegExp,
  opts: { stepError?: boolean } = {},
): Promise<void> {
  const { value: error, ms } = await timed(() =>
    flow.run().then(
      () => undefined,
      (e: unknown) => e,
    ),
  );
  const failed = flow.steps.filter((s) => s.status === 'failed');
  expect(failed.map((s) => s.id)).toEqual([stepId]);
  expect(failed[0]?.error?.message).toMatch(message);
  if (opts.stepError !== false) {
    // A step error the engine explained: what happened, and what to do.
    expect(error).toBeInstanceOf(FlowStepError);
    expect(failed[0]?.error?.fix?.length ?? 0).toBeGreaterThan(20);
  }
  expect(ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
}

async function expectFlowCompletes(flow: Flow, subject?: string): Promise<void> {
  const { tools } = await flow.run();
  expect(tools.map((t) => t.name)).toContain('whoami');
  const result = await flow.callTool('whoami');
  expect(result.structuredContent).toMatchObject({
    authenticated: true,
    ...(subject && { subject }),
  });
  await flow.close();
}

// ---------------------------------------------------------------------------------------------
// The sandbox issuer: down (closed port, then restarted on it) and slow (setLatency)

describe('the sandbox issuer, down or slow', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  /** The issuer currently running on the sandbox's issuer port (replaced by restarts). */
  let issuer: RunningIssuer;
  let key: SigningKey;
  /** A second server on the same issuer, with short deadlines and no verification cache. */
  let server: RunningMcpServer;
  let aliceId: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    issuer = sandbox.issuer;
    key = await readIssuerKey(sandbox.dataDir);
    aliceId = issuer.users.find((u) => u.username === 'alice')!.id;
  });
  afterAll(async () => {
    await server?.close();
    if (issuer !== sandbox.issuer) await issuer.close();
    await sandbox?.close();
  });

  const freshServer = async () => {
    await server?.close();
    server = await startMcpServer({
      port: 0,
      issuer: sandbox.issuer.issuer,
      issuerTimeoutMs: TIMEOUT_MS,
      verificationCacheTtlMs: 0,
    });
  };
  const jwtFor = (target: RunningMcpServer) =>
    signToken(
      key,
      accessTokenClaims({
        issuer: sandbox.issuer.issuer,
        audience: target.resource,
        subject: aliceId,
      }),
    );
  const opaqueToken = async () =>
    (await signInForTokens(sandbox.issuer.issuer, ALICE, { scope: 'openid profile' })).access_token;
  const down = () => issuer.close();
  const up = async () => {
    issuer = await startIssuer({
      port: sandbox.issuer.port,
      dataDir: sandbox.dataDir,
      apiResources: [sandboxApiResource(sandbox.server.resource)],
    });
  };

  it('server: down → 503 "connection refused" at once, for JWTs and opaque tokens; then recovers', async () => {
    await freshServer();
    const opaque = await opaqueToken();
    await down();
    try {
      await expectIssuerFailure(server, await jwtFor(server), issuer.issuer, /connection refused/);
      await expectIssuerFailure(server, opaque, issuer.issuer, /connection refused/);
    } finally {
      await up();
    }
    // Same server, no restart: the JWT verifies against the restarted issuer's keys; opaque
    // tokens of the old process are gone with it (in-memory grants), a new one works.
    expect((await ask(server, await jwtFor(server))).status).toBe(200);
    expect((await ask(server, await opaqueToken())).status).toBe(200);
  });

  it('server: slower than issuerTimeoutMs → 503 naming the deadline; then recovers', async () => {
    await freshServer();
    const opaque = await opaqueToken();
    issuer.setLatency(SLOW_MS);
    try {
      // Discovery (first use), then userinfo (every opaque check): both bounded by the deadline.
      await expectIssuerFailure(server, await jwtFor(server), issuer.issuer, /within 0\.4 s/);
      await expectIssuerFailure(server, opaque, issuer.issuer, /within 0\.4 s/);
    } finally {
      issuer.setLatency(0);
    }
    expect((await ask(server, await jwtFor(server))).status).toBe(200);
    expect((await ask(server, opaque)).status).toBe(200);
  });

  it('engine: down at discovery → "could not be read … connection refused"; the same flow then completes', async () => {
    host = await startEngineHost();
    host.setPerson(ALICE);
    const flow = host.flow(engineSettings(sandbox.server.url), { requestTimeoutMs: TIMEOUT_MS });
    await down();
    try {
      await expectFlowFails(
        flow,
        'authorization-server-metadata',
        new RegExp(
          `^The authorization server metadata at ${escape(issuer.issuer)} could not be read: Could not reach http://127\\.0\\.0\\.1:${issuer.port}/\\S+: connection refused`,
        ),
      );
    } finally {
      await up();
    }
    await expectFlowCompletes(flow, aliceId);
  });

  it('engine: slow at discovery → "No answer … within 0.4 s"; the same flow then completes', async () => {
    host = await startEngineHost();
    host.setPerson(ALICE);
    const flow = host.flow(engineSettings(sandbox.server.url), { requestTimeoutMs: TIMEOUT_MS });
    issuer.setLatency(SLOW_MS);
    try {
      await expectFlowFails(
        flow,
        'authorization-server-metadata',
        new RegExp(
          `^The authorization server metadata at ${escape(issuer.issuer)} could not be read: No answer from http://127\\.0\\.0\\.1:${issuer.port}/\\S+ within 0\\.4 s`,
        ),
      );
    } finally {
      issuer.setLatency(0);
    }
    await expectFlowCompletes(flow, aliceId);
  });

  it.each([
    {
      fault: 'slow',
      cause: 'No answer from {token} within 0.4 s',
      inject: () => issuer.setLatency(SLOW_MS),
      heal: async () => issuer.setLatency(0),
    },
    {
      fault: 'down',
      cause: 'Could not reach {token}: connection refused',
      inject: () => down(),
      heal: () => up(),
    },
  ])(
    'engine: $fault at the token exchange → names the token endpoint; the same flow then completes',
    async (c) => {
      host = await startEngineHost();
      const h = host;
      let injected = false;
      const flow = h.flow(engineSettings(sandbox.server.url), {
        requestTimeoutMs: TIMEOUT_MS,
        // A person signs in; the issuer fails between the redirect and the token request.
        openAuthorizationUrl: async (url) => {
          const { callback } = await signIn(
            url,
            { ...ALICE, redirectUri: h.redirectUri },
            h.browser,
          );
          if (!injected) {
            injected = true;
            await c.inject();
          }
          await (await fetch(callback)).text();
        },
      });
      const tokenEndpoint = `${issuer.issuer}/token`;
      try {
        await expectFlowFails(
          flow,
          'token-exchange',
          new RegExp(
            `^The request to ${escape(tokenEndpoint)} failed: ${escape(c.cause).replace('\\{token\\}', escape(tokenEndpoint))}`,
          ),
        );
      } finally {
        await c.heal();
      }
      await expectFlowCompletes(flow, aliceId);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// A scripted issuer: the faults the sandbox cannot be made to have

type Fault = 'ok' | 'html' | 500 | 'hang';

interface Key {
  privateKey: CryptoKey;
  kid: string;
  publicJwk: JWK;
}

async function newKey(): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  const kid = `k-${randomBytes(4).toString('hex')}`;
  return {
    privateKey,
    kid,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' },
  };
}

/**
 * An OAuth authorization server in sixty lines, on loopback: discovery, JWKS, userinfo, an
 * authorization endpoint that approves at once (no person needed) and a token endpoint with PKCE.
 * Each endpoint can be told to answer HTML, 500, or nothing at all; discovery can name another
 * issuer; the signing key can be rotated; the port can be closed and opened again.
 */
async function startScriptedIssuer() {
  const faults: Record<'discovery' | 'jwks' | 'userinfo' | 'token', Fault> = {
    discovery: 'ok',
    jwks: 'ok',
    userinfo: 'ok',
    token: 'ok',
  };
  let key = await newKey();
  let documentIssuer: string | undefined;
  const codes = new Map<string, { challenge: string; resource?: string }>();
  const opaque = new Set<string>();
  const hits: { path: string; at: number }[] = [];
  const subject = 'scripted-user';

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  /** Answers per the fault; true when it did (or deliberately never will). */
  const misbehave = (res: ServerResponse, fault: Fault): boolean => {
    if (fault === 'hang') return true;
    if (fault === 'html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Sign in</title><p>Down for maintenance</p>');
      return true;
    }
    if (fault === 500) {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<h1>Internal Server Error</h1>');
      return true;
    }
    return false;
  };
  const mint = async (resource: string, signWith = key) =>
    new SignJWT({ scope: 'whoami:read', client_id: 'scripted-client' })
      .setProtectedHeader({ alg: 'ES384', typ: 'at+jwt', kid: signWith.kid })
      .setIssuer(issuer)
      .setAudience(resource)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(signWith.privateKey);
  const mintOpaque = () => {
    const token = randomBytes(32).toString('base64url');
    opaque.add(token);
    return token;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://scripted.invalid');
    hits.push({ path: url.pathname, at: performance.now() });
    if (url.pathname.includes('/.well-known/')) {
      if (misbehave(res, faults.discovery)) return;
      if (url.pathname !== '/oidc/.well-known/openid-configuration') return json(res, 404, {});
      return json(res, 200, {
        issuer: documentIssuer ?? issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/me`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES384'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        grant_types_supported: ['authorization_code'],
        scopes_supported: ['openid', 'whoami:read'],
      });
    }
    switch (url.pathname) {
      case '/oidc/jwks':
        if (misbehave(res, faults.jwks)) return;
        return json(res, 200, { keys: [key.publicJwk] });
      case '/oidc/me': {
        if (misbehave(res, faults.userinfo)) return;
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        return opaque.has(token)
          ? json(res, 200, { sub: subject, name: 'Scripted User' })
          : json(res, 401, { error: 'invalid_token' });
      }
      case '/oidc/auth': {
        const code = randomBytes(16).toString('base64url');
        const resource = url.searchParams.get('resource') ?? undefined;
        codes.set(code, {
          challenge: url.searchParams.get('code_challenge') ?? '',
          ...(resource && { resource }),
        });
        const back = new URL(url.searchParams.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        res.writeHead(302, { location: back.href });
        return res.end();
      }
      case '/oidc/token': {
        if (misbehave(res, faults.token)) return;
        let body = '';
        for await (const chunk of req) body += String(chunk);
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const pkce = createHash('sha256').update(verifier).digest('base64url');
        if (!grant || grant.challenge !== pkce) return json(res, 400, { error: 'invalid_grant' });
        codes.delete(form.get('code') ?? '');
        const resource = form.get('resource') ?? grant.resource;
        return json(res, 200, {
          access_token: resource ? await mint(resource) : mintOpaque(),
          token_type: 'Bearer',
          expires_in: 3600,
          scope: 'whoami:read',
        });
      }
      default:
        return json(res, 404, { error: 'not_found' });
    }
  };

  let server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}/oidc`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    issuer,
    port,
    faults,
    hits,
    subject,
    mint,
    mintOpaque,
    setDocumentIssuer: (value: string | undefined) => (documentIssuer = value),
    /** Publishes a new key in place of the old one (tokens signed with the old one stop verifying). */
    rotate: async () => {
      const previous = key;
      key = await newKey();
      return previous;
    },
    /** Closes the port; `start()` opens the same one again. */
    stop: close,
    start: async () => {
      server = createServer((req, res) => void handle(req, res));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close,
  };
}

describe('a scripted issuer that misbehaves', () => {
  let scripted: Awaited<ReturnType<typeof startScriptedIssuer>>;
  let server: RunningMcpServer;

  beforeAll(async () => {
    scripted = await startScriptedIssuer();
  });
  afterAll(async () => {
    await server?.close();
    await scripted?.close();
  });
  afterEach(() => {
    Object.assign(scripted.faults, { discovery: 'ok', jwks: 'ok', userinfo: 'ok', token: 'ok' });
    scripted.setDocumentIssuer(undefined);
  });

  const freshServer = async () => {
    await server?.close();
    server = await startMcpServer({
      port: 0,
      issuer: scripted.issuer,
      issuerTimeoutMs: TIMEOUT_MS,
      verificationCacheTtlMs: 0,
    });
  };
  const flowFor = (extra: Partial<FlowSettings> = {}) =>
    host!.flow(engineSettings(server.url, { clientId: 'scripted-client', ...extra }), {
      requestTimeoutMs: TIMEOUT_MS,
    });

  it('server: HTML instead of JSON at discovery, JWKS and userinfo → 503 saying so; then recovers', async () => {
    await freshServer();
    const jwt = await scripted.mint(server.resource);
    const opaque = scripted.mintOpaque();

    scripted.faults.discovery = 'html';
    await expectIssuerFailure(
      server,
      jwt,
      scripted.issuer,
      new RegExp(
        `no discovery document found \\(${escape(scripted.issuer)}/\\.well-known/openid-configuration did not answer JSON`,
      ),
    );
    scripted.faults.discovery = 'ok';
    scripted.faults.jwks = 'html';
    await expectIssuerFailure(server, jwt, scripted.issuer, /its JWKS could not be read \(.*JSON/);
    scripted.faults.jwks = 'ok';
    scripted.faults.userinfo = 'html';
    await expectIssuerFailure(
      server,
      opaque,
      scripted.issuer,
      new RegExp(`its userinfo endpoint ${escape(scripted.issuer)}/me did not answer JSON`),
    );
    scripted.faults.userinfo = 'ok';
    expect((await ask(server, jwt)).status).toBe(200);
    expect((await ask(server, opaque)).status).toBe(200);
  });

  it('server: userinfo failing with 500 → 503 naming the endpoint and the status; then recovers', async () => {
    await freshServer();
    const opaque = scripted.mintOpaque();
    scripted.faults.userinfo = 500;
    await expectIssuerFailure(
      server,
      opaque,
      scripted.issuer,
      new RegExp(`its userinfo endpoint ${escape(scripted.issuer)}/me answered HTTP 500`),
    );
    scripted.faults.userinfo = 'ok';
    expect((await ask(server, opaque)).status).toBe(200);
  });

  it('server: JWKS hanging → 503 within the deadline; then recovers', async () => {
    await freshServer();
    const jwt = await scripted.mint(server.resource);
    scripted.faults.jwks = 'hang';
    await expectIssuerFailure(
      server,
      jwt,
      scripted.issuer,
      /did not answer within 0\.4 s|within 0\.4 s/,
    );
    scripted.faults.jwks = 'ok';
    expect((await ask(server, jwt)).status).toBe(200);
  });

  it('server: a discovery document naming another issuer → 503 naming both; then recovers', async () => {
    await freshServer();
    const jwt = await scripted.mint(server.resource);
    const impostor = `http://127.0.0.1:${scripted.port}/other`;
    scripted.setDocumentIssuer(impostor);
    await expectIssuerFailure(
      server,
      jwt,
      scripted.issuer,
      new RegExp(`names the issuer ${escape(impostor)}; configure exactly that value`),
    );
    scripted.setDocumentIssuer(undefined);
    expect((await ask(server, jwt)).status).toBe(200);
  });

  it('server: JWKS rotated mid-session → the new key is fetched, the old key is refused by name', async () => {
    await freshServer();
    const before = await scripted.mint(server.resource);
    const init = await fetch(server.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${before}` },
      body: initializeBody(),
    });
    await init.text();
    expect(init.status).toBe(200);
    const session = init.headers.get('mcp-session-id')!;
    const whoami = async (token: string) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: {
          ...MCP_POST_HEADERS,
          authorization: `Bearer ${token}`,
          'mcp-session-id': session,
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'whoami', arguments: {} },
        }),
      });
      return { status: response.status, text: await response.text(), headers: response.headers };
    };
    expect((await whoami(before)).text).toContain(scripted.subject);

    await scripted.rotate();
    const after = await scripted.mint(server.resource);
    // jose refetches a JWKS for an unknown kid at most once per cooldown (1 s): wait it out.
    const lastJwks = scripted.hits.filter((h) => h.path === '/oidc/jwks').at(-1)?.at ?? 0;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, 1_100 - (performance.now() - lastJwks))),
    );
    const jwksFetches = scripted.hits.filter((h) => h.path === '/oidc/jwks').length;

    const renewed = await whoami(after);
    expect(renewed.status).toBe(200);
    expect(renewed.text).toContain(scripted.subject);
    expect(scripted.hits.filter((h) => h.path === '/oidc/jwks').length).toBe(jwksFetches + 1);

    const stale = await whoami(before);
    expect(stale.status).toBe(401);
    const challenge = bearerChallenge(stale.headers.get('www-authenticate'));
    expect(challenge.params.error).toBe('invalid_token');
    expect(challenge.params.error_description).toBe(
      'The token was signed with a key the issuer does not publish (unknown kid).',
    );
    expect(server.stats().streamableHttpSessions).toBe(1);
  });

  it('engine: HTML at discovery → "answered text/html instead of JSON"; the same flow then completes', async () => {
    await freshServer();
    host = await startEngineHost();
    const flow = flowFor();
    scripted.faults.discovery = 'html';
    await expectFlowFails(
      flow,
      'authorization-server-metadata',
      new RegExp(
        `^The authorization server metadata at ${escape(scripted.issuer)} could not be read: http://127\\.0\\.0\\.1:${scripted.port}/\\S+ answered text/html instead of JSON\\.$`,
      ),
    );
    scripted.faults.discovery = 'ok';
    await expectFlowCompletes(flow, scripted.subject);
  });

  it('engine: discovery hanging → "No answer … within 0.4 s"; the same flow then completes', async () => {
    await freshServer();
    host = await startEngineHost();
    const flow = flowFor();
    scripted.faults.discovery = 'hang';
    await expectFlowFails(
      flow,
      'authorization-server-metadata',
      new RegExp(
        `^The authorization server metadata at ${escape(scripted.issuer)} could not be read: No answer from \\S+ within 0\\.4 s`,
      ),
    );
    scripted.faults.discovery = 'ok';
    await expectFlowCompletes(flow, scripted.subject);
  });

  it('engine: down (closed port) → "connection refused"; the same flow completes once it is back', async () => {
    await freshServer();
    host = await startEngineHost();
    const flow = flowFor();
    await scripted.stop();
    try {
      await expectFlowFails(
        flow,
        'authorization-server-metadata',
        new RegExp(
          `^The authorization server metadata at ${escape(scripted.issuer)} could not be read: Could not reach \\S+: connection refused`,
        ),
      );
    } finally {
      await scripted.start();
    }
    await expectFlowCompletes(flow, scripted.subject);
  });

  it('engine: a discovery document naming another issuer stops the sign-in (RFC 8414 §3.3); then completes', async () => {
    await freshServer();
    host = await startEngineHost();
    const flow = flowFor();
    const impostor = `http://127.0.0.1:${scripted.port}/other`;
    scripted.setDocumentIssuer(impostor);
    const authorizations = scripted.hits.filter((h) => h.path === '/oidc/auth').length;
    await expectFlowFails(
      flow,
      'authorization-server-metadata',
      new RegExp(
        `^The metadata fetched for the issuer ${escape(scripted.issuer)} names another issuer, ${escape(impostor)}; RFC 8414 §3\\.3 forbids using it`,
      ),
    );
    // It stopped before the authorization request: nothing was sent to the impostor's endpoints.
    expect(scripted.hits.filter((h) => h.path === '/oidc/auth')).toHaveLength(authorizations);
    scripted.setDocumentIssuer(undefined);
    await expectFlowCompletes(flow, scripted.subject);
  });

  it.each([
    { fault: 500 as const, cause: 'it answered HTTP 500, which is not an OAuth answer' },
    { fault: 'html' as const, cause: 'Unexpected token' },
    { fault: 'hang' as const, cause: 'No answer from {token} within 0.4 s' },
  ])(
    'engine: token endpoint $fault → names the endpoint and the cause; then completes',
    async (c) => {
      await freshServer();
      host = await startEngineHost();
      const flow = flowFor();
      scripted.faults.token = c.fault;
      const tokenEndpoint = `${scripted.issuer}/token`;
      await expectFlowFails(
        flow,
        'token-exchange',
        new RegExp(
          `^The request to ${escape(tokenEndpoint)} failed: ${escape(c.cause).replace('\\{token\\}', escape(tokenEndpoint))}`,
        ),
      );
      scripted.faults.token = 'ok';
      await expectFlowCompletes(flow, scripted.subject);
    },
  );

  it("engine: userinfo failing (500) → the server's 503 reaches the engine naming the issuer; then completes", async () => {
    await freshServer();
    host = await startEngineHost();
    const flow = flowFor({ resource: { mode: 'none' } });
    scripted.faults.userinfo = 500;
    await expectFlowFails(
      flow,
      'mcp-connect',
      new RegExp(
        `Could not verify the token with the issuer ${escape(scripted.issuer)}: its userinfo endpoint ${escape(scripted.issuer)}/me answered HTTP 500`,
      ),
      // The MCP SDK's own error, carrying the server's words.
      { stepError: false },
    );
    scripted.faults.userinfo = 'ok';
    await expectFlowCompletes(flow, scripted.subject);
  });
});
