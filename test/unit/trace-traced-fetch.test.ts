import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { freePort } from '../../main/shared/free-port';
import type { HttpExchange, RecordedEvent, RedactedToken } from '../../main/trace';
import { createTracedFetch, fingerprint, TraceRecorder } from '../../main/trace';

const CODE = 'SplxlOBeZQQYbYS6WxSbIA_code_0123456789abcd';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CLIENT_SECRET = 'cs_9f3b2a7c1d8e4f60';
const REFRESH = 'rt_Qm9zLXJlZnJlc2gtdG9rZW4tMDEyMzQ1Njc4OQ';

let server: Server;
let base: string;
let accessToken: string;
let idToken: string;
const openStreams = new Set<ServerResponse>();
/** What the server received, to prove the traced fetch did not disturb the request. */
const received: { path: string; body: string; authorization?: string }[] = [];

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
  });

beforeAll(async () => {
  const { privateKey } = await generateKeyPair('ES384');
  const issuer = 'http://127.0.0.1/oidc';
  accessToken = await new SignJWT({ scope: 'read:profile', client_id: 'desktop-app' })
    .setProtectedHeader({ alg: 'ES384', typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience('http://localhost:3001/')
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  idToken = await new SignJWT({ nonce: 'n-1', name: 'Alice' })
    .setProtectedHeader({ alg: 'ES384' })
    .setIssuer(issuer)
    .setAudience('desktop-app')
    .setSubject('user-1')
    .setExpirationTime('1h')
    .sign(privateKey);

  server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      received.push({
        path,
        body,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      switch (path) {
        case '/oidc/token':
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(
            JSON.stringify({
              access_token: accessToken,
              refresh_token: REFRESH,
              id_token: idToken,
              token_type: 'Bearer',
              expires_in: 3600,
              scope: 'openid offline_access read:profile',
            }),
          );
          return;
        case '/mcp':
          res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'session-1' });
          res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { ok: true } }));
          return;
        case '/oidc/auth':
          res.writeHead(303, {
            location: `http://127.0.0.1:5173/callback?code=${CODE}&state=st-42&iss=${encodeURIComponent(issuer)}`,
            'set-cookie': ['_session=sess_0123456789abcdef; Path=/; HttpOnly'],
          });
          res.end();
          return;
        case '/sse':
          // An event stream that never ends (the MCP server's GET stream).
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          res.write('event: message\ndata: {"hello":1}\n\n');
          openStreams.add(res);
          return;
        case '/big':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('a'.repeat(200_000));
          return;
        case '/error-page':
          res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' });
          res.end(
            `<!doctype html><html><body><h1>invalid_client</h1><p>Client secret ${CLIENT_SECRET} does not match.</p></body></html>`,
          );
          return;
        default:
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end(`no ${path}`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const stream of openStreams) stream.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const exchanges = (recorder: TraceRecorder): HttpExchange[] =>
  recorder.events().flatMap((e: RecordedEvent) => (e.type === 'http' ? [e.exchange] : []));

describe('createTracedFetch', () => {
  it('records a token exchange and the MCP call after it with no raw secret in the export', async () => {
    const recorder = new TraceRecorder();
    let step = 'token';
    const tracedFetch = createTracedFetch({
      recorder,
      party: 'client',
      flowId: 'flow-1',
      stepId: () => step,
    });

    const tokenResponse = await tracedFetch(`${base}/oidc/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`desktop-app:${CLIENT_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: CODE,
        code_verifier: VERIFIER,
        redirect_uri: 'http://127.0.0.1:5173/callback',
        client_secret: CLIENT_SECRET,
      }),
    });
    // The caller still reads the real body.
    const tokens = (await tokenResponse.json()) as { access_token: string };
    expect(tokens.access_token).toBe(accessToken);
    expect(received.at(-1)?.body).toContain(`code_verifier=${VERIFIER}`);

    step = 'mcp';
    const mcp = await tracedFetch(new URL(`${base}/mcp`), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'whoami' },
      }),
    });
    expect(await mcp.json()).toEqual({ jsonrpc: '2.0', id: 1, result: { ok: true } });

    const exported = recorder.export();
    for (const secret of [accessToken, idToken, REFRESH, CODE, VERIFIER, CLIENT_SECRET]) {
      expect(exported).not.toContain(secret);
    }
    for (const signature of [accessToken, idToken].map((t) => t.split('.')[2] ?? '')) {
      expect(exported).not.toContain(signature);
    }

    const [token, call] = exchanges(recorder);
    expect(token).toMatchObject({
      party: 'client',
      flowId: 'flow-1',
      stepId: 'token',
      request: {
        method: 'POST',
        url: `${base}/oidc/token`,
        headers: {
          authorization: expect.stringMatching(/^Basic desktop-app:«redacted client_secret/),
        },
        body: {
          contentType: 'application/x-www-form-urlencoded',
          form: {
            grant_type: 'authorization_code',
            redirect_uri: 'http://127.0.0.1:5173/callback',
            code: `«redacted code ${fingerprint(CODE)}»`,
            code_verifier: `«redacted code_verifier ${fingerprint(VERIFIER)}»`,
          },
        },
      },
      response: { status: 200, statusText: 'OK' },
    });
    const json = token?.response?.body?.json as Record<string, RedactedToken | string | number>;
    const access = json['access_token'] as RedactedToken;
    expect(access.jwt?.payload).toMatchObject({
      iss: 'http://127.0.0.1/oidc',
      aud: 'http://localhost:3001/',
      scope: 'read:profile',
      exp: expect.any(Number),
    });
    expect((json['id_token'] as RedactedToken).jwt?.payload).toMatchObject({
      aud: 'desktop-app',
      name: 'Alice',
    });
    expect(json['refresh_token']).toMatchObject({ kind: 'opaque', length: REFRESH.length });
    expect(json['scope']).toBe('openid offline_access read:profile');

    // The same token has the same fingerprint wherever it appears.
    expect(call?.stepId).toBe('mcp');
    expect(call?.request.headers['authorization']).toBe(
      `Bearer «redacted jwt ${access.fingerprint}»`,
    );
    expect(call?.tokens?.map((t) => t.fingerprint)).toEqual([access.fingerprint]);
    expect(call?.tokens?.[0]?.jwt?.payload['scope']).toBe('read:profile');
    expect(call?.request.body?.json).toMatchObject({ method: 'tools/call' });
    expect(call?.response?.headers['mcp-session-id']).toBe('session-1');
    expect(token?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("masks the code in a redirect's Location and the session cookie, keeping state and names", async () => {
    const recorder = new TraceRecorder();
    const tracedFetch = createTracedFetch({ recorder, party: 'client' });
    const response = await tracedFetch(`${base}/oidc/auth?client_id=desktop-app&state=st-42`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain(CODE);
    const [exchange] = exchanges(recorder);
    expect(exchange?.response?.headers['location']).toBe(
      `http://127.0.0.1:5173/callback?code=«redacted code ${fingerprint(CODE)}»&state=st-42&iss=http%3A%2F%2F127.0.0.1%2Foidc`,
    );
    expect(exchange?.response?.headers['set-cookie']).toBe(
      `_session=«redacted cookie ${fingerprint('sess_0123456789abcdef')}»; Path=/; HttpOnly`,
    );
    expect(recorder.export()).not.toContain('sess_0123456789abcdef');
  });

  it('returns an event stream at once without buffering it, and the caller reads it live', async () => {
    const recorder = new TraceRecorder();
    const tracedFetch = createTracedFetch({ recorder, party: 'client', bodyTimeoutMs: 10_000 });
    const controller = new AbortController();
    const started = Date.now();
    const response = await tracedFetch(`${base}/sse`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    const [exchange] = exchanges(recorder);
    expect(exchange?.response?.status).toBe(200);
    expect(exchange?.response?.body).toEqual({
      contentType: 'text/event-stream',
      note: 'streamed (event stream): not buffered, read live by the caller',
    });
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('data: {"hello":1}');
    controller.abort();
    await reader?.cancel().catch(() => undefined);
  });

  it('cuts bodies over the cap and still hands the caller the whole body', async () => {
    const recorder = new TraceRecorder();
    const tracedFetch = createTracedFetch({ recorder, party: 'client', maxBodyBytes: 1_024 });
    const response = await tracedFetch(`${base}/big`);
    expect((await response.text()).length).toBe(200_000);
    const body = exchanges(recorder)[0]?.response?.body;
    expect(body?.truncated).toBe(true);
    expect(body?.bytes).toBeGreaterThan(1_024);
    expect(body?.text?.length).toBeLessThanOrEqual(1_025);

    const request = await tracedFetch(`${base}/echo`, { method: 'POST', body: 'b'.repeat(5_000) });
    await request.text();
    const sent = exchanges(recorder)[1]?.request.body;
    expect(sent).toMatchObject({ truncated: true, bytes: 5_000 });
  });

  it('masks a registered client secret inside an HTML error page', async () => {
    const recorder = new TraceRecorder();
    recorder.secrets.register(CLIENT_SECRET, 'client_secret');
    const tracedFetch = createTracedFetch({ recorder, party: 'client' });
    const response = await tracedFetch(`${base}/error-page`);
    expect(await response.text()).toContain(CLIENT_SECRET);
    const body = exchanges(recorder)[0]?.response?.body;
    expect(body?.contentType).toBe('text/html; charset=utf-8');
    expect(body?.text).toContain(
      `Client secret «redacted client_secret ${fingerprint(CLIENT_SECRET)}» does not match.`,
    );
    expect(recorder.export()).not.toContain(CLIENT_SECRET);
  });

  it('records a network error and rethrows it unchanged', async () => {
    const recorder = new TraceRecorder();
    const port = await freePort('127.0.0.1');
    const url = `http://127.0.0.1:${port}/oidc/token?code=${CODE}`;
    const tracedFetch = createTracedFetch({ recorder, party: 'client' });
    const viaTrace = await tracedFetch(url).catch((e: unknown) => e);
    const direct = await fetch(url).catch((e: unknown) => e);
    expect(viaTrace).toBeInstanceOf(TypeError);
    expect((viaTrace as Error).message).toBe((direct as Error).message);
    expect(((viaTrace as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
    const [exchange] = exchanges(recorder);
    expect(exchange?.response).toBeUndefined();
    expect(exchange?.error).toMatch(/^TypeError: fetch failed \(.*ECONNREFUSED/);
    expect(exchange?.request.url).not.toContain(CODE);
  });

  it('accepts a Request object and leaves its body for the real request', async () => {
    const recorder = new TraceRecorder();
    const tracedFetch = createTracedFetch({ recorder, party: 'client' });
    const request = new Request(`${base}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: REFRESH }),
    });
    const response = await tracedFetch(request);
    await response.json();
    expect(received.at(-1)?.body).toContain(REFRESH);
    const [exchange] = exchanges(recorder);
    expect(exchange?.request.method).toBe('POST');
    expect(exchange?.request.body?.json).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: { redacted: 'token', kind: 'opaque', fingerprint: fingerprint(REFRESH) },
    });
    expect(recorder.export()).not.toContain(REFRESH);
  });

  it('is a fetch the MCP SDK accepts', () => {
    const recorder = new TraceRecorder();
    const sdkFetch: FetchLike = createTracedFetch({ recorder, party: 'client' });
    const globalLike: typeof fetch = createTracedFetch({ recorder, party: 'client' });
    expect(typeof sdkFetch).toBe('function');
    expect(typeof globalLike).toBe('function');
  });
});
