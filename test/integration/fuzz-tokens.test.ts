/**
 * Token fuzzing: malformed, forged and misused credentials against every protected endpoint of
 * the bundled server (POST/GET/DELETE /mcp on a live session, POST /mcp initialize, GET /sse,
 * POST /messages on a live SSE session). None may get in, each gets a well-formed RFC 6750 answer
 * that echoes nothing of the token, and a valid user keeps being served throughout.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportSPKI, importJWK, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerificationEvent } from '../../main/server';
import { startTestSandbox } from '../support/sandbox';
import {
  accessTokenClaims,
  bearerChallenge,
  canary,
  foreignKey,
  readIssuerKey,
  signInForTokens,
  signToken,
  tamper,
  unsignedToken,
  type SigningKey,
} from './server-helpers';

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;

const ALICE = { username: 'alice', password: 'alice-sandbox' };
const BOB = { username: 'bob', password: 'bob-sandbox' };
const PROTOCOL_VERSION = '2025-06-18';

let sandbox: Sandbox;
let port: number;
let key: SigningKey;
let aliceId: string;
let aliceJwt: string;
let aliceOpaque: string;
let aliceIdToken: string;
let bobJwt: string;
let mcpSessionId: string;
let sse: SseSession;
/** A server that counts requests: tokens point jku/x5u at it, and nothing may ever call it. */
let lure: { server: Server; url: string; hits: number };
type Phase = 'setup' | 'fuzz' | 'valid';
let phase = 'setup' as Phase;
const events: (VerificationEvent & { phase: Phase })[] = [];
let validCalls = 0;

// ---------------------------------------------------------------------------------------------
// Raw HTTP: node:http for header lists (duplicates allowed), a socket for bytes http refuses

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Node's own parser answered (431, or 400 for bytes no header may hold): no app headers. */
  nodeLevel: boolean;
}

function send(opts: {
  method: string;
  path: string;
  headers: string[];
  body?: string;
  /** Read a 2xx event stream to its end (a valid POST's answer) instead of hanging up. */
  readStream?: boolean;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: opts.method,
        path: opts.path,
        headers: [`Host`, `localhost:${port}`, ...opts.headers],
        agent: false,
        timeout: 5_000,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // Node's own parser answers without a Date header; the app always sends one.
        const done = (body: string) =>
          resolve({ status, headers: res.headers, body, nodeLevel: !res.headers.date });
        if (
          !opts.readStream &&
          status >= 200 &&
          status < 300 &&
          /event-stream/.test(res.headers['content-type'] ?? '')
        ) {
          // An open stream: this request got in. Report it without waiting for the stream to end.
          res.destroy();
          done('');
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${opts.method} ${opts.path} timed out`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Writes the request byte for byte (header values node:http would refuse to send). */
function sendBytes(opts: {
  method: string;
  path: string;
  headers: string[];
  authorization: Buffer;
  body?: string;
}): Promise<Answer> {
  const body = Buffer.from(opts.body ?? '');
  const lines = [`${opts.method} ${opts.path} HTTP/1.1`, `Host: localhost:${port}`];
  for (let i = 0; i < opts.headers.length; i += 2)
    lines.push(`${opts.headers[i]}: ${opts.headers[i + 1]}`);
  lines.push(`Content-Length: ${body.length}`, 'Connection: close');
  const head = Buffer.concat([
    Buffer.from(`${lines.join('\r\n')}\r\nAuthorization: `, 'latin1'),
    opts.authorization,
    Buffer.from('\r\n\r\n', 'latin1'),
  ]);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(Buffer.concat([head, body])));
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(' ')[1] ?? 0),
        headers,
        body: rest.join('\r\n\r\n'),
        // Node's parser answers without a Date header or body; the app always sends both.
        nodeLevel: headers.date === undefined,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// A valid user: one Streamable HTTP session and one SSE session, both alive the whole time

function rpc(id: string | number, method: string, params: Record<string, unknown> = {}): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}
const INITIALIZE_PARAMS = {
  protocolVersion: PROTOCOL_VERSION,
  capabilities: {},
  clientInfo: { name: 'fuzz-tokens', version: '0' },
};
const JSON_HEADERS = [
  'Content-Type',
  'application/json',
  'Accept',
  'application/json, text/event-stream',
];

/** The JSON-RPC messages of a Streamable HTTP answer (SSE-framed or plain JSON). */
function messagesOf(body: string): Array<{ id?: unknown; result?: unknown; error?: unknown }> {
  const data = body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6));
  return (data.length ? data : [body]).filter(Boolean).map((text) => JSON.parse(text) as never);
}

function sessionHeaders(token: string): string[] {
  return [
    ...JSON_HEADERS,
    'Authorization',
    `Bearer ${token}`,
    'Mcp-Session-Id',
    mcpSessionId,
    'Mcp-Protocol-Version',
    PROTOCOL_VERSION,
  ];
}

async function validWhoami(): Promise<void> {
  phase = 'valid';
  try {
    const id = `valid-${++validCalls}`;
    const answer = await send({
      method: 'POST',
      path: '/mcp',
      headers: sessionHeaders(aliceJwt),
      body: rpc(id, 'tools/call', { name: 'whoami', arguments: {} }),
      readStream: true,
    });
    expect(answer.status).toBe(200);
    const [message] = messagesOf(answer.body);
    expect(message?.id).toBe(id);
    expect(message?.result).toMatchObject({
      structuredContent: { authenticated: true, subject: aliceId, scopes: ['whoami:read'] },
    });
  } finally {
    phase = 'fuzz';
  }
}

interface SseSession {
  sessionId: string;
  /** Every JSON-RPC message the server pushed on the stream. */
  received: Array<{ id?: unknown; result?: unknown }>;
  waitFor(id: string): Promise<{ id?: unknown; result?: unknown }>;
  close(): void;
}

async function openSse(token: string): Promise<SseSession> {
  const controller = new AbortController();
  const response = await fetch(`http://localhost:${port}/sse`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const received: SseSession['received'] = [];
  const waiters = new Map<string, (m: SseSession['received'][number]) => void>();
  let buffer = '';
  let endpoint: ((path: string) => void) | undefined;
  const endpointPath = new Promise<string>((resolve) => (endpoint = resolve));
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: '', done: true }));
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1] ?? '';
        if (event === 'endpoint') endpoint?.(data);
        else if (event === 'message') {
          const message = JSON.parse(data) as SseSession['received'][number];
          received.push(message);
          waiters.get(String(message.id))?.(message);
        }
      }
    }
  })();
  const path = await endpointPath;
  const sessionId = new URL(path, 'http://x').searchParams.get('sessionId') ?? '';
  return {
    sessionId,
    received,
    waitFor: (id) =>
      new Promise((resolve, reject) => {
        const seen = received.find((m) => m.id === id);
        if (seen) return resolve(seen);
        const timer = setTimeout(() => reject(new Error(`no SSE answer for ${id}`)), 5_000);
        waiters.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
      }),
    close: () => controller.abort(),
  };
}

