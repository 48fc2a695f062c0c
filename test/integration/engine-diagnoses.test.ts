/**
 * The engine's diagnoses, each true on real Logto, checked against the real sandbox: which
 * issuer the sign-in goes to, what was granted, an opaque token at a JWT-only server, a stored
 * session tied to its server, and what the issuer put in the redirect.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FlowSettings } from '../../main/client/engine/flow';
import { FlowStepError } from '../../main/client/engine/notes';
import { startEngineHost } from '../support/engine-host';
import { startTestSandbox } from '../support/sandbox';

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
type Host = Awaited<ReturnType<typeof startEngineHost>>;

const ALICE = { username: 'alice', password: 'alice-sandbox' };

function settingsFor(sandbox: Sandbox, extra: Partial<FlowSettings> = {}): FlowSettings {
  return {
    profileId: `p-${Math.random().toString(36).slice(2)}`,
    serverUrl: sandbox.server.url,
    transport: 'streamable-http',
    clientId: 'sandbox-native',
    scopes: ['openid', 'profile', 'email'],
    resource: { mode: 'auto' },
    extraParams: {},
    refreshTokens: false,
    ...extra,
  };
}

const messages = (
  flow: { steps: readonly { id: string; findings: { message: string }[] }[] },
  id: string,
) =>
  flow.steps
    .find((s) => s.id === id)!
    .findings.map((f) => f.message)
    .join('\n');

describe('engine diagnoses against the sandbox', () => {
  let sandbox: Sandbox;
  let host: Host | undefined;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox?.close());
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  it('a profile issuer the server does not trust: the true cause, and no request to either issuer', async () => {
    const h = (host = await startEngineHost());
    h.setPerson(ALICE);
    const tenant = 'http://localhost:3002/oidc';
    const flow = h.flow(
      settingsFor(sandbox, { issuer: tenant, clientId: 'jd2xfupv9nhd8aa5macfk' }),
    );
    const error = await flow.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowStepError);
    expect((error as FlowStepError).code).toBe('issuer_mismatch');
    expect((error as FlowStepError).message).toBe(
      `This server trusts ${sandbox.issuer.issuer}; your profile says ${tenant}. A token from ${tenant} would be rejected by the server, so the sign-in stopped before sending anything to ${sandbox.issuer.issuer}.`,
    );
    const requested = h.recorder
      .events()
      .flatMap((e) => (e.type === 'http' ? [e.exchange.request.url] : []));
    expect(requested.some((url) => url.startsWith(sandbox.issuer.issuer))).toBe(false);
    expect(h.signIns).toHaveLength(0);
  });

  it('a profile without an issuer follows the server’s metadata, and says so', async () => {
    const h = (host = await startEngineHost());
    h.setPerson(ALICE);
    const flow = h.flow(settingsFor(sandbox));
    await flow.run();
    await flow.close();
    expect(messages(flow, 'authorization-server-metadata')).toContain(
      `The profile names no issuer, so the sign-in follows the server’s metadata to ${sandbox.issuer.issuer}.`,
    );
  });

  it('granted scopes come from what came back: ID token, claims, refresh token, the JWT’s scope', async () => {
    const h = (host = await startEngineHost());
    h.setPerson(ALICE);
    const flow = h.flow(
      settingsFor(sandbox, { issuer: sandbox.issuer.issuer, refreshTokens: true }),
    );
    const { session } = await flow.run();
    await flow.close();
    expect(session?.grantedScope).toEqual(
      expect.arrayContaining(['openid', 'profile', 'offline_access', 'whoami:read']),
    );
    expect(session?.grantedBecause?.openid).toMatch(/ID token/);
    expect(session?.grantedBecause?.offline_access).toMatch(/refresh token/);
    expect(session?.grantedBecause?.['whoami:read']).toMatch(/scope claim/);
    expect(session?.missingApiScopes).toBeUndefined();
    const exchange = flow.steps.find((s) => s.id === 'token-exchange')!;
    expect(exchange.findings.filter((f) => f.level !== 'info')).toEqual([]);
    expect(messages(flow, 'token-exchange')).toContain('A refresh token was received.');
    expect(messages(flow, 'token-exchange')).not.toMatch(/Requested but not granted/);
  });

  it('the redirect step shows what the issuer put in the redirect, with the code redacted', async () => {
    const h = (host = await startEngineHost());
    h.setPerson(ALICE);
    const flow = h.flow(settingsFor(sandbox));
    await flow.run();
    await flow.close();
    const code = h.signIns[0]!.callback.searchParams.get('code')!;
    const said = messages(flow, 'redirect');
    expect(said).toMatch(/The issuer redirected to http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    expect(said).toContain('(parameters: code, state, iss)');
    expect(said).not.toContain(code);
    expect(h.recorder.export()).toContain('The issuer redirected to');
    expect(h.recorder.export()).not.toContain(code);
  });

  it('a stored session is tied to the server it was made for', async () => {
    const h = (host = await startEngineHost());
    h.setPerson(ALICE);
    const settings = settingsFor(sandbox);
    const first = h.flow(settings);
    await first.run();
    await first.close();
    // Same profile, now pointed at the SSE endpoint of the same server: a new sign-in.
    const second = h.flow({ ...settings, serverUrl: sandbox.server.sseUrl, transport: 'sse' });
    await second.run();
    await second.close();
    expect(second.steps.find((s) => s.id === 'sign-in')?.status).toBe('done');
    expect(h.signIns).toHaveLength(2);
  });
});

describe('an opaque token at a server that verifies only JWTs', () => {
  it('explains it (set the resource to automatic) instead of a silent second sign-in', async () => {
    const sandbox = await startTestSandbox({ verification: 'jwt' });
    const host = await startEngineHost();
    try {
      host.setPerson(ALICE);
      const flow = host.flow(settingsFor(sandbox, { resource: { mode: 'none' } }));
      const error = await flow.run().catch((e: unknown) => e);
      await flow.close();
      expect(error).toBeInstanceOf(FlowStepError);
      expect((error as FlowStepError).code).toBe('opaque_token_rejected');
      expect((error as FlowStepError).message).toMatch(
        /rejected the opaque access token this sign-in just produced.*No second sign-in was started/,
      );
      expect((error as FlowStepError).fix).toMatch(/Resource to automatic/);
      expect(host.signIns).toHaveLength(1);
    } finally {
      await host.close();
      await sandbox.close();
    }
  });
});
