/**
 * Every listener of the app against malformed requests, sent byte for byte over raw sockets
 * (node:net), as a hostile page or a local program could: each must answer with a 4xx and keep
 * serving, because one crash takes the web host, the bundled server, the sandbox issuer and any
 * sign-in in progress down together. The web host runs as the real `main/web.ts` process (whose
 * issuer and MCP server are tested here too); the loopback redirect listener runs in this process.
 * Also: JSON 404s carry `nosniff`, and web mode opens the browser on a one-time link rather than
 * putting its token URL on a command line every local user can read with `ps`.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startLoopbackListener,
  type LoopbackListener,
} from '../../main/client/redirect/loopback-listener';
import { RedirectReceiver } from '../../main/client/redirect/receiver';
import { runCommand, type RunningCommand } from '../support/spawn-cli';

interface RawResponse {
  status: number;
  headers: Map<string, string[]>;
  body: string;
}

/**
 * Writes `request` as-is and reads one response: complete once Content-Length bytes of body have
 * arrived, or when the server closes the connection.
 */
function raw(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let settled = false;
    const finish = () => {
      if (settled) return;
      const text = data.toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        settled = true;
        socket.destroy();
        reject(new Error(`No HTTP response, got ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      const [statusLine = '', ...lines] = text.slice(0, headEnd).split('\r\n');
      const headers = new Map<string, string[]>();
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
      }
      settled = true;
      socket.destroy();
      resolve({
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0),
        headers,
        body: data.subarray(headEnd + 4).toString('utf8'),
      });
    };
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const text = data.toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, headEnd))?.[1];
      if (headEnd >= 0 && length !== undefined && data.length >= headEnd + 4 + Number(length)) {
        finish();
      }
    });
    socket.on('end', finish);
    socket.on('close', finish);
    // A server that answered early may reset the connection while we still write: keep its answer.
    socket.on('error', () => (data.length ? finish() : undefined));
    socket.setTimeout(10_000, () => {
      settled = true;
      socket.destroy();
      reject(new Error('The listener did not answer within 10 s.'));
    });
    socket.write(request);
  });
}

const crlf = (...lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const get = (target: string, host: string, method = 'GET') =>
  crlf(`${method} ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close');

/** A malformed request for a listener answering on `host` (its own authority). */
type Case = [name: string, build: (host: string) => string | Buffer];

const CASES: Case[] = [
  ['a lone percent sign in the path', (h) => get('/%', h)],
  ['a truncated percent escape', (h) => get('/%E0%A4%A', h)],
  ['percent escapes that are not UTF-8', (h) => get('/%E0%A4', h)],
  ['bad percent-encoding in the query', (h) => get('/callback?code=%ZZ&state=%', h)],
  [
    'raw bytes that are not UTF-8 in the target',
    (h) =>
      Buffer.concat([
        Buffer.from('GET /'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(` HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`),
      ]),
  ],
  ['an unparsable absolute-form target', (h) => get('http://[/x', h)],
  ['an absolute-form target naming another host', (h) => get('http://evil.example/', h)],
  ['a bare double slash', (h) => get('//', h)],
  ['a scheme-relative target', (h) => get('//evil.example/x', h)],
  ['the asterisk-form target', (h) => get('*', h, 'OPTIONS')],
  ['an overlong path', (h) => get(`/${'a'.repeat(20_000)}`, h)],
  ['a foreign Host (DNS rebinding)', () => get('/', 'evil.example')],
  ['a Host with user info', (h) => get('/', `user@${h}`)],
  ['a malformed Host', () => get('/', '[')],
  ['no Host header', () => crlf('GET / HTTP/1.1', 'Connection: close')],
  [
    'a header value with a bare CR (header injection)',
    (h) =>
      crlf('GET / HTTP/1.1', `Host: ${h}`, 'X-Test: a\rSet-Cookie: evil=1', 'Connection: close'),
  ],
  [
    'an obsolete folded header line',
    (h) => crlf('GET / HTTP/1.1', `Host: ${h}`, 'X-Test: a', ' Set-Cookie: evil=1'),
  ],
];

/** Encoded CR LF in the target, in the hope that it reaches a response header unencoded. */
const SPLITTING = (h: string) => get('/%0d%0aSet-Cookie:%20evil=1', h);

const bigBody = (target: string, host: string, extra: string[] = []) => {
  const body = Buffer.alloc(1_100_000, 'a');
  return Buffer.concat([
    Buffer.from(
      crlf(
        `POST ${target} HTTP/1.1`,
        `Host: ${host}`,
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        ...extra,
      ),
    ),
    body,
  ]);
};

interface Listener {
  name: string;
  port: () => number;
  /** A request a user's client would send, and proof that it was served. */
  good: () => Promise<void>;
  /** A path that exists nowhere on this listener. */
  missing: string;
  /** A body over the limit, and the status it must get. */
  oversized: () => { request: Buffer; status?: number };
}

describe('every listener survives malformed requests', () => {
  let dataDir: string;
  let binDir: string;
  let web: RunningCommand;
  let webExit = 'running';
  let webUrl: URL;
  let issuerOrigin: URL;
  let serverOrigin: URL;
  let opened: string;
  let receiver: RedirectReceiver;
  let loopback: LoopbackListener;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mcp-auth-malformed-'));
    // A stand-in for the system's browser opener that records the command line it was given.
    binDir = await mkdtemp(join(tmpdir(), 'mcp-auth-opener-'));
    opened = join(binDir, 'opened.txt');
    const opener = join(binDir, 'xdg-open');
    await writeFile(opener, `#!/bin/sh\nprintf '%s\\n' "$@" > '${opened}'\n`);
    await chmod(opener, 0o755);
    // --data-dir keeps the sandbox keys out of the user's data folder.
    web = runCommand(
      process.execPath,
      [
        '--import',
        'tsx',
        'main/web.ts',
        '--port',
        '0',
        '--server-port',
        '0',
        '--issuer-port',
        '0',
        '--data-dir',
        dataDir,
      ],
      { PATH: `${binDir}:${process.env.PATH ?? ''}` },
    );
    void web.exited.then(({ code, signal }) => {
      webExit = `exited (code ${code}, signal ${signal})`;
    });
    const out = await web.waitFor(/MCP server (\S+)/, 30_000);
    webUrl = new URL(/running at (\S+)/.exec(out)![1]!);
    issuerOrigin = new URL(/trusting (\S+)/.exec(out)![1]!);
    serverOrigin = new URL(/MCP server (\S+),/.exec(out)![1]!);
    receiver = new RedirectReceiver();
    loopback = await startLoopbackListener({ receiver });
  }, 60_000);

  afterAll(async () => {
    receiver?.cancelAll();
    await loopback?.close();
    web?.interrupt();
    await web?.exited;
    await rm(dataDir, { recursive: true, force: true });
    await rm(binDir, { recursive: true, force: true });
  });

  const token = () => webUrl.searchParams.get('token')!;
  const stillRunning = async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(webExit, `the web host process: ${web.output().slice(-2000)}`).toBe('running');
  };

  let flows = 0;
  const LISTENERS: Listener[] = [
    {
      name: 'web host',
      port: () => Number(webUrl.port),
      missing: '/no-such-file.js',
      good: async () => {
        const response = await fetch(`${webUrl.origin}/api/profiles.list`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-token': token() },
          body: '{"args":[]}',
        });
        expect(response.status).toBe(200);
        expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
      },
      oversized: () => ({
        request: bigBody('/api/profiles.list', webUrl.host, [`X-Api-Token: ${token()}`]),
        status: 413,
      }),
    },
    {
      name: 'sandbox issuer',
      port: () => Number(issuerOrigin.port),
      missing: '/oidc/nothing-here',
      good: async () => {
        const response = await fetch(
          `${issuerOrigin.origin}/oidc/.well-known/openid-configuration`,
        );
        expect(response.status).toBe(200);
        expect(((await response.json()) as { issuer: string }).issuer).toBe(issuerOrigin.href);
      },
      oversized: () => ({ request: bigBody('/oidc/token', issuerOrigin.host) }),
    },
    {
      name: 'MCP server',
      port: () => Number(serverOrigin.port),
      missing: '/nothing-here',
      good: async () => {
        const response = await fetch(`${serverOrigin.origin}/.well-known/oauth-protected-resource`);
        expect(response.status).toBe(200);
        expect(((await response.json()) as { resource: string }).resource).toBe(
          `${serverOrigin.origin}/`,
        );
      },
      oversized: () => ({ request: bigBody('/mcp', serverOrigin.host) }),
    },
    {
      name: 'loopback redirect listener',
      port: () => loopback.port,
      missing: '/nothing-here',
      good: async () => {
        const state = `state-${++flows}`;
        const flow = receiver.expect({ state, redirectUri: loopback.redirectUri });
        // As the engine does once the code is exchanged: the page then says how it ended.
        void flow.promise.then((cb) => receiver.settle(cb.state, { ok: true }));
        const response = await fetch(`${loopback.redirectUri}?code=the-code&state=${state}`);
        expect(response.status).toBe(200);
        await expect(flow.promise).resolves.toMatchObject({ code: 'the-code', state });
      },
      oversized: () => ({ request: bigBody('/callback', `127.0.0.1:${loopback.port}`) }),
    },
  ];

  describe.each(LISTENERS)('the $name', (listener) => {
    const host = () => `127.0.0.1:${listener.port()}`;

    it.each(CASES)('answers %s with a 4xx and keeps serving', async (_name, build) => {
      const response = await raw(listener.port(), build(host()));
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers.get('set-cookie') ?? []).not.toContain('evil=1');
      await listener.good();
      await stillRunning();
    });

    it('never lets an encoded CR LF in the target become a header', async () => {
      const response = await raw(listener.port(), SPLITTING(host()));
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers.get('set-cookie') ?? []).not.toContain('evil=1');
      await listener.good();
    });

    it('refuses a body over the limit with a 4xx and keeps serving', async () => {
      const { request, status } = listener.oversized();
      const response = await raw(listener.port(), request);
      if (status !== undefined) expect(response.status).toBe(status);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      await listener.good();
      await stillRunning();
    });

    it('sends nosniff with its 404s', async () => {
      const response = await raw(listener.port(), get(listener.missing, host()));
      expect(response.status).toBe(404);
      expect(response.headers.get('x-content-type-options')).toEqual(['nosniff']);
    });
  });

  it('the web host says why a body is refused: too large, not "must be JSON"', async () => {
    const response = await raw(
      Number(webUrl.port),
      bigBody('/api/profiles.list', webUrl.host, [`X-Api-Token: ${token()}`]),
    );
    expect(response.status).toBe(413);
    expect(response.body).toMatch(/1 MB/);
    expect(response.body).not.toMatch(/must be JSON/);
  });

  it('the sandbox issuer refuses a foreign Host and answers its own names', async () => {
    const port = issuerOrigin.port;
    const path = '/oidc/.well-known/openid-configuration';
    const foreign = await raw(Number(port), get(path, 'evil.example'));
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ error: 'host_not_allowed' });
    expect(foreign.body).not.toMatch(/authorization_endpoint/);
    for (const name of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const own = await raw(Number(port), get(path, name));
      expect(own.status, name).toBe(200);
      expect(JSON.parse(own.body)).toMatchObject({ issuer: issuerOrigin.href });
    }
  });

  it('web mode opens the browser on a one-time link, not on its token URL', async () => {
    // The opener ran once at start; its command line is what `ps` showed to every local user.
    const argv = (await readFile(opened, 'utf8')).trim();
    expect(argv).not.toContain(token());
    const link = new URL(argv);
    expect(link.origin).toBe(webUrl.origin);
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(webUrl.href);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(404);
  });
});