async function postSse(id: string | undefined, method: string, params: Record<string, unknown>) {
  const body =
    id === undefined ? JSON.stringify({ jsonrpc: '2.0', method, params }) : rpc(id, method, params);
  return send({
    method: 'POST',
    path: `/messages?sessionId=${sse.sessionId}`,
    headers: ['Content-Type', 'application/json', 'Authorization', `Bearer ${aliceJwt}`],
    body,
  });
}

async function validSseWhoami(): Promise<void> {
  phase = 'valid';
  try {
    const id = `valid-sse-${++validCalls}`;
    expect((await postSse(id, 'tools/call', { name: 'whoami', arguments: {} })).status).toBe(202);
    expect(await sse.waitFor(id)).toMatchObject({
      result: { structuredContent: { authenticated: true, subject: aliceId } },
    });
  } finally {
    phase = 'fuzz';
  }
}

// ---------------------------------------------------------------------------------------------
// The endpoints, each with the request a client would send there

interface Endpoint {
  name: string;
  method: string;
  path: () => string;
  headers: () => string[];
  body?: () => string;
}

const ENDPOINTS: Endpoint[] = [
  {
    name: 'POST /mcp initialize',
    method: 'POST',
    path: () => '/mcp',
    headers: () => JSON_HEADERS,
    body: () => rpc('fuzz-init', 'initialize', INITIALIZE_PARAMS),
  },
  {
    name: "POST /mcp tools/call on alice's session",
    method: 'POST',
    path: () => '/mcp',
    headers: () => [
      ...JSON_HEADERS,
      'Mcp-Session-Id',
      mcpSessionId,
      'Mcp-Protocol-Version',
      PROTOCOL_VERSION,
    ],
    body: () => rpc('fuzz-call', 'tools/call', { name: 'whoami', arguments: {} }),
  },
  {
    name: "GET /mcp stream of alice's session",
    method: 'GET',
    path: () => '/mcp',
    headers: () => ['Accept', 'text/event-stream', 'Mcp-Session-Id', mcpSessionId],
  },
  {
    name: "DELETE /mcp alice's session",
    method: 'DELETE',
    path: () => '/mcp',
    headers: () => ['Mcp-Session-Id', mcpSessionId, 'Mcp-Protocol-Version', PROTOCOL_VERSION],
  },
  {
    name: 'GET /sse',
    method: 'GET',
    path: () => '/sse',
    headers: () => ['Accept', 'text/event-stream'],
  },
  {
    name: "POST /messages on alice's SSE session",
    method: 'POST',
    path: () => `/messages?sessionId=${sse.sessionId}`,
    headers: () => ['Content-Type', 'application/json'],
    body: () => rpc('fuzz-sse', 'tools/call', { name: 'whoami', arguments: {} }),
  },
];

// ---------------------------------------------------------------------------------------------
// The attempts

type ErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

interface Attempt {
  /** Authorization header value(s), in order; several means duplicate headers. */
  authorization?: string[];
  /** Sent byte for byte as the one Authorization header. */
  rawAuthorization?: Buffer;
  /** Appended to the query string. */
  query?: string;
  /** What must never come back (tokens, credentials); canaries are checked separately. */
  secrets: string[];
}

interface Expected {
  status: 400 | 401 | 403 | 431;
  /** null: the RFC 6750 §3.1 bare challenge (no Bearer credentials at all). */
  error?: ErrorCode | null;
  description?: RegExp;
  /** Answered by Node's HTTP parser before the app (431, or 400 for a control character). */
  node?: true;
}

