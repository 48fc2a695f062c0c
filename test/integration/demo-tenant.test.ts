/**
 * "What goes wrong" on a tenant (issue 10): the story's mistakes are built from the user's own
 * profile and answered by that profile's issuer. Here the "tenant" is a real sandbox issuer
 * reached through a custom profile, as a Logto tenant would be: real oidc-provider, the bundled
 * MCP server, real loopback redirects, and bob clicking through the sign-in page over HTTP.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoRunView } from '../../preload/api';
import { createAppApi, type AppApi } from '../../main/api';
import { RedirectReceiver } from '../../main/client/redirect';
import { startLoopbackListener } from '../../main/client/redirect/loopback-listener';
import { MemorySecretStore } from '../../main/profiles/secret-store';
import { FileProfileStore } from '../../main/profiles/store';
import { typoOf } from '../../main/report/scenarios';
import { DEFAULT_SERVER_SETTINGS } from '../../main/server';
import { BundledStack } from '../../main/stack';
import { TraceRecorder } from '../../main/trace';
import { signIn } from '../support/sign-in';

const BOB = { username: 'bob', password: 'bob-sandbox' };
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The app as the web host builds it, whose browser signs in as `user` when a page opens. */
async function appWithSandbox(user = BOB) {
  const dataDir = await mkdtemp(join(tmpdir(), 'demo-tenant-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const stack = await BundledStack.start({
    dataDir,
    serverPort: 0,
    issuerPort: 0,
    issuerTimeoutMs: 2_000,
    settings: DEFAULT_SERVER_SETTINGS,
  });
  cleanup.push(() => stack.close());
  await stack.sandbox();
  const receiver = new RedirectReceiver();
  const loopback = await startLoopbackListener({ receiver, port: 0 });
  cleanup.push(() => loopback.close());
  const opened: string[] = [];
  const api: AppApi = await createAppApi({
    host: 'web',
    version: 'test',
    stack,
    profiles: new FileProfileStore(join(dataDir, 'profiles.json')),
    secrets: new MemorySecretStore(),
    recorder: new TraceRecorder(),
    receiver,
    redirects: [{ mode: 'loopback', redirectUri: loopback.redirectUri, register: '', note: '' }],
    openExternal: async (url) => {
      opened.push(url);
      const { callback } = await signIn(url, { ...user, redirectUri: loopback.redirectUri });
      await fetch(callback);
    },
  });
  cleanup.push(() => api.close());
  return { api, stack, opened, issuer: stack.sandboxIssuer!.issuer };
}

/** A profile of the user's, pointed at a tenant (here: the sandbox's issuer, by its URL). */
async function saveTenantProfile(api: AppApi, issuer: string, serverUrl: string) {
  const result = await api.profiles.save({
    id: 'my-tenant',
    name: 'My tenant',
    kind: 'custom',
    serverUrl,
    issuer,
    clientId: 'sandbox-native',
    scopes: ['openid', 'profile', 'whoami:read'],
  });
  expect(result.ok).toBe(true);
  return 'my-tenant';
}

async function finished(api: AppApi, runId: string): Promise<DemoRunView> {
  let run: DemoRunView | undefined;
  await expect
    .poll(async () => (run = await api.demo.run(runId, false)).status, { timeout: 30_000 })
    .toMatch(/^(done|failed)$/);
  return run!;
}

