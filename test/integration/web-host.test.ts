/**
 * The web host's API over real HTTP, as the page uses it: access checks, profile validation,
 * write-only client secrets, the event stream, and a whole sign-in (the page opens the sign-in
 * tab on an open-url event; here the cookie-jar browser plays that tab).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, ApiResult, FlowView, ProfileView } from '../../preload/api';
import { signIn } from '../support/sign-in';
import { runCommand, type RunningCommand } from '../support/spawn-cli';

describe('the web host', () => {
  let web: RunningCommand;
  let dataDir: string;
  let origin: string;
  let token: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mcp-auth-web-'));
    web = runCommand(process.execPath, [
      '--import',
      'tsx',
      'main/web.ts',
      '--port',
      '0',
      '--no-open',
      '--data-dir',
      dataDir,
    ]);
    const out = await web.waitFor(/running at (\S+)/, 30_000);
    const url = new URL(/running at (\S+)/.exec(out)![1]!);
    origin = url.origin;
    token = url.searchParams.get('token')!;
  });
  afterAll(async () => {
    web.interrupt();
    await web.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = async <T>(method: string, ...args: unknown[]): Promise<T> => {
    const response = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-token': token },
      body: JSON.stringify({ args }),
    });
    const result = (await response.json()) as ApiResult<T>;
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value;
  };

  it('refuses calls without the per-launch token, from another Host, or from another site', async () => {
    const noToken = await fetch(`${origin}/api/profiles.list`, { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
    const foreignOrigin = await fetch(`${origin}/api/profiles.list`, {
      method: 'POST',
      headers: { 'x-api-token': token, origin: 'https://evil.example' },
      body: '{}',
    });
    expect(foreignOrigin.status).toBe(403);
    const port = new URL(origin).port;
    const foreignHost = await new Promise<number>((resolve, reject) => {
      request(
        { host: '127.0.0.1', port, path: '/', headers: { host: `rebind.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(foreignHost).toBe(403);
  });

  it('lists the sandbox profiles first thing, pointing at the running sandbox', async () => {
    const profiles = await call<ProfileView[]>('profiles.list');
    expect(profiles.map((p) => p.profile.id)).toEqual(
      expect.arrayContaining(['sandbox-first-party', 'sandbox-third-party']),
    );
    expect(profiles[0]?.profile.serverUrl).toMatch(/^http:\/\/localhost:\d+\/mcp$/);
  });

  it('validates a profile field by field and keeps a client secret write-only', async () => {
    const invalid = await call<{ ok: boolean; issues: { path: string; message: string }[] }>(
      'profiles.validate',
      {
        id: 'tenant',
        name: 'My tenant',
        serverUrl: 'not a url',
        issuer: 'ftp://x',
      },
    );
    expect(invalid.ok).toBe(false);
    expect(invalid.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['serverUrl', 'issuer']),
    );

    const saved = await call<{ ok: boolean }>(
      'profiles.save',
      {
        id: 'tenant',
        name: 'My tenant',
        serverUrl: 'https://mcp.example.com/mcp',
        issuer: 'https://t.logto.app/oidc',
        clientId: 'abc',
      },
      'a-very-secret-client-secret',
    );
    expect(saved.ok).toBe(true);
    const listed = JSON.stringify(await call('profiles.list'));
    expect(listed).toContain('"hasClientSecret":true');
    expect(listed).not.toContain('a-very-secret-client-secret');
  });

  it('signs in through the API: an open-url event, the sign-in tab, then whoami', async () => {
    const controller = new AbortController();
    const events: AppEvent[] = [];
    const stream = await fetch(`${origin}/api/events?token=${token}`, {
      signal: controller.signal,
    });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    const next = async (match: (e: AppEvent) => boolean): Promise<AppEvent> => {
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        const { value, done } = await reader.read();
        if (done) throw new Error('event stream ended');
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = chunk.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)) as AppEvent);
        }
      }
    };
    try {
      const flow = await call<FlowView>('flow.connect', 'sandbox-first-party', 'quick');
      const open = await next((e) => e.type === 'open-url');
      if (open.type !== 'open-url') throw new Error('unreachable');
      expect(open.purpose).toBe('sign-in');
      // The page gets a one-time link on the web host, which redirects the tab to the issuer.
      expect(open.url.startsWith(`${origin}/open/`)).toBe(true);
      const hop = await fetch(open.url, { redirect: 'manual' });
      expect(hop.status).toBe(302);
      const authorizationUrl = hop.headers.get('location')!;
      expect((await fetch(open.url, { redirect: 'manual' })).status).toBe(404); // one time only
      const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri')!;
      const { callback } = await signIn(authorizationUrl, {
        username: 'alice',
        password: 'alice-sandbox',
        redirectUri,
      });
      await (await fetch(callback)).text(); // the tab lands on the app's loopback listener
      await next(
        (e) => e.type === 'flow' && e.flow.flowId === flow.flowId && e.flow.status === 'signed-in',
      );

      const result = await call<{ structuredContent: { subject: string; verifiedBy: string } }>(
        'session.callTool',
        'sandbox-first-party',
        'whoami',
        {},
      );
      expect(result.structuredContent.verifiedBy).toBe('jwt');

      const session = await call<{ user: { name?: string }; accessToken: { kind: string } }>(
        'session.get',
        'sandbox-first-party',
      );
      expect(session).toMatchObject({
        user: { name: 'Alice Liddell' },
        accessToken: { kind: 'jwt' },
      });
      expect(JSON.stringify(await call('trace.get'))).not.toContain(
        callback.searchParams.get('code')!,
      );

      // Sign-out: the report carries no ID token to the page, and the tab opens through a link.
      const report = await call<{ endSessionUrl?: string; revoked: unknown[] }>(
        'session.signOut',
        'sandbox-first-party',
      );
      expect(report.revoked.length).toBeGreaterThan(0);
      expect(new URL(report.endSessionUrl!).searchParams.get('id_token_hint')).toMatch(/redacted/);
      const signOutTab = await next((e) => e.type === 'open-url' && e.purpose === 'sign-out');
      expect(JSON.stringify(signOutTab)).not.toMatch(/id_token_hint/);
    } finally {
      controller.abort();
    }
  });

  it('answers a call it cannot do with the message and the fix, not a stack', async () => {
    const error = await call('session.callTool', 'sandbox-third-party', 'whoami', {}).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      message: 'This profile is not connected.',
      fix: 'Click Connect first.',
    });
    expect(JSON.stringify(error)).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
