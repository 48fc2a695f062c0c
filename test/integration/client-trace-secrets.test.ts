/**
 * The trace export is safe to share: a wiretap under the engine sees every raw byte of a full
 * flow (third-party client with a secret, consent, refresh tokens, a refresh, a tool call, a
 * sign-out), collects every secret value that crossed the wire, and none of them may appear in
 * the exported trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowSettings } from '../../main/client/engine/flow';
import { startEngineHost } from '../support/engine-host';
import { createWiretap } from '../support/wiretap';
import { startTestSandbox } from '../support/sandbox';

describe('the exported trace', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox?.close());

  it('holds no token, code, PKCE verifier or client secret that crossed the wire', async () => {
    const host = await startEngineHost();
    // The wiretap: the raw traffic, before the trace's redaction sees it.
    const { secrets, fetch: wiretap } = createWiretap();
    try {
      host.setPerson({ username: 'alice', password: 'alice-sandbox', consent: 'allow' });
      const clientSecret = sandbox.issuer.clients.find(
        (c) => c.clientId === 'sandbox-third-party',
      )!.clientSecret!;
      const settings: FlowSettings = {
        profileId: 'secrets',
        serverUrl: sandbox.server.url,
        transport: 'streamable-http',
        clientId: 'sandbox-third-party',
        clientSecret,
        // A client secret is only ever sent to the issuer the profile names.
        issuer: sandbox.issuer.issuer,
        // Its Permissions have no email (like a third-party Logto app's).
        scopes: ['openid', 'profile'],
        resource: { mode: 'auto' },
        extraParams: {},
        refreshTokens: true,
      };
      const flow = host.flow(settings, { fetch: wiretap });
      await flow.run();
      await flow.callTool('whoami');
      await flow.refresh();
      await flow.callTool('whoami');
      await flow.signOut();

      const kinds = {
        code: host.signIns.map((s) => s.callback.searchParams.get('code')),
        clientSecret,
      };
      expect(secrets.has(kinds.clientSecret)).toBe(true);
      for (const code of kinds.code) expect(secrets.has(code!)).toBe(true);
      // Two access tokens, two refresh tokens, two ID tokens, a code, a verifier, the secret...
      expect(secrets.size).toBeGreaterThanOrEqual(8);

      const exported = host.recorder.export();
      const leaked = [...secrets].filter((secret) => exported.includes(secret));
      expect(leaked).toEqual([]);
      // ...while what a person debugging needs is still there.
      expect(exported).toContain('"grant_type": "refresh_token"');
      expect(exported).toContain('sandbox-third-party');
      expect(exported).toMatch(/"aud": "http:\/\/localhost:\d+\/"/);
    } finally {
      await host.close();
    }
  });
});