describe('What goes wrong, on a tenant', () => {
  it('offers the user’s tenant profiles, and plays each mistake with that profile’s client', async () => {
    const { api, stack, opened, issuer } = await appWithSandbox();
    const target = await saveTenantProfile(api, issuer, stack.server.url);

    const scenarios = await api.demo.scenarios();
    const wrong = scenarios.find((s) => s.id === 'what-goes-wrong')!;
    // Only the user's own profile: not the sandbox's, not a run's demo profiles.
    expect(wrong.onTenant?.targets).toEqual([{ profileId: target, name: 'My tenant', issuer }]);
    expect(scenarios.find((s) => s.id === 'two-people')?.onTenant).toBeUndefined();

    const started = await api.demo.start('what-goes-wrong', { presenter: false, target });
    expect(started.title).toBe('What goes wrong, on “My tenant”');
    const run = await finished(api, started.runId);
    expect(run.status).toBe('done');
    const [client, redirect, resource, permission] = run.parts;

    // A client ID one character short of the profile's: the issuer answers invalid_client.
    expect(client!.outcome.clientId).toBe(typoOf('sandbox-native'));
    expect(client!.status).toBe('failed');
    expect(client!.diagram.arrows.map((a) => a.label).join(' ')).toMatch(/invalid_client/);
    expect(client!.outcome.takeaway).toMatch(/one character short/);

    // The profile's own client, with a redirect path it never registered: refused at /auth.
    expect(redirect!.status).toBe('failed');
    const authorization = (await api.trace.get()).find(
      (e) =>
        e.type === 'http' &&
        e.exchange.flowId === redirect!.flowId &&
        e.exchange.request.url.startsWith(`${issuer}/auth`),
    );
    expect(authorization?.type === 'http' && authorization.exchange.request.url).toContain(
      encodeURIComponent('/auth/callback'),
    );
    expect(redirect!.outcome.failure?.cause).toMatch(/redirect/i);

    expect(resource!.status).toBe('failed');
    expect(JSON.stringify(resource!.outcome.failure)).toMatch(/invalid_target|resource/i);

    // bob has no role granting whoami:read: the lesson names it, and the token shows it.
    expect(permission!.signIn).toEqual({ username: 'a user without whoami:read', consent: false });
    expect(permission!.outcome.grantedScopes ?? []).not.toContain('whoami:read');
    expect(JSON.stringify(permission!.outcome.failure)).toMatch(/whoami:read/);
    // Only the one sign-in that needs a person opened the browser.
    expect(opened).toHaveLength(1);
    // The run's sign-ins are marked as a demo's, so the page adds no call of its own.
    expect((await api.flow.get('demo-what-goes-wrong-4'))?.purpose).toBe('demo');
    // The report names the tenant it ran on and the profile's client.
    const settings = Object.fromEntries(run.settings.map((s) => [s.label, s.value]));
    expect(settings.Issuer).toBe(issuer);
    expect(settings['Wrong client ID']).toContain(`client ${typoOf('sandbox-native')}`);
    expect(settings['Unregistered redirect URI']).toContain('redirect URI on /auth/callback');
    // Its report opens again for a replay: a tenant's sign-in has no published password.
    const replay = await api.demo.openReport(await api.demo.exportReport(run.runId));
    expect(replay.title).toBe(run.title);
    expect(replay.parts[3]!.signIn).toEqual(permission!.signIn);

    // Played again, the story signs in again: it never picks up the session the last run left.
    const again = await finished(
      api,
      (await api.demo.start('what-goes-wrong', { presenter: false, target })).runId,
    );
    expect(opened).toHaveLength(2);
    expect(again.parts[3]!.outcome.grantedScopes).toEqual([]);
  });

  it('a tenant whose server requires the permission: its 403 is the server’s own verdict', async () => {
    const { api, stack, issuer } = await appWithSandbox();
    const applied = await api.server.applySettings({
      ...(await api.server.settings()),
      requiredScopes: ['whoami:read'],
    });
    expect(applied.ok).toBe(true);
    const target = await saveTenantProfile(api, issuer, stack.server.url);
    const started = await api.demo.start('what-goes-wrong', { presenter: false, target });
    const permission = (await finished(api, started.runId)).parts[3]!;
    expect(permission.status).toBe('failed');
    expect(permission.outcome.verdicts).toContainEqual(
      expect.objectContaining({
        what: 'The access token at the MCP server',
        status: 403,
        accepted: false,
      }),
    );
    expect(permission.outcome.failure?.cause).toMatch(/whoami:read/);
  });

  it('refuses what it cannot play, with the fix', async () => {
    const { api, stack, issuer } = await appWithSandbox();
    const target = await saveTenantProfile(api, issuer, stack.server.url);
    await expect(api.demo.start('two-people', { presenter: true, target })).rejects.toMatchObject({
      message: expect.stringMatching(/sandbox only/),
    });
    await expect(
      api.demo.start('what-goes-wrong', { presenter: true, target: 'gone' }),
    ).rejects.toMatchObject({ fix: expect.stringMatching(/Pick a profile/) });

    // A tenant the bundled server does not trust: every part would end at that mismatch.
    await api.profiles.save({
      id: 'other-tenant',
      name: 'Other tenant',
      kind: 'custom',
      serverUrl: stack.server.url,
      issuer: 'https://other.example.invalid/oidc',
      clientId: 'abc',
      scopes: ['openid'],
    });
    await expect(
      api.demo.start('what-goes-wrong', { presenter: true, target: 'other-tenant' }),
    ).rejects.toMatchObject({
      code: 'server_not_on_target',
      fix: expect.stringMatching(/trust/),
    });
  });
});
