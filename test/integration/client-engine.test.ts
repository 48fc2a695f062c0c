/**
 * The inspector's flow engine against the real sandbox issuer and bundled server over real HTTP:
 * both token modes, both redirect paths, pre-registered, third-party and registered clients,
 * the errors a tenant's misconfiguration produces, refresh, step-up and sign-out.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FlowSettings, StepState } from '../../main/client/engine/flow';
import { FlowStepError } from '../../main/client/engine/notes';
import { SESSION_STEP_IDS } from '../../main/client/engine/steps';
import type { TraceRecorder } from '../../main/trace';
import { startEngineHost } from '../support/engine-host';
import { startTestSandbox } from '../support/sandbox';
import { startTutorialReferenceServer } from '../support/tutorial-reference-server';

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
type Host = Awaited<ReturnType<typeof startEngineHost>>;

const ALICE = { username: 'alice', password: 'alice-sandbox' };
const BOB = { username: 'bob', password: 'bob-sandbox' };

function settingsFor(sandbox: Sandbox, extra: Partial<FlowSettings> = {}): FlowSettings {
  return {
    profileId: `p-${Math.random().toString(36).slice(2)}`,
    serverUrl: sandbox.server.url,
    transport: 'streamable-http',
    clientId: 'sandbox-native',
    scopes: [],
    resource: { mode: 'auto' },
    extraParams: {},
    refreshTokens: false,
    ...extra,
  };
}

const statusOf = (steps: readonly StepState[]) =>
  Object.fromEntries(steps.map((s) => [s.id, s.status]));
const failed = (steps: readonly StepState[]) => steps.find((s) => s.status === 'failed');

/** The step events the trace recorded for the steps after sign-in, as [id, status]. */
function sessionSteps(recorder: TraceRecorder): [string, string][] {
  return recorder
    .events()
    .flatMap((e) =>
      e.type === 'step' && (SESSION_STEP_IDS as readonly string[]).includes(e.stepId)
        ? [[e.stepId, e.status] as [string, string]]
        : [],
    );
}

