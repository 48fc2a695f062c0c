/**
 * The bundled server trusts the issuer its settings name (issue 8 part 1), refuses opaque tokens
 * of clients it does not know (issue 9 item 4) and forgets a verdict after its cache window
 * (item 5). Real sandbox issuers (oidc-provider) on loopback, real HTTP, real MCP requests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer, type RunningIssuer } from '../../main/issuer';
import { DEFAULT_SERVER_SETTINGS, startMcpServer, type ServerSettings } from '../../main/server';
import { BundledStack, serverSettingsPath } from '../../main/stack';
import { revealedBy } from '../../renderer/src/server/revealed';
import { createAppApi } from '../../main/api';
import { RedirectReceiver } from '../../main/client/redirect';
import { SANDBOX_FIRST_PARTY_ID } from '../../main/profiles/schema';
import { MemorySecretStore } from '../../main/profiles/secret-store';
import { FileProfileStore } from '../../main/profiles/store';
import { TraceRecorder } from '../../main/trace';
import { startEngineHost } from '../support/engine-host';
import { HttpBrowser } from '../support/http-browser';
import { signIn } from '../support/sign-in';
import { runCommand, runNpm } from '../support/spawn-cli';
import {
  bearerChallenge,
  freePort,
  initializeBody,
  MCP_POST_HEADERS,
  signInForTokens,
} from './server-helpers';

const ALICE = { username: 'alice', password: 'alice-sandbox' };
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'server-trust-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function stackWith(settings: Partial<ServerSettings>, dataDir?: string) {
  const stack = await BundledStack.start({
    dataDir: dataDir ?? (await tempDir()),
    serverPort: 0,
    issuerPort: 0,
    issuerTimeoutMs: 1_000,
    settings: { ...DEFAULT_SERVER_SETTINGS, ...settings },
  });
  cleanup.push(() => stack.close());
  return stack;
}

/** A second sandbox issuer, independent of any stack, that knows `resource` as an API. */
async function otherIssuer(resource: string, port = 0): Promise<RunningIssuer> {
  const issuer = await startIssuer({
    port,
    dataDir: await tempDir(),
    apiResources: [
      {
        indicator: resource,
        name: 'MCP',
        scopes: [{ name: 'whoami:read', description: '' }],
        accessTokenTtlSec: 3600,
      },
    ],
  });
  // A test may have stopped it already.
  cleanup.push(() => issuer.close().catch(() => undefined));
  return issuer;
}

async function post(url: string, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...MCP_POST_HEADERS, ...(token && { authorization: `Bearer ${token}` }) },
    body: initializeBody(),
  });
  const text = await response.text();
  return { response, text };
}

