/**
 * Helpers for the MCP server's tests: a strict RFC 9110 challenge parser, token forging with the
 * sandbox issuer's persisted key (and foreign keys), a counting proxy in front of the issuer, a
 * tiny sign-in driver that gets real tokens from the sandbox issuer, and raw HTTP requests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

// ---------------------------------------------------------------------------------------------
// RFC 9110 §11.6.1 WWW-Authenticate parser (strict: throws on anything a standard parser rejects)

export interface ParsedChallenge {
  scheme: string;
  token68?: string;
  params: Record<string, string>;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 * auth-param = token BWS "=" BWS ( token / quoted-string )
 * Lists (#rule, RFC 9110 §5.6.1) may hold empty elements; parameter names are case-insensitive
 * and must not repeat within a challenge (§11.2).
 */
export function parseChallenges(header: string): ParsedChallenge[] {
  let i = 0;
  const n = header.length;
  const at = (k: number) => header[k] ?? '';
  const fail = (why: string): never => {
    throw new Error(`Malformed WWW-Authenticate at ${i} (${why}): ${header}`);
  };
  const skipOws = () => {
    while (i < n && (at(i) === ' ' || at(i) === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && TCHAR.test(at(i))) i++;
    if (i === start) fail('expected a token');
    return header.slice(start, i);
  };
  const readQuoted = (): string => {
    if (at(i) !== '"') fail('expected a quoted-string');
    i++;
    let out = '';
    for (;;) {
      if (i >= n) fail('unterminated quoted-string');
      const c = at(i);
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const next = at(i + 1);
        if (!/^[\t\x20-\x7E\x80-\xFF]$/.test(next)) fail('bad quoted-pair');
        out += next;
        i += 2;
        continue;
      }
      // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
      if (!/^[\t\x20\x21\x23-\x5B\x5D-\x7E\x80-\xFF]$/.test(c)) {
        fail('character not allowed in quoted-string');
      }
      out += c;
      i++;
    }
  };
  /** Whether an auth-param (token BWS "=" BWS value) starts at k. */
  const paramAt = (k: number): boolean => {
    let j = k;
    while (j < n && TCHAR.test(at(j))) j++;
    if (j === k) return false;
    while (j < n && (at(j) === ' ' || at(j) === '\t')) j++;
    if (at(j) !== '=') return false;
    j++;
    while (j < n && (at(j) === ' ' || at(j) === '\t')) j++;
    return at(j) === '"' || TCHAR.test(at(j));
  };
  const skipSeparators = () => {
    skipOws();
    while (at(i) === ',') {
      i++;
      skipOws();
    }
  };

  const challenges: ParsedChallenge[] = [];
  skipSeparators();
  while (i < n) {
    const challenge: ParsedChallenge = { scheme: readToken(), params: {} };
    challenges.push(challenge);
    let consumedComma = false;
    if (at(i) === ' ') {
      skipOws();
      if (paramAt(i)) {
        for (;;) {
          const name = readToken().toLowerCase();
          skipOws();
          i++; // "="
          skipOws();
          const value = at(i) === '"' ? readQuoted() : readToken();
          if (name in challenge.params) fail(`parameter ${name} repeated`);
          challenge.params[name] = value;
          skipOws();
          if (i >= n) break;
          if (at(i) !== ',') fail('expected "," after a parameter');
          skipSeparators();
          consumedComma = true;
          if (i >= n || !paramAt(i)) break;
          consumedComma = false;
        }
      } else if (i < n && at(i) !== ',') {
        const t68 = /^[A-Za-z0-9\-._~+/]+=*/.exec(header.slice(i));
        if (!t68) fail('expected token68 or auth-params');
        challenge.token68 = (t68 as RegExpExecArray)[0];
        i += challenge.token68.length;
      }
    }
    if (!consumedComma) {
      skipOws();
      if (i < n) {
        if (at(i) !== ',') fail('expected "," between challenges');
        skipSeparators();
      }
    }
  }
  if (challenges.length === 0) fail('no challenge');
  return challenges;
}

/** The single Bearer challenge of a response, parsed strictly. */
export function bearerChallenge(header: string | null | undefined): ParsedChallenge {
  if (!header) throw new Error('No WWW-Authenticate header');
  const challenges = parseChallenges(header);
  const bearer = challenges.filter((c) => c.scheme.toLowerCase() === 'bearer');
  if (bearer.length !== 1) throw new Error(`Expected one Bearer challenge in: ${header}`);
  return bearer[0] as ParsedChallenge;
}