describe('the flow engine', () => {
  let sandbox: Sandbox;
  let host: Host;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox?.close());
  afterEach(() => host?.close());

  it('quick mode: every step runs, whoami answers from a JWT, and the trace holds no secret', async () => {
    host = await startEngineHost();
    host.setPerson(ALICE);
    const flow = host.flow(settingsFor(sandbox));
    const { tools, session } = await flow.run();
    const result = await flow.callTool('whoami');
    await flow.close();

    expect(tools.map((t) => t.name)).toContain('whoami');
    expect(statusOf(flow.steps)).toEqual({
      probe: 'done',
      'resource-metadata': 'done',
      'authorization-server-metadata': 'done',
      client: 'done',
      'authorization-request': 'done',
      'sign-in': 'done',
      redirect: 'done',
      'token-exchange': 'done',
      'mcp-connect': 'done',
      'tool-call': 'done',
    });
    expect(result.structuredContent).toMatchObject({
      verifiedBy: 'jwt',
      audience: sandbox.server.resource,
    });
    expect(session).toMatchObject({
      issuer: sandbox.issuer.issuer,
      clientId: 'sandbox-native',
      resource: sandbox.server.resource,
    });

    // Every step says what it is, why, and where the spec says so.
    for (const step of flow.steps) {
      expect(step.explanation.length).toBeGreaterThan(40);
      expect(step.specRef).toMatch(/RFC|MCP|OpenID/);
    }
    const exported = host.recorder.export();
    const stored = JSON.parse(
      (await host.secrets.get(`profile/${flow.settings.profileId}/tokens`))!,
    ) as {
      tokens: Record<string, string>;
    };
    expect(exported).not.toContain(stored.tokens.access_token);
    expect(exported).not.toContain(stored.tokens.id_token!);
    expect(exported).toContain('"aud"'); // the JWT's claims stay readable
    const codes = host.signIns.map((s) => s.callback.searchParams.get('code')!);
    for (const code of codes) expect(exported).not.toContain(code);
  });

  it('guided mode stops before each step and shows what it will send', async () => {
    host = await startEngineHost();
    host.setPerson(ALICE);
    const flow = host.flow(settingsFor(sandbox));
    const seen: { id: string; preview?: string; earlierDone: boolean }[] = [];
    await flow.run({
      pauseBefore: async (step) => {
        const index = flow.steps.findIndex((s) => s.id === step.id);
        seen.push({
          id: step.id,
          ...(step.preview && { preview: step.preview }),
          earlierDone: flow.steps.slice(0, index).every((s) => s.status === 'done'),
        });
        expect(flow.steps.slice(index + 1).every((s) => s.status === 'pending')).toBe(true);
      },
    });
    await flow.close();
    expect(seen.map((s) => s.id)).toEqual([
      'probe',
      'resource-metadata',
      'authorization-server-metadata',
      'client',
      'authorization-request',
      'sign-in',
      'redirect',
      'token-exchange',
      'mcp-connect',
    ]);
    expect(seen.every((s) => s.earlierDone)).toBe(true);
    expect(seen.find((s) => s.id === 'token-exchange')?.preview).toContain('/oidc/token');
  });

  it('resource "none": an opaque token, checked at userinfo, over SSE', async () => {
    host = await startEngineHost();
    host.setPerson(ALICE);
    const flow = host.flow(
      settingsFor(sandbox, {
        transport: 'sse',
        serverUrl: sandbox.server.sseUrl,
        resource: { mode: 'none' },
      }),
    );
    await flow.run();
    const result = await flow.callTool('whoami');
    await flow.close();
    expect(result.structuredContent).toMatchObject({
      verifiedBy: 'userinfo',
      claims: { username: 'alice' },
    });
  });

  it('the custom-scheme redirect path, fed through the receiver as a deep link', async () => {
    host = await startEngineHost({ redirect: 'custom-scheme' });
    host.setPerson(ALICE);
    const flow = host.flow(settingsFor(sandbox));
    await flow.run();
    const result = await flow.callTool('whoami');
    await flow.close();
    expect(host.redirectUri).toBe('app.mcpauthdesktop:/oauth/callback');
    expect(result.structuredContent).toMatchObject({ verifiedBy: 'jwt' });
  });

  it('the third-party confidential client: consent, client_secret_basic, whoami', async () => {
    host = await startEngineHost();
    host.setPerson({ ...ALICE, consent: 'allow' });
    const secret = sandbox.issuer.clients.find(
      (c) => c.clientId === 'sandbox-third-party',
    )!.clientSecret!;
    // A client secret goes only to the issuer the profile names (as the sandbox profile does).
    const flow = host.flow(
      settingsFor(sandbox, {
        clientId: 'sandbox-third-party',
        clientSecret: secret,
        issuer: sandbox.issuer.issuer,
      }),
    );
    await flow.run();
    const result = await flow.callTool();
    await flow.close();
    expect(host.signIns[0]?.pagesSeen).toEqual(['sign-in', 'consent']);
    expect(result.structuredContent).toMatchObject({ clientId: 'sandbox-third-party' });
    expect(host.recorder.export()).not.toContain(secret);
  });

  it('Deny on the consent screen ends the sign-in step with a clear message', async () => {
    host = await startEngineHost();
    host.setPerson({ ...ALICE, consent: 'deny' });
    const secret = sandbox.issuer.clients.find(
      (c) => c.clientId === 'sandbox-third-party',
    )!.clientSecret!;
    const flow = host.flow(
      settingsFor(sandbox, {
        clientId: 'sandbox-third-party',
        clientSecret: secret,
        issuer: sandbox.issuer.issuer,
      }),
    );
    const run = flow.run();
    run.catch(() => undefined);
    // Logto's Cancel (and the sandbox's Deny) comes back with no parameters at all: any page could
    // send that, so the sign-in stays open and asks; the person answers Stop.
    await vi.waitFor(() => expect(flow.question?.code).toBe('consent_cancel_suspected'));
    expect(flow.question?.message).toMatch(/It looks like you pressed Cancel on the consent page/);
    flow.cancel();
    await expect(run).rejects.toBeInstanceOf(FlowStepError);
    expect(failed(flow.steps)).toMatchObject({ id: 'sign-in' });
    expect(failed(flow.steps)?.error?.message).toMatch(/cancelled on the consent screen/i);
  });

  it('a wrong client ID is explained before any browser opens, with the fix', async () => {
    host = await startEngineHost();
    host.setPerson(ALICE);
    const flow = host.flow(settingsFor(sandbox, { clientId: 'no-such-app' }));
    await expect(flow.run()).rejects.toBeInstanceOf(FlowStepError);
    expect(failed(flow.steps)).toMatchObject({
      id: 'authorization-request',
      error: { code: 'invalid_client' },
    });
    expect(failed(flow.steps)?.error?.fix).toMatch(/App ID/);
    expect(host.signIns).toHaveLength(0);
    expect(flow.steps.find((s) => s.id === 'sign-in')?.status).toBe('pending');
  });

  it('an unregistered redirect URI: the portless loopback URI for a Native app, never this launch’s port', async () => {
    host = await startEngineHost();
    // The SPA app accepts only the MCP Inspector's exact callback URLs.
    const flow = host.flow(settingsFor(sandbox, { clientId: 'sandbox-spa' }));
    await expect(flow.run()).rejects.toBeInstanceOf(FlowStepError);
    expect(failed(flow.steps)).toMatchObject({
      id: 'authorization-request',
      error: { code: 'invalid_redirect_uri' },
    });
    const fix = failed(flow.steps)?.error?.fix ?? '';
    expect(fix).toContain('add http://127.0.0.1/callback (no port');
    expect(fix).toMatch(/SPA or a Traditional web app.*use a Native app.*fixed redirect port/);
    expect(fix).not.toContain(host.redirectUri); // its port changes at every launch
  });

  it('with a fixed redirect port, the fix gives the one URI that stays valid', async () => {
    host = await startEngineHost();
    const flow = host.flow(settingsFor(sandbox, { clientId: 'sandbox-spa', redirectPort: 53123 }));
    await expect(flow.run()).rejects.toBeInstanceOf(FlowStepError);
    expect(failed(flow.steps)?.error?.fix).toContain('add exactly http://127.0.0.1:53123/callback');
  });

  it('a custom resource that is not the server’s is flagged before sign-in, and invalid_target names the server’s indicator', async () => {
    host = await startEngineHost();
    const flow = host.flow(
      settingsFor(sandbox, {
        resource: { mode: 'custom', value: 'https://api.example.com/nothing' },
      }),
    );
    await expect(flow.run()).rejects.toBeInstanceOf(FlowStepError);
    const request = flow.steps.find((s) => s.id === 'authorization-request')!;
    expect(request.findings.find((f) => f.level === 'warning')?.message).toContain(
      `this server’s own resource indicator is ${sandbox.server.resource}`,
    );
    expect(failed(flow.steps)).toMatchObject({
      id: 'authorization-request',
      error: { code: 'invalid_target' },
    });
    expect(failed(flow.steps)?.error?.fix).toContain(
      `The MCP server's own resource indicator is ${sandbox.server.resource}`,
    );
    expect(host.signIns).toHaveLength(0);
  });

  it('without a client ID and without DCR, says to create a Native app and which redirect URI', async () => {
    host = await startEngineHost();
    const settings = settingsFor(sandbox);
    delete settings.clientId;
    const flow = host.flow(settings);
    await expect(flow.run()).rejects.toBeInstanceOf(FlowStepError);
    expect(failed(flow.steps)).toMatchObject({
      id: 'client',
      error: { code: 'client_id_required' },
    });
    expect(failed(flow.steps)?.error?.fix).toMatch(
      /Native.*add the redirect URI http:\/\/127\.0\.0\.1\/callback \(no port/,
    );
    expect(failed(flow.steps)?.error?.fix).not.toContain(host.redirectUri);
  });

  it('a sign-in nobody finishes times out with a message', async () => {
    host = await startEngineHost();
    host.setPerson(undefined);
    const flow = host.flow(settingsFor(sandbox), { signInTimeoutMs: 300 });
    await expect(flow.run()).rejects.toBeInstanceOf(FlowStepError);
    expect(failed(flow.steps)).toMatchObject({ id: 'sign-in' });
    expect(failed(flow.steps)?.error?.message).toMatch(/not (completed|finished)|within/i);
  });

  it('refresh: offline_access + prompt=consent gives a refresh token; refreshing keeps whoami working', async () => {
    host = await startEngineHost();
    host.setPerson(ALICE);
    const flow = host.flow(settingsFor(sandbox, { refreshTokens: true }));
    const { session } = await flow.run();
    expect(session?.hasRefreshToken).toBe(true);
    const before = await host.secrets.get(`profile/${flow.settings.profileId}/tokens`);
    const refreshed = await flow.refresh();
    const after = await host.secrets.get(`profile/${flow.settings.profileId}/tokens`);
    expect(after).not.toBe(before);
    expect(refreshed.hasRefreshToken).toBe(true);
    expect(sessionSteps(host.recorder)).toEqual([
      ['refresh', 'running'],
      ['refresh', 'done'],
    ]);
    expect(flow.sessionSteps.find((s) => s.id === 'refresh')).toMatchObject({
      status: 'done',
      findings: [{ message: 'Refreshed the access token (the refresh token was rotated).' }],
    });
    expect((await flow.callTool()).structuredContent).toMatchObject({ verifiedBy: 'jwt' });
    await flow.close();
  });

  it('a short-lived token (20 s) is used, not refreshed before every call: the margin is a tenth of its life', async () => {
    host = await startEngineHost();
    host.setPerson(ALICE);
    sandbox.issuer.setAccessTokenTtl(20);
    try {
      const flow = host.flow(settingsFor(sandbox, { refreshTokens: true }));
      const { session } = await flow.run();
      expect(session?.expiresAt).toBeLessThanOrEqual(Date.now() + 20_000);
      expect((await flow.callTool()).structuredContent).toMatchObject({ verifiedBy: 'jwt' });
      await flow.close();
      // A fixed minute's margin would have refreshed it before the call.
      expect(sessionSteps(host.recorder)).toEqual([]);
    } finally {
      sandbox.issuer.setAccessTokenTtl(undefined);
    }
  });

  it('reuses a stored session: connecting again skips the sign-in', async () => {
    host = await startEngineHost();
    host.setPerson(ALICE);
    const settings = settingsFor(sandbox);
    const first = host.flow(settings);
    await first.run();
    await first.close();
    const second = host.flow(settings);
    await second.run();
    expect((await second.callTool()).structuredContent).toMatchObject({ verifiedBy: 'jwt' });
    await second.close();
    expect(statusOf(second.steps)['sign-in']).toBe('skipped');
    expect(host.signIns).toHaveLength(1);
  });

  it('a reused session whose token the server rejects (and cannot be refreshed): signs in again, once', async () => {
    host = await startEngineHost();
    host.setPerson(ALICE);
    const settings = settingsFor(sandbox);
    const first = host.flow(settings);
    await first.run();
    await first.close();
    // The stored access token goes bad (revoked, or signed by a rotated key) and there is no
    // refresh token: the server answers 401 to the reused session.
    const key = `profile/${settings.profileId}/tokens`;
    const stored = JSON.parse((await host.secrets.get(key))!) as {
      tokens: { access_token: string; refresh_token?: string };
    };
    const [header, payload] = stored.tokens.access_token.split('.');
    stored.tokens.access_token = `${header}.${payload}.bm90LXRoZS1zaWduYXR1cmU`;
    delete stored.tokens.refresh_token;
    await host.secrets.set(key, JSON.stringify(stored));
    const second = host.flow(settings);
    await second.run();
    expect(statusOf(second.steps)['token-exchange']).toBe('done');
    expect(host.signIns).toHaveLength(2);
    expect((await second.callTool()).structuredContent).toMatchObject({ verifiedBy: 'jwt' });
    await second.close();
  });
});