interface Case {
  name: string;
  attempt: () => Promise<Attempt>;
  expect: Expected;
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const bearer = (token: string): Attempt => ({
  authorization: [`Bearer ${token}`],
  secrets: [token],
});

/** Claims of a token the issuer could have issued for this server, then `extra` on top. */
function claims(extra: JWTPayload = {}): JWTPayload {
  return accessTokenClaims({
    issuer: sandbox.issuer.issuer,
    audience: sandbox.server.resource,
    subject: aliceId,
    scope: 'whoami:read',
    extra: { marker: canary('marker'), ...extra },
  });
}
const without = (names: string[], extra: JWTPayload = {}) =>
  Object.fromEntries(Object.entries(claims(extra)).filter(([name]) => !names.includes(name)));
const signed = (payload: JWTPayload, options?: Parameters<typeof signToken>[2]) =>
  signToken(key, payload, options);
const segments = async () => (await signed(claims())).split('.') as [string, string, string];

/** A JWS signed with the issuer's key over exactly this header, whatever jose thinks of it. */
async function signRaw(header: Record<string, unknown>, payload: JWTPayload): Promise<string> {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-384' },
    key.key,
    new TextEncoder().encode(input),
  );
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

async function hmacWith(secret: Uint8Array, alg = 'HS256', kid?: string): Promise<string> {
  return new SignJWT(claims())
    .setProtectedHeader({ alg, typ: 'at+jwt', ...(kid && { kid }) })
    .sign(secret);
}

const INVALID_TOKEN = (description?: RegExp): Expected => ({
  status: 401,
  error: 'invalid_token',
  ...(description && { description }),
});
const INVALID_REQUEST = (description?: RegExp): Expected => ({
  status: 400,
  error: 'invalid_request',
  ...(description && { description }),
});
const INSUFFICIENT_SCOPE: Expected = { status: 403, error: 'insufficient_scope' };
const NO_CREDENTIALS: Expected = { status: 401, error: null };

const CASES: Case[] = [
  // Encoding and structure
  {
    name: 'bad base64 (% signs in the segments)',
    attempt: async () => bearer(`eyJhbGciOiJFUzM4NCJ9.%%${canary('pct')}%%.abc`),
    expect: INVALID_REQUEST(/b64token/),
  },
  {
    name: 'standard base64 (+ and /) instead of base64url',
    attempt: async () =>
      bearer(
        `eyJhbGciOiJFUzM4NCJ9+/.eyJzdWIiOiJ4In0+/.${randomBytes(16).toString('base64').replace(/=+$/, '')}+/`,
      ),
    expect: INVALID_TOKEN(/userinfo endpoint rejected/),
  },
  {
    name: 'padding inside a segment',
    attempt: async () => bearer(`YWJjZA==.ZGVmZ2hp.${canary('pad')}`),
    expect: INVALID_REQUEST(/b64token/),
  },
  {
    name: 'a signed token with base64 padding appended',
    attempt: async () => bearer(`${await signed(claims())}==`),
    expect: INVALID_TOKEN(),
  },
  {
    name: 'a header that is not JSON',
    attempt: async () => bearer(`${b64('not json at all')}.${b64(claims())}.${b64(canary('sig'))}`),
    expect: INVALID_TOKEN(/userinfo endpoint rejected/),
  },
  {
    name: 'a JSON header without alg',
    attempt: async () => bearer(`${b64({ typ: 'at+jwt' })}.${b64(claims())}.${b64(canary('sig'))}`),
    expect: INVALID_TOKEN(),
  },
  {
    name: 'a payload that is not JSON',
    attempt: async () => bearer(`${b64({ alg: 'ES384' })}.${b64(canary('payload'))}.${b64('sig')}`),
    expect: INVALID_TOKEN(/well-formed/),
  },
  {
    name: 'a payload that is a JSON array',
    attempt: async () => bearer(`${b64({ alg: 'ES384' })}.${b64([claims()])}.${b64('sig')}`),
    expect: INVALID_TOKEN(/well-formed/),
  },
  {
    name: 'a deeply nested JSON payload',
    attempt: async () =>
      bearer(
        `${b64({ alg: 'ES384' })}.${b64(`${'['.repeat(3000)}${']'.repeat(3000)}`)}.${b64('sig')}`,
      ),
    expect: INVALID_TOKEN(),
  },
  {
    name: '1 segment',
    attempt: async () => bearer(canary('one')),
    expect: INVALID_TOKEN(/userinfo endpoint rejected/),
  },
  {
    name: '2 segments (signature dropped with its dot)',
    attempt: async () => bearer((await segments()).slice(0, 2).join('.')),
    expect: INVALID_TOKEN(),
  },
  {
    name: '4 segments',
    attempt: async () => bearer(`${await signed(claims())}.${b64(canary('four'))}`),
    expect: INVALID_TOKEN(),
  },
  {
    name: '5 segments (shaped like a JWE)',
    attempt: async () =>
      bearer(
        [{ alg: 'dir', enc: 'A256GCM' }, '', canary('iv'), canary('ct'), 'tag'].map(b64).join('.'),
      ),
    expect: INVALID_TOKEN(),
  },
  {
    name: 'only dots',
    attempt: async () => bearer('....'),
    expect: INVALID_TOKEN(),
  },
  {
    name: 'an empty header segment',
    attempt: async () => bearer(`.${(await segments()).slice(1).join('.')}`),
    expect: INVALID_TOKEN(),
  },
  {
    name: 'an empty payload segment',
    attempt: async () => {
      const [header, , signature] = await segments();
      return bearer(`${header}..${signature}`);
    },
    expect: INVALID_TOKEN(),
  },
  {
    name: 'an empty signature segment',
    attempt: async () => bearer(`${(await segments()).slice(0, 2).join('.')}.`),
    expect: INVALID_TOKEN(),
  },
  // Size
  {
    name: 'exactly 8192 characters (the longest token accepted for checking)',
    attempt: async () => {
      const mark = canary('max');
      return bearer(`${mark}${'A'.repeat(8192 - mark.length)}`);
    },
    expect: INVALID_TOKEN(),
  },
  {
    name: '8193 characters (one over the limit)',
    attempt: async () => {
      const mark = canary('over');
      return bearer(`${mark}${'A'.repeat(8193 - mark.length)}`);
    },
    expect: INVALID_REQUEST(/longer than 8192/),
  },
  {
    name: 'a signed token padded to just under the limit, for another audience',
    attempt: async () => {
      const token = await signed(claims({ aud: 'https://elsewhere.example/', pad: '' }));
      const pad = 'p'.repeat(Math.floor(((8150 - token.length) * 3) / 4));
      return bearer(await signed(claims({ aud: 'https://elsewhere.example/', pad })));
    },
    expect: INVALID_TOKEN(/expected audience/),
  },
  {
    name: "just under Node's 16 KB header limit",
    attempt: async () => bearer(`${canary('big')}${'B'.repeat(15_000)}`),
    expect: INVALID_REQUEST(/longer than 8192/),
  },
  {
    name: "over Node's 16 KB header limit",
    attempt: async () => bearer(`${canary('huge')}${'C'.repeat(17_000)}`),
    expect: { status: 431, node: true },
  },
  // Algorithms and keys
  {
    name: 'alg none',
    attempt: async () => bearer(unsignedToken(claims())),
    expect: INVALID_TOKEN(/algorithm/),
  },
  {
    name: 'alg "None" (other case)',
    attempt: async () => bearer(`${b64({ alg: 'None', typ: 'at+jwt' })}.${b64(claims())}.`),
    expect: INVALID_TOKEN(/algorithm/),
  },
  {
    name: "alg none with the issuer's kid and a signature",
    attempt: async () =>
      bearer(`${b64({ alg: 'none', kid: key.kid })}.${b64(claims())}.${(await segments())[2]}`),
    expect: INVALID_TOKEN(/algorithm/),
  },
  {
    name: 'HS256 signed with the public JWK as the secret (key confusion)',
    attempt: async () =>
      bearer(
        await hmacWith(new TextEncoder().encode(JSON.stringify(key.publicJwk)), 'HS256', key.kid),
      ),
    expect: INVALID_TOKEN(/algorithm/),
  },
  {
    name: 'HS256 signed with the public key PEM as the secret (key confusion)',
    attempt: async () => {
      const publicKey = (await importJWK(key.publicJwk, key.alg)) as CryptoKey;
      return bearer(await hmacWith(new TextEncoder().encode(await exportSPKI(publicKey))));
    },
    expect: INVALID_TOKEN(/algorithm/),
  },
  {
    name: 'HS384 with a random secret',
    attempt: async () => bearer(await hmacWith(randomBytes(48), 'HS384')),
    expect: INVALID_TOKEN(/algorithm/),
  },
  {
    name: 'RS256 named in the header of an ES384 signature',
    attempt: async () => {
      const [, payload, signature] = await segments();
      return bearer(
        `${b64({ alg: 'RS256', typ: 'at+jwt', kid: key.kid })}.${payload}.${signature}`,
      );
    },
    expect: INVALID_TOKEN(),
  },
  {
    name: 'ES256 named in the header of an ES384 signature',
    attempt: async () => {
      const [, payload, signature] = await segments();
      return bearer(
        `${b64({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })}.${payload}.${signature}`,
      );
    },
    expect: INVALID_TOKEN(),
  },
  {
    name: 'an unknown kid (a foreign key)',
    attempt: async () =>
      bearer(await signToken(await foreignKey('ES384', canary('kid')), claims())),
    expect: INVALID_TOKEN(/unknown kid/),
  },
  {
    name: "the issuer's kid on a foreign key",
    attempt: async () =>
      bearer(await signToken({ ...(await foreignKey()), kid: key.kid }, claims())),
    expect: INVALID_TOKEN(/signature/),
  },
  {
    name: 'no kid, a foreign key',
    attempt: async () => bearer(await signToken(await foreignKey(), claims(), { kid: null })),
    expect: INVALID_TOKEN(/signature/),
  },
  {
    name: "the attacker's public key embedded in the header (jwk)",
    attempt: async () => {
      const foreign = await foreignKey('ES384', canary('jwk'));
      const token = await new SignJWT(claims())
        .setProtectedHeader({
          alg: 'ES384',
          typ: 'at+jwt',
          kid: foreign.kid,
          jwk: foreign.publicJwk,
        })
        .sign(foreign.key);
      return bearer(token);
    },
    expect: INVALID_TOKEN(/unknown kid/),
  },
  {
    name: "jku and x5u pointing at the attacker's server",
    attempt: async () => {
      const foreign = await foreignKey('ES384', canary('jku'));
      const token = await new SignJWT(claims())
        .setProtectedHeader({
          alg: 'ES384',
          typ: 'at+jwt',
          kid: foreign.kid,
          jku: `${lure.url}/jwks`,
          x5u: `${lure.url}/cert`,
        })
        .sign(foreign.key);
      return bearer(token);
    },
    expect: INVALID_TOKEN(/unknown kid/),
  },
  {
    name: 'a critical header extension the server does not know',
    // jose refuses to sign this, so the signature is made by hand with the issuer's real key.
    attempt: async () =>
      bearer(
        await signRaw(
          { alg: 'ES384', typ: 'at+jwt', kid: key.kid, crit: ['x-fuzz'], 'x-fuzz': 1 },
          claims(),
        ),
      ),
    expect: INVALID_TOKEN(/crit/),
  },
  {
    name: 'a payload swapped after signing (scope raised)',
    attempt: async () =>
      bearer(tamper(await signed(claims({ scope: 'openid' })), { scope: 'whoami:read admin' })),
    expect: INVALID_TOKEN(/signature/),
  },
  {
    name: "another token's signature",
    attempt: async () => {
      const [header, payload] = await segments();
      const [, , otherSignature] = (await signed(claims({ sub: 'someone-else' }))).split('.');
      return bearer(`${header}.${payload}.${otherSignature}`);
    },
    expect: INVALID_TOKEN(/signature/),
  },
  {
    name: 'a valid token with one character appended',
    attempt: async () => bearer(`${await signed(claims())}A`),
    expect: INVALID_TOKEN(),
  },
  {
    name: 'a truncated signature',
    attempt: async () => bearer((await signed(claims())).slice(0, -10)),
    expect: INVALID_TOKEN(),
  },
  // Claims, signed with the issuer's real key
  {
    name: 'another issuer',
    attempt: async () =>
      bearer(await signed(claims({ iss: `https://${canary('iss')}.example/oidc` }))),
    expect: INVALID_TOKEN(/not issued by/),
  },
  {
    name: 'the issuer with a trailing slash',
    attempt: async () => bearer(await signed(claims({ iss: `${sandbox.issuer.issuer}/` }))),
    expect: INVALID_TOKEN(/not issued by/),
  },
  {
    name: 'no iss',
    attempt: async () => bearer(await signed(without(['iss']))),
    expect: INVALID_TOKEN(/not issued by/),
  },
  {
    name: 'another audience',
    attempt: async () => bearer(await signed(claims({ aud: `https://${canary('aud')}.example/` }))),
    expect: INVALID_TOKEN(/expected audience/),
  },
  {
    name: 'an audience list without this server',
    attempt: async () =>
      bearer(
        await signed(
          claims({
            aud: ['https://a.example/', 'sandbox-native', `${sandbox.server.resource}mcp`],
          }),
        ),
      ),
    expect: INVALID_TOKEN(/expected audience/),
  },
  {
    name: 'no aud',
    attempt: async () => bearer(await signed(without(['aud']))),
    expect: INVALID_TOKEN(/expected audience/),
  },
  {
    name: 'the audience without its trailing slash',
    attempt: async () =>
      bearer(await signed(claims({ aud: sandbox.server.resource.replace(/\/$/, '') }))),
    expect: INVALID_TOKEN(/expected audience/),
  },
  {
    name: 'expired an hour ago',
    attempt: async () => bearer(await signed(claims({ iat: now() - 7200, exp: now() - 3600 }))),
    expect: INVALID_TOKEN(/expired/),
  },
  {
    name: 'expired just beyond the 30 s tolerance',
    attempt: async () => bearer(await signed(claims({ iat: now() - 600, exp: now() - 45 }))),
    expect: INVALID_TOKEN(/expired/),
  },
  {
    name: 'nbf an hour ahead',
    attempt: async () => bearer(await signed(claims({ nbf: now() + 3600 }))),
    expect: INVALID_TOKEN(/not valid yet/),
  },
  {
    name: 'nbf just beyond the tolerance',
    attempt: async () => bearer(await signed(claims({ nbf: now() + 60 }))),
    expect: INVALID_TOKEN(/not valid yet/),
  },
  {
    name: 'iat an hour ahead (issued in the future, no nbf)',
    attempt: async () => bearer(await signed(claims({ iat: now() + 3600, exp: now() + 7200 }))),
    expect: INVALID_TOKEN(/not valid yet/),
  },
  {
    name: 'no sub',
    attempt: async () => bearer(await signed(without(['sub']))),
    expect: INVALID_TOKEN(/sub claim/),
  },
  {
    name: 'an empty sub',
    attempt: async () => bearer(await signed(claims({ sub: '' }))),
    expect: INVALID_TOKEN(/sub claim/),
  },
  {
    name: 'a numeric sub',
    attempt: async () => bearer(await signed(claims({ sub: 12345 as unknown as string }))),
    expect: INVALID_TOKEN(/sub claim/),
  },
  {
    name: 'no exp',
    attempt: async () => bearer(await signed(without(['exp']))),
    expect: INVALID_TOKEN(/exp claim/),
  },
  {
    name: 'exp as a string',
    attempt: async () =>
      bearer(await signed(claims({ exp: String(now() + 3600) as unknown as number }))),
    expect: INVALID_TOKEN(/exp claim/),
  },
  {
    name: "an ID token's claims with typ JWT",
    attempt: async () =>
      bearer(
        await signed(claims({ aud: 'sandbox-native', nonce: canary('nonce'), at_hash: 'x' }), {
          typ: 'JWT',
        }),
      ),
    expect: INVALID_TOKEN(/expected audience/),
  },
  {
    name: 'a real ID token from the sandbox sign-in',
    attempt: async () => bearer(aliceIdToken),
    expect: INVALID_TOKEN(/expected audience/),
  },
  {
    name: 'typ id_token+jwt',
    attempt: async () => bearer(await signed(claims(), { typ: 'id_token+jwt' })),
    expect: INVALID_TOKEN(/not an access token/),
  },
  {
    name: 'typ logout+jwt',
    attempt: async () => bearer(await signed(claims(), { typ: 'logout+jwt' })),
    expect: INVALID_TOKEN(/not an access token/),
  },
  {
    name: 'typ dpop+jwt',
    attempt: async () => bearer(await signed(claims(), { typ: 'dpop+jwt' })),
    expect: INVALID_TOKEN(/not an access token/),
  },
  // Scopes of odd shapes (this server requires whoami:read), signed with the real key
  {
    name: 'scope as an array',
    attempt: async () => bearer(await signed(claims({ scope: ['whoami:read'] }))),
    expect: INVALID_TOKEN(/scope claim/),
  },
  {
    name: 'scope as a number',
    attempt: async () => bearer(await signed(claims({ scope: 1 }))),
    expect: INVALID_TOKEN(/scope claim/),
  },
  {
    name: 'scope as an object',
    attempt: async () => bearer(await signed(claims({ scope: { 'whoami:read': true } }))),
    expect: INVALID_TOKEN(/scope claim/),
  },
  {
    name: 'scope null',
    attempt: async () => bearer(await signed(claims({ scope: null }))),
    expect: INVALID_TOKEN(/scope claim/),
  },
  {
    name: 'a huge scope string without whoami:read',
    attempt: async () => bearer(await signed(claims({ scope: 'read:whoamI '.repeat(450) }))),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: 'full-width unicode look-alike of whoami:read',
    attempt: async () => bearer(await signed(claims({ scope: 'ｒｅａｄ:ｗｈｏａｍｉ' }))),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: 'whoami:read with a zero-width space',
    attempt: async () => bearer(await signed(claims({ scope: 'whoami:read\u200b' }))),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: 'comma-separated scopes',
    attempt: async () => bearer(await signed(claims({ scope: 'openid,whoami:read,admin' }))),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: 'a quoted scope',
    attempt: async () => bearer(await signed(claims({ scope: '"whoami:read"' }))),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: 'a scope that tries to close the challenge quote',
    attempt: async () =>
      bearer(await signed(claims({ scope: 'x", error="none", scope="whoami:read' }))),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: 'a trailing backslash',
    attempt: async () => bearer(await signed(claims({ scope: 'whoami:read\\' }))),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: 'upper case READ:WHOAMI',
    attempt: async () => bearer(await signed(claims({ scope: 'READ:WHOAMI' }))),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: 'tab and newline as separators',
    attempt: async () => bearer(await signed(claims({ scope: 'openid\twhoami:read\nprofile' }))),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: 'scp as a list without the scope, no scope claim',
    attempt: async () => bearer(await signed(without(['scope'], { scp: ['admin', 'openid'] }))),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: 'scp as a number, no scope claim',
    attempt: async () => bearer(await signed(without(['scope'], { scp: 7 }))),
    expect: INVALID_TOKEN(/scp claim/),
  },
  // Real tokens, wrong use
  {
    name: "alice's real opaque token (userinfo knows her, but it carries no scope)",
    attempt: async () => bearer(aliceOpaque),
    expect: INSUFFICIENT_SCOPE,
  },
  {
    name: "bob's real JWT (no API permission)",
    attempt: async () => bearer(bobJwt),
    expect: INSUFFICIENT_SCOPE,
  },
  // Other shapes
  {
    name: 'JSON in place of a token',
    attempt: async () => bearer(JSON.stringify({ sub: canary('json'), admin: true })),
    expect: INVALID_REQUEST(),
  },
  {
    name: 'a space inside the token',
    attempt: async () => bearer(`${canary('sp1')} ${canary('sp2')}`),
    expect: INVALID_REQUEST(),
  },
  {
    name: 'a tab inside the token',
    attempt: async () => bearer(`${canary('tab1')}\t${canary('tab2')}`),
    expect: INVALID_REQUEST(/b64token/),
  },
  {
    name: 'Latin-1 letters',
    attempt: async () => bearer(`${canary('latin')}café`),
    expect: INVALID_REQUEST(/b64token/),
  },
  {
    name: 'UTF-8 bytes (emoji)',
    attempt: async () => {
      const token = `${canary('utf8')}🔑ключ`;
      return { rawAuthorization: Buffer.from(`Bearer ${token}`, 'utf8'), secrets: [token] };
    },
    expect: INVALID_REQUEST(/b64token/),
  },
  {
    name: 'a control character (U+0001)',
    attempt: async () => ({
      rawAuthorization: Buffer.from(`Bearer ${canary('ctl')}\x01x`, 'latin1'),
      secrets: [],
    }),
    expect: { status: 400, node: true },
  },
  {
    name: 'DEL (U+007F)',
    attempt: async () => ({
      rawAuthorization: Buffer.from(`Bearer ${canary('del')}\x7fx`, 'latin1'),
      secrets: [],
    }),
    expect: { status: 400, node: true },
  },
  {
    name: 'NUL',
    attempt: async () => ({
      rawAuthorization: Buffer.from(`Bearer ${aliceJwt}\x00`, 'latin1'),
      secrets: [],
    }),
    expect: { status: 400, node: true },
  },
  // Headers and schemes
  {
    name: 'two Authorization headers: a valid one, then a bad one',
    attempt: async () => {
      const bad = canary('dup');
      return { authorization: [`Bearer ${aliceJwt}`, `Bearer ${bad}`], secrets: [aliceJwt, bad] };
    },
    expect: INVALID_REQUEST(/more than one Authorization header/),
  },
  {
    name: 'two Authorization headers: a bad one, then a valid one',
    attempt: async () => {
      const bad = canary('dup');
      return { authorization: [`Bearer ${bad}`, `Bearer ${aliceJwt}`], secrets: [aliceJwt, bad] };
    },
    expect: INVALID_REQUEST(/more than one Authorization header/),
  },
  {
    name: 'the same valid Authorization header twice',
    attempt: async () => ({
      authorization: [`Bearer ${aliceJwt}`, `Bearer ${aliceJwt}`],
      secrets: [aliceJwt],
    }),
    expect: INVALID_REQUEST(/more than one Authorization header/),
  },
  {
    name: 'two Bearer credentials in one header, comma-separated',
    attempt: async () => ({
      authorization: [`Bearer ${aliceJwt}, Bearer ${canary('comma')}`],
      secrets: [aliceJwt],
    }),
    expect: INVALID_REQUEST(),
  },
  {
    name: '"bearer" in lower case with a bad token',
    attempt: async () => {
      const token = canary('lower');
      return { authorization: [`bearer ${token}`], secrets: [token] };
    },
    expect: INVALID_TOKEN(),
  },
  {
    name: '"BEARER" in upper case with a bad token',
    attempt: async () => {
      const token = await signed(claims({ exp: now() - 3600 }));
      return { authorization: [`BEARER ${token}`], secrets: [token] };
    },
    expect: INVALID_TOKEN(/expired/),
  },
  {
    name: '"bEaReR" in mixed case with a forged token',
    attempt: async () => {
      const token = unsignedToken(claims());
      return { authorization: [`bEaReR ${token}`], secrets: [token] };
    },
    expect: INVALID_TOKEN(/algorithm/),
  },
  {
    name: 'Bearer without a token',
    attempt: async () => ({ authorization: ['Bearer'], secrets: [] }),
    expect: INVALID_REQUEST(),
  },
  {
    name: 'a tab after Bearer',
    attempt: async () => {
      const token = canary('tabsep');
      return { authorization: [`Bearer\t${token}`], secrets: [token] };
    },
    expect: INVALID_REQUEST(),
  },
  {
    name: '"Bearer:" glued to the token',
    attempt: async () => ({ authorization: [`Bearer:${aliceJwt}`], secrets: [aliceJwt] }),
    expect: NO_CREDENTIALS,
  },
  {
    name: 'Basic credentials',
    attempt: async () => {
      const credentials = Buffer.from(`alice:${canary('password')}`).toString('base64');
      return { authorization: [`Basic ${credentials}`], secrets: [credentials] };
    },
    expect: NO_CREDENTIALS,
  },
  {
    name: 'Digest credentials',
    attempt: async () => {
      const response = canary('digest');
      return {
        authorization: [
          `Digest username="alice", realm="mcp", nonce="n", uri="/mcp", response="${response}"`,
        ],
        secrets: [response],
      };
    },
    expect: NO_CREDENTIALS,
  },
  {
    name: 'Negotiate',
    attempt: async () => {
      const blob = randomBytes(48).toString('base64');
      return { authorization: [`Negotiate ${blob}`], secrets: [blob] };
    },
    expect: NO_CREDENTIALS,
  },
  {
    name: 'a valid token under the "Token" scheme',
    attempt: async () => ({ authorization: [`Token ${aliceJwt}`], secrets: [aliceJwt] }),
    expect: NO_CREDENTIALS,
  },
  {
    name: 'a valid token under the "DPoP" scheme',
    attempt: async () => ({ authorization: [`DPoP ${aliceJwt}`], secrets: [aliceJwt] }),
    expect: NO_CREDENTIALS,
  },
  {
    name: 'a valid token in the query string only',
    attempt: async () => ({ query: `access_token=${aliceJwt}`, secrets: [aliceJwt] }),
    expect: INVALID_REQUEST(/not in the URL/),
  },
  {
    name: 'a valid token in the query string and in the header',
    attempt: async () => ({
      authorization: [`Bearer ${aliceJwt}`],
      query: `access_token=${aliceJwt}`,
      secrets: [aliceJwt],
    }),
    expect: INVALID_REQUEST(/not in the URL/),
  },
  {
    name: 'an empty access_token in the query string',
    attempt: async () => ({ query: 'access_token=', secrets: [] }),
    expect: INVALID_REQUEST(/not in the URL/),
  },
];

// ---------------------------------------------------------------------------------------------
// Checks

/** Every 8-character piece of `secret` that appears in `text`. */
function echoed(secret: string, text: string): string[] {
  if (secret.length < 8) return [];
  const pieces = new Set<string>();
  for (let i = 0; i + 8 <= text.length; i++) pieces.add(text.slice(i, i + 8));
  const found = new Set<string>();
  for (let i = 0; i + 8 <= secret.length; i++) {
    const piece = secret.slice(i, i + 8);
    if (pieces.has(piece)) found.add(piece);
  }
  return [...found];
}

function check(endpoint: Endpoint, attempt: Attempt, expected: Expected, answer: Answer): void {
  const where = `${endpoint.name}: ${answer.status} ${answer.body.slice(0, 200)}`;
  expect(answer.status, where).toBe(expected.status);

  const headerText = Object.entries(answer.headers)
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`)
    .join('\n');
  const everything = `${headerText}\n${answer.body}`;
  for (const secret of attempt.secrets) expect(echoed(secret, everything), where).toEqual([]);
  expect(everything, where).not.toMatch(/canary-/);

  if (expected.node) {
    expect(answer.nodeLevel, where).toBe(true);
    return;
  }
  expect(answer.headers['cache-control'], where).toBe('no-store');
  const raw = answer.headers['www-authenticate'];
  const challenge = bearerChallenge(Array.isArray(raw) ? raw.join(', ') : raw);
  expect(challenge.params.resource_metadata, where).toBe(sandbox.server.resourceMetadataUrl);
  const body = JSON.parse(answer.body) as { error: string; error_description: string };
  expect(body.error_description.length, where).toBeGreaterThan(10);
  if (expected.error === null) {
    // RFC 6750 §3.1: no Bearer credentials, no error code; where to get a token and what to ask.
    expect(challenge.params.error, where).toBeUndefined();
    expect(challenge.params.scope, where).toBe('openid profile whoami:read');
    expect(body.error, where).toBe('unauthorized');
    return;
  }
  expect(challenge.params.error, where).toBe(expected.error);
  expect(body.error, where).toBe(expected.error);
  const description = challenge.params.error_description ?? '';
  expect(description.length, where).toBeGreaterThan(10);
  if (expected.description) expect(description, where).toMatch(expected.description);
  if (expected.error === 'insufficient_scope')
    expect(challenge.params.scope, where).toBe('whoami:read');
}

async function attemptAt(endpoint: Endpoint, attempt: Attempt): Promise<Answer> {
  const path = attempt.query
    ? `${endpoint.path()}${endpoint.path().includes('?') ? '&' : '?'}${attempt.query}`
    : endpoint.path();
  const body = endpoint.body?.();
  if (attempt.rawAuthorization) {
    return sendBytes({
      method: endpoint.method,
      path,
      headers: endpoint.headers(),
      authorization: attempt.rawAuthorization,
      ...(body !== undefined && { body }),
    });
  }
  const headers = [...endpoint.headers()];
  for (const value of attempt.authorization ?? []) headers.push('Authorization', value);
  return send({ method: endpoint.method, path, headers, ...(body !== undefined && { body }) });
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  sandbox = await startTestSandbox({ requiredScopes: ['whoami:read'] });
  port = sandbox.server.port;
  sandbox.server.events.on('verification', (event) => events.push({ ...event, phase }));
  key = await readIssuerKey(sandbox.dataDir);
  aliceId = sandbox.issuer.users.find((u) => u.username === 'alice')!.id;
  const resource = sandbox.server.resource;
  const [alice, opaque, bob] = await Promise.all([
    signInForTokens(sandbox.issuer.issuer, ALICE, { scope: 'openid whoami:read', resource }),
    signInForTokens(sandbox.issuer.issuer, ALICE, { scope: 'openid profile' }),
    signInForTokens(sandbox.issuer.issuer, BOB, { scope: 'openid whoami:read', resource }),
  ]);
  aliceJwt = alice.access_token;
  aliceIdToken = alice.id_token!;
  aliceOpaque = opaque.access_token;
  bobJwt = bob.access_token;

  const lureServer = createServer((_req, res) => {
    lure.hits++;
    res.end('{}');
  });
  await new Promise<void>((resolve) => lureServer.listen(0, '127.0.0.1', resolve));
  lure = {
    server: lureServer,
    url: `http://127.0.0.1:${(lureServer.address() as AddressInfo).port}`,
    hits: 0,
  };