// ---------------------------------------------------------------------------------------------
// Tokens

export interface SigningKey {
  key: CryptoKey;
  kid: string;
  alg: string;
  publicJwk: JWK;
}

/** The sandbox issuer's own private key, as persisted at signingKeysPath(dataDir). */
export async function readIssuerKey(dataDir: string): Promise<SigningKey> {
  // Imported on use, so unit tests that only need the parser do not load oidc-provider.
  const { signingKeysPath } = await import('../../main/issuer');
  const text = await readFile(signingKeysPath(dataDir), 'utf8');
  const jwk = (JSON.parse(text) as { keys: Array<JWK & { kid: string; alg: string }> }).keys[0];
  if (!jwk) throw new Error('No key in the issuer key file');
  const publicJwk = Object.fromEntries(Object.entries(jwk).filter(([name]) => name !== 'd')) as JWK;
  return {
    key: (await importJWK(jwk, jwk.alg)) as CryptoKey,
    kid: jwk.kid,
    alg: jwk.alg,
    publicJwk,
  };
}

/** A key the issuer does not know. */
export async function foreignKey(alg = 'ES384', kid = 'foreign-key'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { key: privateKey, kid, alg, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

/** A unique value planted in forged tokens: a response containing it echoes the token. */
export function canary(label: string): string {
  return `canary-${label}-${randomBytes(6).toString('hex')}`;
}

export interface ForgeOptions {
  typ?: string | null;
  kid?: string | null;
  alg?: string;
}

export async function signToken(
  key: SigningKey,
  claims: JWTPayload,
  options: ForgeOptions = {},
): Promise<string> {
  const header: Record<string, unknown> = { alg: options.alg ?? key.alg };
  if (options.typ !== null) header.typ = options.typ ?? 'at+jwt';
  if (options.kid !== null) header.kid = options.kid ?? key.kid;
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key.key);
}

/** Claims shaped like Logto's JWT access tokens (docs/logto.md), valid for an hour. */
export function accessTokenClaims(opts: {
  issuer: string;
  audience: string;
  subject: string;
  scope?: string;
  clientId?: string;
  extra?: JWTPayload;
}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    jti: randomBytes(8).toString('hex'),
    sub: opts.subject,
    iat: now,
    exp: now + 3600,
    scope: opts.scope ?? 'whoami:read',
    client_id: opts.clientId ?? 'sandbox-native',
    iss: opts.issuer,
    aud: opts.audience,
    ...opts.extra,
  };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `alg: none`, unsigned (RFC 7519 §6). */
export function unsignedToken(claims: JWTPayload): string {
  return `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`;
}

/** A genuinely signed token whose payload was then swapped: the signature no longer matches. */
export function tamper(token: string, changes: JWTPayload): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JWTPayload;
  return `${header}.${b64({ ...claims, ...changes })}.${signature}`;
}

// ---------------------------------------------------------------------------------------------
// The sandbox issuer, a throwaway data folder, and a counting proxy in front of it