describe('step-up and sign-out', () => {
  let host: Host;
  afterEach(() => host?.close());

  it('a 403 insufficient_scope signs in again with the union of scopes, then succeeds', async () => {
    // The server advertises no API scope but requires one: the first token lacks it.
    const sandbox = await startTestSandbox({
      scopesSupported: ['openid', 'profile'],
      requiredScopes: ['whoami:read'],
    });
    try {
      host = await startEngineHost();
      host.setPerson(ALICE);
      const flow = host.flow(settingsFor(sandbox));
      await flow.run();
      const result = await flow.callTool();
      await flow.close();
      expect(result.structuredContent).toMatchObject({ scopes: ['whoami:read'] });
      expect(host.signIns).toHaveLength(2);
      expect(host.recorder.export()).toMatch(/missing scope\(s\): whoami:read/);
    } finally {
      await sandbox.close();
    }
  });

  it('a user without the permission is told after the first token exchange, with one sign-in only', async () => {
    const sandbox = await startTestSandbox({ requiredScopes: ['whoami:read'] });
    try {
      host = await startEngineHost();
      host.setPerson(BOB); // bob's role grants no API permission
      const flow = host.flow(settingsFor(sandbox));
      const error = await flow.run().catch((e: unknown) => e);
      await flow.close();
      const exchange = flow.steps.find((s) => s.id === 'token-exchange')!;
      expect(exchange.status).toBe('done');
      expect(exchange.findings.find((f) => f.level === 'warning')?.message).toMatch(
        /lacks whoami:read, which was requested.*no role granting it.*Console → Roles/,
      );
      expect(error).toBeInstanceOf(FlowStepError);
      expect((error as FlowStepError).code).toBe('permission_not_granted');
      expect((error as FlowStepError).fix).toMatch(/Logto Console → Roles.*Assigned users/);
      expect(host.signIns).toHaveLength(1); // no step-up for a scope already asked for
    } finally {
      await sandbox.close();
    }
  });

  it('sign-out revokes, prepares the end-session URL, forgets the tokens, and the server then rejects the old token', async () => {
    // No verification cache, so the server asks userinfo about the (opaque) token every time.
    const sandbox = await startTestSandbox({ verificationCacheTtlMs: 0 });
    try {
      host = await startEngineHost();
      host.setPerson(ALICE);
      const settings = settingsFor(sandbox, { resource: { mode: 'none' }, refreshTokens: true });
      const flow = host.flow(settings);
      await flow.run();
      await flow.callTool();
      const report = await flow.signOut();
      expect(report.revoked.map((r) => [r.token, r.status])).toEqual([
        ['refresh_token', 200],
        ['access_token', 200],
      ]);
      expect(report.endSessionUrl).toMatch(/\/oidc\/session\/end\?/);
      expect(report.oldToken).toMatchObject({ status: 401, accepted: false });
      expect(await host.secrets.get(`profile/${settings.profileId}/tokens`)).toBeUndefined();
      // The sign-out steps are in the trace like the sign-in steps; the sign-in list is unchanged.
      expect(sessionSteps(host.recorder).filter(([, status]) => status !== 'running')).toEqual([
        ['revoke', 'done'],
        ['end-session', 'done'],
        ['old-token-check', 'done'],
      ]);
      expect(flow.steps.map((s) => s.id)).not.toContain('revoke');
    } finally {
      await sandbox.close();
    }
  });

  it('after sign-out a JWT is still accepted until it expires, and the report says why', async () => {
    const sandbox = await startTestSandbox();
    try {
      host = await startEngineHost();
      host.setPerson(ALICE);
      const flow = host.flow(settingsFor(sandbox));
      await flow.run();
      const report = await flow.signOut();
      expect(report.oldToken).toMatchObject({ status: 200, accepted: true });
      expect(report.oldToken?.explanation).toMatch(/self-contained/);
    } finally {
      await sandbox.close();
    }
  });
});

