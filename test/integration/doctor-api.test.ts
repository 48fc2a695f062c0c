/**
 * The doctor block of the app's API: a profile checked, a failed sign-in explained, the current
 * session's token judged by the bundled server, a tenant set up into a saved profile. (The web
 * host and the UI are exercised in test/e2e/08-doctor.spec.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppApi } from '../../main/api';
import { RedirectReceiver } from '../../main/client/redirect';
import { SessionStore } from '../../main/client/engine/session-store';
import { createDoctorApi } from '../../main/doctor/doctor-api';
import { parseProfile, sandboxProfiles } from '../../main/profiles/schema';
import { MemorySecretStore } from '../../main/profiles/secret-store';
import { MemoryProfileStore } from '../../main/profiles/store';
import { TraceRecorder } from '../../main/trace';
import { startFakeLogto } from '../support/fake-logto-management';
import { startTestSandbox } from '../support/sandbox';
import { tokensFor } from './issuer-helpers';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let api: ReturnType<typeof createDoctorApi>;
const profiles = new MemoryProfileStore();
const secrets = new MemorySecretStore();
const sessions = new SessionStore(secrets);
const recorder = new TraceRecorder();
let changed = 0;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  for (const profile of sandboxProfiles({
    mcpUrl: sandbox.server.url,
    issuer: sandbox.issuer.issuer,
  })) {
    await profiles.save(profile);
  }
  await profiles.save(
    parseProfile({
      id: 'wrong-client',
      name: 'Wrong client',
      serverUrl: sandbox.server.url,
      issuer: sandbox.issuer.issuer,
      clientId: 'no-such-client',
    }),
  );
  api = createDoctorApi({
    profiles,
    sessions,
    secrets,
    recorder,
    redirects: [
      { mode: 'loopback', redirectUri: 'http://127.0.0.1:50123/callback', register: '', note: '' },
    ],
    server: () => ({
      issuer: sandbox.issuer.issuer,
      url: sandbox.server.url,
      resource: sandbox.server.resource,
      verification: sandbox.server.verification,
      requiredScopes: sandbox.server.requiredScopes,
    }),
    onProfilesChanged: () => (changed += 1),
  });
});
afterAll(() => sandbox.close());

describe('the doctor block', () => {
  it('checks a profile, probing with the host’s redirect URI, and records it in the trace', async () => {
    const report = await api.doctorCheckProfile('sandbox-first-party');
    expect(report.verdict).toBe('pass');
    expect(report.checks.find((c) => c.id === 'authorization.redirect-uri')?.detail).toContain(
      'http://127.0.0.1:50123/callback',
    );
    expect(recorder.events().some((e) => e.type === 'http' && e.exchange.flowId === 'doctor')).toBe(
      true,
    );
  });

  it('follows the server’s issuer for a profile that names none, as the engine does', async () => {
    await profiles.save(
      parseProfile({
        id: 'no-issuer',
        name: 'No issuer',
        serverUrl: sandbox.server.url,
        clientId: 'sandbox-native',
      }),
    );
    const report = await api.doctorCheckProfile('no-issuer');
    expect(report.verdict).toBe('pass');
    expect(report.checks.find((c) => c.id === 'server.authorization-servers')?.detail).toBe(
      `The profile names no issuer, so it follows the server’s: ${sandbox.issuer.issuer}.`,
    );
  });

  it('points a failed sign-in at the check that explains it', async () => {
    const { report, checkId } = await api.doctorExplainFailure('wrong-client', 'invalid_client');
    expect(checkId).toBe('authorization.client');
    expect(report.checks.find((c) => c.id === checkId)?.status).toBe('fail');
  });

  it('judges the current session’s token with the bundled server’s verifier', async () => {
    const redirect = 'http://127.0.0.1:7777/callback';
    const { json } = await tokensFor(
      sandbox.issuer,
      {
        client_id: 'sandbox-native',
        redirect_uri: redirect,
        scope: 'openid profile',
        resource: sandbox.server.resource,
      },
      { username: 'alice', password: 'alice-sandbox' },
    );
    await sessions.save('sandbox-first-party', {
      tokens: { access_token: json.access_token as string, token_type: 'Bearer' },
      issuer: sandbox.issuer.issuer,
      authorizationServerUrl: sandbox.issuer.issuer,
      client: { client_id: 'sandbox-native' },
      resource: sandbox.server.resource,
      requestedScope: ['openid', 'profile'],
    });
    const verdict = await api.doctorCheckToken('sandbox-first-party');
    expect(verdict).toMatchObject({ accepted: true, shape: 'jwt' });
    const pasted = await api.doctorCheckToken(
      'sandbox-first-party',
      'not-a-real-token-but-long-enough-to-count',
    );
    expect(pasted.accepted).toBe(false);
    await expect(api.doctorCheckToken('wrong-client')).rejects.toMatchObject({
      fix: 'Connect first, or paste an access token.',
    });
  });

  it('sets a tenant up into a saved profile, once', async () => {
    const logto = await startFakeLogto();
    try {
      logto.db.users.push({ id: logto.newId(), username: 'alice' });
      const input = {
        endpoint: logto.endpoint,
        appId: logto.m2m.appId,
        appSecret: logto.m2m.appSecret,
        username: 'alice',
      };
      const first = await api.doctorSetupTenant(input);
      expect(first.profile).toMatchObject({
        issuer: `${logto.endpoint}/oidc`,
        clientId: first.nativeAppId,
        serverUrl: sandbox.server.url,
      });
      expect(first.server).toEqual({
        issuer: `${logto.endpoint}/oidc`,
        resource: sandbox.server.resource,
      });
      expect(first.serverApplied).toBe(false);
      // Each Management API call is in the trace, under the setup.
      expect(
        recorder
          .events()
          .some(
            (e) =>
              e.type === 'http' &&
              e.exchange.flowId === 'tenant-setup' &&
              e.exchange.request.url === `${logto.endpoint}/api/applications`,
          ),
      ).toBe(true);
      expect(changed).toBeGreaterThan(0);
      // The secret stays in the secret store: a second run needs only the endpoint and the user.
      const second = await api.doctorSetupTenant({ endpoint: logto.endpoint, username: 'alice' });
      expect(second.profile?.id).toBe(first.profile?.id);
      const tenantProfiles = (await profiles.list()).filter(
        (p) => p.issuer === `${logto.endpoint}/oidc`,
      );
      expect(tenantProfiles).toHaveLength(1);
      expect(recorder.export()).not.toContain(logto.m2m.appSecret);
    } finally {
      await logto.close();
    }
  });

  it('through the app API, ends with the bundled server trusting the tenant', async () => {
    const logto = await startFakeLogto();
    const own = await startTestSandbox();
    const app = await createAppApi({
      host: 'web',
      version: 'test',
      stack: own.stack,
      profiles: new MemoryProfileStore(),
      secrets: new MemorySecretStore(),
      recorder: new TraceRecorder(),
      receiver: new RedirectReceiver(),
      redirects: [
        { mode: 'loopback', redirectUri: 'http://127.0.0.1:1/callback', register: '', note: '' },
      ],
      openExternal: () => undefined,
    });
    try {
      logto.db.users.push({ id: logto.newId(), username: 'alice' });
      const result = await app.doctor.setupTenant({
        endpoint: logto.endpoint,
        appId: logto.m2m.appId,
        appSecret: logto.m2m.appSecret,
        username: 'alice',
      });
      expect(result.serverApplied).toBe(true);
      const status = await app.server.status();
      expect(status).toMatchObject({ issuer: `${logto.endpoint}/oidc`, trustsSandbox: false });
      // The resource the tenant's API resource was created for is the one the server still uses.
      expect(status.resource).toBe(result.server.resource);
    } finally {
      await app.close();
      await own.close();
      await logto.close();
    }
  });
});