export interface TestIssuer {
  issuer: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { startIssuer } = await import('../../main/issuer');
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-server-test-'));
  const running = await startIssuer({ port: 0, dataDir });
  return {
    issuer: running.issuer,
    dataDir,
    close: async () => {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type ProxyMode = 'pass' | 'hang';

export interface CountingProxy {
  origin: string;
  /** The issuer URL as seen through the proxy. */
  issuer: string;
  /** Paths requested so far, in order. */
  requests: string[];
  count(pathname: string): number;
  mode: ProxyMode;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of the issuer that counts every request. JSON answers have the
 * issuer's origin rewritten to the proxy's, so discovery sends the MCP server back through us.
 */
export async function startCountingProxy(issuer: string): Promise<CountingProxy> {
  const target = new URL(issuer).origin;
  const requests: string[] = [];
  const state = { mode: 'pass' as ProxyMode };
  let origin = '';
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    if (state.mode === 'hang') return;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'host' || name === 'connection' || value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    void (async () => {
      try {
        const upstream = await fetch(`${target}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers,
          redirect: 'manual',
        });
        let body = Buffer.from(await upstream.arrayBuffer());
        const type = upstream.headers.get('content-type') ?? '';
        if (type.includes('json')) {
          body = Buffer.from(body.toString('utf8').split(target).join(origin));
        }
        const out: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (
            !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(
              name,
            )
          ) {
            out[name] = value;
          }
        });
        res.writeHead(upstream.status, out);
        res.end(body);
      } catch (error) {
        res.writeHead(502).end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuerPath = new URL(issuer).pathname;
  return {
    origin,
    issuer: `${origin}${issuerPath}`,
    requests,
    count: (pathname) => requests.filter((p) => p === pathname).length,
    get mode() {
      return state.mode;
    },
    set mode(value: ProxyMode) {
      state.mode = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// A tiny sign-in driver: real tokens from the sandbox issuer, no browser

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

const REDIRECT_URI = 'http://127.0.0.1:1/callback';
const CLIENT_ID = 'sandbox-native';

class CookieJar {
  readonly #cookies = new Map<string, string>();
  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = (pair ?? '').indexOf('=');
      if (eq < 0) continue;
      const name = (pair ?? '').slice(0, eq).trim();
      const value = (pair ?? '').slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [k, v] = a.trim().split('=');
        if (k?.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k?.toLowerCase() === 'expires') return Date.parse(v ?? '') < Date.now();
        return false;
      });
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const unescapeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * Authorization code + PKCE (S256) with the sandbox's native client: follows the redirects to the
 * sign-in page, posts username and password, exchanges the code. Without `resource` the access
 * token is opaque (userinfo only, as on Logto); with it, a JWT for that resource.
 */
export async function signInForTokens(
  issuer: string,
  user: { username: string; password: string },
  opts: { scope?: string; resource?: string } = {},
): Promise<TokenResponse> {
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const authUrl = new URL(discovery.authorization_endpoint);
  authUrl.search = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: opts.scope ?? 'openid profile email',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(opts.resource ? { resource: opts.resource } : {}),
  }).toString();

  const jar = new CookieJar();
  let next: { url: string; init: RequestInit } = { url: authUrl.href, init: { method: 'GET' } };
  let code: string | undefined;
  let signedIn = false;
  for (let hop = 0; hop < 20 && !code; hop++) {
    const response = await fetch(next.url, {
      ...next.init,
      redirect: 'manual',
      headers: { ...(next.init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(response);
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location') ?? '', next.url);
      await response.body?.cancel();
      if (location.href.startsWith(REDIRECT_URI)) {
        const error = location.searchParams.get('error');
        if (error)
          throw new Error(
            `Authorization failed: ${error} ${location.searchParams.get('error_description') ?? ''}`,
          );
        if (location.searchParams.get('state') !== state) throw new Error('state mismatch');
        code = location.searchParams.get('code') ?? undefined;
        break;
      }
      next = { url: location.href, init: { method: 'GET' } };
      continue;
    }
    const html = await response.text();
    if (response.status !== 200)
      throw new Error(`Issuer answered ${response.status} at ${next.url}: ${html.slice(0, 300)}`);
    if (!/name="password"/.test(html) || signedIn) {
      throw new Error(`Unexpected page at ${next.url}: ${html.slice(0, 400)}`);
    }
    const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
    if (!action) throw new Error(`No form on the sign-in page at ${next.url}`);
    signedIn = true;
    next = {
      url: new URL(unescapeHtml(action), next.url).href,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: user.username, password: user.password }).toString(),
      },
    };
  }
  if (!code) throw new Error('The sign-in flow never reached the redirect URI');

  const tokenResponse = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      code_verifier: verifier,
      ...(opts.resource ? { resource: opts.resource } : {}),
    }).toString(),
  });
  const body = (await tokenResponse.json()) as TokenResponse & { error?: string };
  if (!tokenResponse.ok) throw new Error(`Token exchange failed: ${JSON.stringify(body)}`);
  return body;
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP (node:http lets a test set Host and Origin as an attacker's browser would)

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function rawRequest(opts: {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: opts.port,
        path: opts.path,
        method: opts.method ?? 'GET',
        headers: opts.headers ?? {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

/** An MCP initialize request body. */
export function initializeBody(id = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'server-test', version: '0.0.0' },
    },
  });
}

export const MCP_POST_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** A port that was free a moment ago (for resources an issuer must know before the server starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Opens GET /sse and returns the POST endpoint the server announces, plus a way to hang up. */
export async function openSseStream(
  sseUrl: string,
  authorization: string,
): Promise<{ endpoint: URL; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(sseUrl, {
    headers: { accept: 'text/event-stream', authorization },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) {
    controller.abort();
    throw new Error(`GET /sse answered ${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('SSE stream ended before the endpoint event');
    buffer += value;
    const match = /event: endpoint\ndata: (\S+)\n/.exec(buffer);
    if (match?.[1]) {
      return { endpoint: new URL(match[1], sseUrl), close: () => controller.abort() };
    }
  }
}