describe('Dynamic Client Registration', () => {
  it('without a client ID, registers itself where the issuer allows it, then signs in', async () => {
    const sandbox = await startTestSandbox({ dynamicClientRegistration: true });
    const host = await startEngineHost();
    try {
      host.setPerson({ ...ALICE, consent: 'allow' });
      const settings = settingsFor(sandbox);
      delete settings.clientId;
      const flow = host.flow(settings);
      await flow.run();
      const result = await flow.callTool();
      await flow.close();
      const clientStep = flow.steps.find((s) => s.id === 'client')!;
      expect(clientStep.findings.map((f) => f.message).join(' ')).toMatch(
        /Registered as client \S+/,
      );
      // Registered clients are third-party in the sandbox, as they would be on a real tenant.
      expect(host.signIns[0]?.pagesSeen).toEqual(['sign-in', 'consent']);
      expect(result.structuredContent).toMatchObject({ verifiedBy: 'jwt' });
      expect((result.structuredContent as { clientId: string }).clientId).not.toBe(
        'sandbox-native',
      );
    } finally {
      await host.close();
      await sandbox.close();
    }
  });
});

describe('the seed tutorial’s server (mcp-auth legacy mode)', () => {
  it('with no scope from anywhere, warns before the sign-in that the issuer will deny it', async () => {
    const sandbox = await startTestSandbox();
    const legacy = await startTutorialReferenceServer(sandbox.issuer.issuer);
    const host = await startEngineHost();
    try {
      host.setPerson(ALICE);
      const flow = host.flow(settingsFor(sandbox, { serverUrl: legacy.url, scopes: [] }));
      await expect(flow.run()).rejects.toBeInstanceOf(FlowStepError);
      const request = flow.steps.find((s) => s.id === 'authorization-request')!;
      expect(request.findings.find((f) => f.level === 'warning')?.message).toMatch(
        /No scope.*access_denied.*openid profile email/,
      );
      expect(failed(flow.steps)).toMatchObject({ id: 'sign-in' });
      expect(failed(flow.steps)?.error?.message).toMatch(/denied/);
    } finally {
      await host.close();
      await legacy.close();
      await sandbox.close();
    }
  });
  it('connects, and the trace says why strict clients refuse it and how to fix the server', async () => {
    const sandbox = await startTestSandbox();
    const legacy = await startTutorialReferenceServer(sandbox.issuer.issuer);
    const host = await startEngineHost();
    try {
      host.setPerson(ALICE);
      // The tutorial tells the user to ask for these (its server advertises nothing).
      const flow = host.flow(
        settingsFor(sandbox, { serverUrl: legacy.url, scopes: ['openid', 'profile', 'email'] }),
      );
      const { tools } = await flow.run();
      await flow.callTool('whoami');
      await flow.close();
      expect(tools.map((t) => t.name)).toEqual(['whoami']);
      const asStep = flow.steps.find((s) => s.id === 'authorization-server-metadata')!;
      const warning = asStep.findings.find((f) => f.level === 'warning')?.message ?? '';
      expect(warning).toMatch(/legacy/);
      expect(warning).toMatch(/RFC 8414 §3\.3/);
      expect(warning).toMatch(/issuer mismatch/);
      expect(warning).toMatch(/protectedResources/);
    } finally {
      await host.close();
      await legacy.close();
      await sandbox.close();
    }
  });
});