  // Alice's Streamable HTTP session...
  const init = await send({
    method: 'POST',
    path: '/mcp',
    headers: [...JSON_HEADERS, 'Authorization', `Bearer ${aliceJwt}`],
    body: rpc(0, 'initialize', INITIALIZE_PARAMS),
    readStream: true,
  });
  expect(init.status).toBe(200);
  mcpSessionId = String(init.headers['mcp-session-id']);
  const initialized = await send({
    method: 'POST',
    path: '/mcp',
    headers: sessionHeaders(aliceJwt),
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  expect(initialized.status).toBe(202);
  // ...and her SSE session.
  sse = await openSse(aliceJwt);
  expect((await postSse('sse-init', 'initialize', INITIALIZE_PARAMS)).status).toBe(202);
  await sse.waitFor('sse-init');
  expect((await postSse(undefined, 'notifications/initialized', {})).status).toBe(202);
  await validWhoami();
  await validSseWhoami();
  phase = 'fuzz';
});

afterAll(async () => {
  sse?.close();
  lure?.server.close();
  await sandbox?.close();
});

describe('token fuzzing against every protected endpoint', () => {
  it('has at least 50 malformed or forged tokens', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c, index) => ({ ...c, index })))(
    '$name',
    async ({ attempt, expect: expected, index }) => {
      const made = await attempt();
      for (const endpoint of ENDPOINTS) {
        check(endpoint, made, expected, await attemptAt(endpoint, made));
      }
      // Alice is served between any two attempts, on both transports.
      await validWhoami();
      if (index % 10 === 9) await validSseWhoami();
    },
  );