describe('the server trusts the issuer its settings name', () => {
  it('trusting another issuer does not start the sandbox, and the sandbox starts on first use', async () => {
    const issuer = await otherIssuer('http://localhost:1/');
    const stack = await stackWith({ issuer: issuer.issuer });
    expect(stack.sandboxIssuer).toBeUndefined();
    const metadata = (await (
      await fetch(new URL('/.well-known/oauth-protected-resource', stack.server.url))
    ).json()) as { authorization_servers: string[] };
    expect(metadata.authorization_servers).toEqual([issuer.issuer]);

    const sandbox = await stack.sandbox();
    expect(stack.sandboxIssuer).toBe(sandbox);
    expect((await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).status).toBe(200);
  });

  it('applying settings restarts the server on the same port: the new issuer’s tokens work, the old one’s stop', async () => {
    const dataDir = await tempDir();
    const stack = await stackWith({}, dataDir);
    const port = stack.server.port;
    const sandbox = stack.sandboxIssuer!;
    const sandboxToken = (
      await signInForTokens(sandbox.issuer, ALICE, { resource: stack.server.resource })
    ).access_token;
    expect((await post(stack.server.url, sandboxToken)).response.status).toBe(200);

    const tenant = await otherIssuer(stack.server.resource);
    const invalid = await stack.apply({ ...stack.settings, issuer: 'tenant.logto.app' });
    expect(invalid).toMatchObject({ ok: false, issues: [{ path: 'issuer' }] });
    expect(stack.server.issuer).toBe(sandbox.issuer);

    const applied = await stack.apply({ ...stack.settings, issuer: tenant.issuer });
    expect(applied.ok).toBe(true);
    expect(stack.server.port).toBe(port);
    expect(stack.server.issuer).toBe(tenant.issuer);
    await stack.server.issuerChecked();

    const stale = await post(stack.server.url, sandboxToken);
    expect(stale.response.status).toBe(401);
    expect(bearerChallenge(stale.response.headers.get('www-authenticate')).params.error).toBe(
      'invalid_token',
    );
    const tenantToken = (
      await signInForTokens(tenant.issuer, ALICE, { resource: stack.server.resource })
    ).access_token;
    expect((await post(stack.server.url, tenantToken)).response.status).toBe(200);
  });

  it('answers 503 with the reason and Retry-After while the issuer is down, and picks it up when it starts', async () => {
    const port = await freePort();
    const issuerUrl = `http://127.0.0.1:${port}/oidc`;
    const stack = await stackWith({ issuer: issuerUrl, cacheTtlSec: 0 });
    const status = await stack.server.issuerChecked();
    expect(status).toMatchObject({ state: 'unavailable', issuer: issuerUrl });

    const down = await post(stack.server.url);
    expect(down.response.status).toBe(503);
    expect(Number(down.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = JSON.parse(down.text) as { error: string; error_description: string };
    expect(body.error).toBe('temporarily_unavailable');
    expect(body.error_description).toContain(`trusts the issuer ${issuerUrl}`);
    expect(body.error_description).toMatch(/connection refused|ECONNREFUSED/i);
    // The metadata still says where to sign in.
    expect(
      (await fetch(new URL('/.well-known/oauth-protected-resource', stack.server.url))).status,
    ).toBe(200);

    // The issuer comes up late, on the address the server trusts.
    const issuer = await otherIssuer(stack.server.resource, port);
    expect(issuer.issuer).toBe(issuerUrl);
    let answer = down;
    for (let i = 0; i < 40 && answer.response.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await post(stack.server.url);
    }
    expect(answer.response.status).toBe(401);
    expect(stack.server.issuerStatus().state).toBe('ready');
    const token = (await signInForTokens(issuerUrl, ALICE, { resource: stack.server.resource }))
      .access_token;
    expect((await post(stack.server.url, token)).response.status).toBe(200);

    // Stopped again: an opaque token cannot be checked, 503 (not invalid_token), and no crash.
    const opaque = (await signInForTokens(issuerUrl, ALICE)).access_token;
    expect((await post(stack.server.url, opaque)).response.status).toBe(200);
    await issuer.close();
    const stopped = await post(stack.server.url, opaque);
    expect(stopped.response.status).toBe(503);
    expect(stopped.response.headers.get('retry-after')).not.toBeNull();
    expect(JSON.parse(stopped.text)).toMatchObject({ error: 'temporarily_unavailable' });
    // And back: the same server verifies the new issuer process's tokens.
    const again = await otherIssuer(stack.server.resource, port);
    const fresh = (await signInForTokens(again.issuer, ALICE)).access_token;
    expect((await post(stack.server.url, fresh)).response.status).toBe(200);
  });
});

describe('the app API over the bundled stack', () => {
  it('starts the sandbox when a sandbox profile connects, and points the sandbox profiles at it', async () => {
    const other = await otherIssuer('http://localhost:1/');
    const stack = await stackWith({ issuer: other.issuer });
    const dataDir = await tempDir();
    const recorder = new TraceRecorder();
    const api = await createAppApi({
      host: 'web',
      version: 'test',
      stack,
      profiles: new FileProfileStore(join(dataDir, 'profiles.json')),
      secrets: new MemorySecretStore(),
      recorder,
      receiver: new RedirectReceiver(),
      redirects: [
        { mode: 'loopback', redirectUri: 'http://127.0.0.1:1/callback', register: '', note: '' },
      ],
      openExternal: () => undefined,
    });
    cleanup.push(() => api.close());
    const before = await api.server.status();
    expect(before).toMatchObject({ issuer: other.issuer, trustsSandbox: false });
    expect(before.issuerStatus.state).toBe('ready');
    expect((await api.app.info()).sandbox.running).toBe(false);
    expect(stack.sandboxIssuer).toBeUndefined();

    const flow = await api.flow.connect(SANDBOX_FIRST_PARTY_ID, 'quick');
    await api.flow.cancel(flow.flowId);
    const sandbox = stack.sandboxIssuer;
    expect(sandbox).toBeDefined();
    const info = await api.app.info();
    expect(info.sandbox).toMatchObject({ running: true, issuer: sandbox!.issuer });
    const profiles = await api.profiles.list();
    expect(profiles.find((p) => p.profile.id === SANDBOX_FIRST_PARTY_ID)?.profile.issuer).toBe(
      sandbox!.issuer,
    );
    // The server still trusts the other issuer: connecting a profile does not change that.
    expect((await api.server.status()).issuer).toBe(other.issuer);
  });

  it('applies settings through the API: invalid ones change nothing, valid ones restart and say so', async () => {
    const stack = await stackWith({});
    const api = await createAppApi({
      host: 'web',
      version: 'test',
      stack,
      profiles: new FileProfileStore(join(await tempDir(), 'profiles.json')),
      secrets: new MemorySecretStore(),
      recorder: new TraceRecorder(),
      receiver: new RedirectReceiver(),
      redirects: [
        { mode: 'loopback', redirectUri: 'http://127.0.0.1:1/callback', register: '', note: '' },
      ],
      openExternal: () => undefined,
    });
    cleanup.push(() => api.close());
    const events: string[] = [];
    api.subscribe((event) => events.push(event.type));
    const invalid = await api.server.applySettings({ ...stack.settings, cacheTtlSec: -1 });
    expect(invalid).toMatchObject({ ok: false, issues: [{ path: 'cacheTtlSec' }] });
    expect(await api.server.settings()).toEqual(DEFAULT_SERVER_SETTINGS);

    const applied = await api.server.applySettings({
      ...stack.settings,
      requiredScopes: ['whoami:read'],
    });
    expect(applied.ok).toBe(true);
    expect((await api.server.status()).requiredScopes).toEqual(['whoami:read']);
    await expect.poll(() => events.includes('server-changed')).toBe(true);
  });
});

describe('what another server revealed (the Server tab for a server that is not the bundled one)', () => {
  it('is read from the trace: its protected resource metadata and its challenges', async () => {
    const stack = await stackWith({});
    const sandbox = stack.sandboxIssuer!;
    const elsewhere = await startMcpServer({ port: 0, issuer: sandbox.issuer });
    cleanup.push(() => elsewhere.close());
    const host = await startEngineHost();
    cleanup.push(() => host.close());
    host.setPerson(ALICE);
    const flow = host.flow({
      profileId: 'p-elsewhere',
      serverUrl: elsewhere.url,
      transport: 'streamable-http',
      clientId: 'sandbox-native',
      scopes: [],
      resource: { mode: 'none' },
      extraParams: {},
      refreshTokens: false,
    });
    await flow.run();
    await flow.close();

    const revealed = revealedBy(host.recorder.events(), elsewhere.url);
    expect(revealed.answers).toBeGreaterThan(1);
    expect(revealed.metadata?.document).toMatchObject({
      resource: elsewhere.resource,
      authorization_servers: [sandbox.issuer],
    });
    expect(revealed.challenges[0]).toMatchObject({ status: 401, method: 'POST' });
    expect(revealed.challenges[0]?.header).toContain(
      `resource_metadata="${elsewhere.resourceMetadataUrl}"`,
    );
    // Nothing of the bundled server (another origin) is mixed in.
    expect(revealedBy(host.recorder.events(), stack.server.url).answers).toBe(0);
  });
});

describe('the settings file', () => {
  it('is written on apply and read back by the next start; a damaged one is set aside with a notice', async () => {
    const { loadServerSettings, saveServerSettings } = await import('../../main/stack');
    const dataDir = await tempDir();
    const settings = { ...DEFAULT_SERVER_SETTINGS, issuer: 'https://tenant.logto.app/oidc' };
    await saveServerSettings(dataDir, settings);
    expect(await loadServerSettings(dataDir)).toEqual(settings);
    // Kept with conf, like the profiles: its format version for migrations, owner-only.
    const raw = JSON.parse(await readFile(serverSettingsPath(dataDir), 'utf8')) as {
      __internal__?: { migrations?: { version?: string } };
    };
    expect(raw.__internal__?.migrations?.version).toBe('1.0.0');
    expect((await stat(serverSettingsPath(dataDir))).mode & 0o777).toBe(0o600);
    // The desktop app hands its electron-store opener; the same file results.
    const { openWithConf } = await import('../../main/profiles/store');
    const opened: string[] = [];
    await saveServerSettings(dataDir, { ...settings, cacheTtlSec: 3 }, (options) => {
      opened.push(String(options.configName));
      return openWithConf(options);
    });
    expect(opened).toEqual(['server-settings']);
    expect((await loadServerSettings(dataDir)).cacheTtlSec).toBe(3);

    const { writeFile } = await import('node:fs/promises');
    await writeFile(serverSettingsPath(dataDir), '{"issuer": "not a url"}');
    const problems: string[] = [];
    expect(await loadServerSettings(dataDir, (m) => problems.push(m))).toEqual(
      DEFAULT_SERVER_SETTINGS,
    );
    expect(problems[0]).toMatch(/were not valid \(issuer: .*\); they were moved to /);
    await expect(readFile(serverSettingsPath(dataDir))).rejects.toThrow(/ENOENT/);
  });
});

/** A third-party app's tokens: consent clicked, code exchanged with its client secret. */
async function thirdPartyTokens(sandbox: RunningIssuer, resource?: string) {
  const client = sandbox.clients.find((c) => c.clientSecret)!;
  const redirectUri = 'http://127.0.0.1:1/callback';
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(`${sandbox.issuer}/auth`);
  auth.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(resource && { resource }),
  }).toString();
  const { callback } = await signIn(auth, { ...ALICE, redirectUri }, new HttpBrowser());
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`No code: ${callback.href}`);
  const response = await fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      ...(resource && { resource }),
    }).toString(),
  });
  const body = (await response.json()) as { access_token: string };
  if (!response.ok) throw new Error(`Token exchange failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

describe('the client allow-list (issue 9 item 4)', () => {
  let stack: BundledStack;
  let sandbox: RunningIssuer;
  beforeAll(async () => {
    stack = await BundledStack.start({
      dataDir: await mkdtemp(join(tmpdir(), 'server-trust-allow-')),
      serverPort: 0,
      issuerPort: 0,
      settings: { ...DEFAULT_SERVER_SETTINGS, allowedClientIds: ['sandbox-native'] },
    });
    sandbox = await stack.sandbox();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("refuses a third-party client's opaque token, found out through introspection", async () => {
    const token = await thirdPartyTokens(sandbox);
    expect(token.split('.')).toHaveLength(1);
    const { response, text } = await post(stack.server.url, token);
    expect(response.status).toBe(401);
    const challenge = bearerChallenge(response.headers.get('www-authenticate'));
    expect(challenge.params.error).toBe('invalid_token');
    expect(JSON.parse(text).error_description).toMatch(
      /not issued to a client this server accepts \(sandbox-native\)/,
    );
  });

  it("refuses a third-party client's JWT by its client_id claim", async () => {
    const token = await thirdPartyTokens(sandbox, stack.server.resource);
    const { response, text } = await post(stack.server.url, token);
    expect(response.status).toBe(401);
    expect(JSON.parse(text).error_description).toMatch(
      /issued to the client sandbox-third-party; this server accepts tokens only from sandbox-native/,
    );
  });

  it("accepts the native client's own opaque token and JWT", async () => {
    const opaque = (await signInForTokens(sandbox.issuer, ALICE)).access_token;
    expect((await post(stack.server.url, opaque)).response.status).toBe(200);
    const jwt = (await signInForTokens(sandbox.issuer, ALICE, { resource: stack.server.resource }))
      .access_token;
    expect((await post(stack.server.url, jwt)).response.status).toBe(200);
  });
});

describe('the verification cache window (issue 9 item 5)', () => {
  it('is 10 s by default: a revoked opaque token is refused once it passes, and each answer says how long is left', async () => {
    const stack = await stackWith({});
    expect(stack.settings.cacheTtlSec).toBe(10);
    const sandbox = stack.sandboxIssuer!;
    const token = (await signInForTokens(sandbox.issuer, ALICE)).access_token;
    const first = await post(stack.server.url, token);
    expect(first.response.status).toBe(200);
    const usedAt = Date.now();

    const revoked = await fetch(`${sandbox.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: 'sandbox-native' }).toString(),
    });
    expect(revoked.status).toBe(200);

    const cached = await post(stack.server.url, token);
    expect(cached.response.status).toBe(200);
    const ttl = Number(
      /;\s*ttl=(\d+)/.exec(cached.response.headers.get('cache-status') ?? '')?.[1],
    );
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10);

    // Asked again once the window is over (well before the old 60 s).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, usedAt + 10_200 - Date.now())));
    const after = await post(stack.server.url, token);
    expect(after.response.status).toBe(401);
  }, 30_000);

  it('the sign-out report keeps its cache explanation and adds the window the server reports', async () => {
    const stack = await stackWith({});
    const host = await startEngineHost();
    cleanup.push(() => host.close());
    host.setPerson(ALICE);
    const flow = host.flow({
      profileId: 'p-cache-window',
      serverUrl: stack.server.url,
      transport: 'streamable-http',
      clientId: 'sandbox-native',
      scopes: [],
      resource: { mode: 'none' },
      extraParams: {},
      refreshTokens: false,
    });
    await flow.run();
    await flow.callTool('whoami');
    const report = await flow.signOut();
    await flow.close();
    expect(report.oldToken).toMatchObject({ status: 200, accepted: true });
    expect(report.oldToken?.explanation).toMatch(
      /remembers recent userinfo answers, so the revocation shows once that cache entry expires \(this server says: in about (\d+) s\)/,
    );
    const seconds = Number(/in about (\d+) s/.exec(report.oldToken!.explanation)?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(10);
  });

  it('follows the setting: 1 s', async () => {
    const stack = await stackWith({ cacheTtlSec: 1 });
    const sandbox = stack.sandboxIssuer!;
    const token = (await signInForTokens(sandbox.issuer, ALICE)).access_token;
    expect((await post(stack.server.url, token)).response.status).toBe(200);
    await fetch(`${sandbox.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: 'sandbox-native' }).toString(),
    });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await post(stack.server.url, token)).response.status).toBe(401);
  });
});

describe('npm run serve --issuer', () => {
  it('runs the server alone trusting that issuer: says what it trusts, no demo users, verifies its tokens', async () => {
    const port = await freePort();
    const resource = `http://localhost:${port}/`;
    const issuer = await otherIssuer(resource);
    const serve = runNpm([
      'serve',
      '--',
      '--port',
      String(port),
      '--issuer',
      issuer.issuer,
      '--require-scope',
      'whoami:read',
      '--quiet',
    ]);
    cleanup.push(async () => {
      if (serve.child.exitCode === null) serve.interrupt();
      await serve.exited;
    });
    const output = await serve.waitFor(/Press Ctrl-C to stop/, 30_000);
    expect(output).toContain(`Issuer:    ${issuer.issuer}\n`);
    expect(output).toContain(`Resource:  ${resource}`);
    expect(output).toContain('requires whoami:read');
    expect(output).toMatch(/Issuer .* answers \(discovery: .*openid-configuration\)/);
    expect(output).not.toMatch(/Demo users|username:|client secret/);

    const token = (
      await signInForTokens(issuer.issuer, ALICE, { resource, scope: 'openid whoami:read' })
    ).access_token;
    expect((await post(`http://localhost:${port}/mcp`, token)).response.status).toBe(200);
  });

  it('says plainly when the issuer cannot be reached, and keeps running', async () => {
    const issuerUrl = `http://127.0.0.1:${await freePort()}/oidc`;
    const serve = runNpm(['serve', '--', '--port', '0', '--issuer', issuerUrl, '--quiet']);
    cleanup.push(async () => {
      if (serve.child.exitCode === null) serve.interrupt();
      await serve.exited;
    });
    const output = await serve.waitFor(/Press Ctrl-C to stop/, 30_000);
    expect(output).toContain(`Cannot reach the issuer ${issuerUrl}`);
    expect(output).toMatch(/answer 503 .* Retry-After/);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('refuses a bad issuer with the flag and the fix, not a stack trace', async () => {
    const serve = runNpm(['serve', '--', '--issuer', 'tenant.logto.app']);
    expect((await serve.exited).code).toBe(1);
    expect(serve.output()).toMatch(/--issuer: The issuer is "sandbox" or an http\(s\) URL/);
    expect(serve.output()).not.toMatch(/^\s+at /m);
  });
});

describe('npm run web flags', () => {
  // main/web.ts directly: `npm run web` builds the renderer first, which has nothing to do with flags.
  const web = (args: string[]) =>
    runCommand(process.execPath, ['--import', 'tsx', 'main/web.ts', ...args]);

  it('--help prints the options, the server settings among them, instead of a stack trace', async () => {
    const run = web(['--help']);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.output()).toMatch(/^npm run web -- \[options\]/m);
    expect(run.output()).toContain('--issuer <url>');
    expect(run.output()).toContain('--cache-ttl <seconds>');
    expect(run.output()).not.toMatch(/^\s+at /m);
  });

  it('an unknown flag or a bad setting is one clear message with exit status 2', async () => {
    const unknown = web(['--bogus']);
    expect((await unknown.exited).code).toBe(2);
    expect(unknown.output()).toMatch(/Unknown option '--bogus'/);
    const bad = web(['--cache-ttl=-3', '--no-open']);
    expect((await bad.exited).code).toBe(2);
    expect(bad.output()).toMatch(/--cache-ttl: The cache window cannot be negative/);
    expect(bad.output()).not.toMatch(/^\s+at /m);
  });
});