  it('let nothing in, and still serves alice with the same sessions, holding nothing extra', async () => {
    await validWhoami();
    await validSseWhoami();
    // No attempt was allowed; every one that reached the app was reported as rejected.
    const fuzz = events.filter((e) => e.phase === 'fuzz');
    expect(fuzz.filter((e) => e.verdict !== 'rejected')).toEqual([]);
    const appLevel = CASES.filter((c) => !c.expect.node).length;
    expect(fuzz).toHaveLength(appLevel * ENDPOINTS.length);
    expect(events.filter((e) => e.phase === 'valid').every((e) => e.verdict === 'allowed')).toBe(
      true,
    );
    expect(JSON.stringify(events)).not.toContain(aliceJwt);
    // Nothing reached the tool through the SSE session except alice's own calls.
    expect(
      sse.received
        .map((m) => String(m.id))
        .filter((id) => !id.startsWith('valid-') && id !== 'sse-init'),
    ).toEqual([]);
    // No session was opened, hijacked or closed; the verification cache holds only verified tokens.
    expect(sandbox.server.stats()).toMatchObject({ streamableHttpSessions: 1, sseSessions: 1 });
    expect(sandbox.server.stats().cachedVerdicts).toBeLessThanOrEqual(20);
    // jku / x5u in a token header are never followed.
    expect(lure.hits).toBe(0);
  });
});
