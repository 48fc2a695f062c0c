/**
 * "Set up this tenant" against a Logto Management API on loopback built from Logto's documented
 * API: what it creates, that a second run creates nothing, drift reported and repaired only on
 * request (by adding, never deleting), pagination, credentials and the trace.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doctorFetch } from '../../main/doctor/run';
import { MemorySecretStore } from '../../main/profiles/secret-store';
import { APP_REDIRECT_URI } from '../../main/shared/app-identity';
import {
  managementApiResource,
  profileFromSetup,
  ROLE_NAME,
  runTenantSetup,
} from '../../main/tenant-setup';
import { m2mSecretKey } from '../../main/tenant-setup/credentials';
import { TraceRecorder } from '../../main/trace';
import { startFakeLogto, type FakeLogto } from '../support/fake-logto-management';

const RESOURCE = 'http://localhost:3001/';

let logto: FakeLogto;
let secrets: MemorySecretStore;
let recorder: TraceRecorder;

beforeEach(async () => {
  logto = await startFakeLogto();
  logto.db.users.push(
    { id: logto.newId(), username: 'alice' },
    { id: logto.newId(), username: 'bob' },
  );
  secrets = new MemorySecretStore();
  recorder = new TraceRecorder();
});
afterEach(() => logto.close());

const setup = (
  request: Partial<Parameters<typeof runTenantSetup>[0]> = {},
  withCredentials = true,
) =>
  runTenantSetup(
    {
      endpoint: logto.endpoint,
      resource: RESOURCE,
      username: 'alice',
      ...(withCredentials && { credentials: logto.m2m }),
      ...request,
    },
    {
      fetch: doctorFetch({ recorder }),
      secrets,
      traceSecrets: recorder.secrets,
    },
  );

const writes = () => logto.requests.filter((r) => r.path.startsWith('/api/') && r.method !== 'GET');
const states = (result: Awaited<ReturnType<typeof setup>>) =>
  Object.fromEntries(result.items.map((i) => [i.id, i.state]));

describe('an empty tenant', () => {
  it('gets a Native app, the API resource, the permission, a role for the user and a third-party app', async () => {
    const result = await setup({ thirdParty: true });
    expect(states(result)).toEqual({
      'native-app': 'created',
      'api-resource': 'created',
      permission: 'created',
      role: 'created',
      'role-user': 'created',
      'third-party-app': 'created',
      'third-party-consent': 'created',
    });
    const [native, third] = logto.db.applications;
    expect(native).toMatchObject({
      id: result.nativeAppId,
      type: 'Native',
      isThirdParty: false,
      oidcClientMetadata: { redirectUris: ['http://127.0.0.1/callback', APP_REDIRECT_URI] },
    });
    expect(third).toMatchObject({ id: result.thirdPartyAppId, type: 'Native', isThirdParty: true });
    expect(logto.db.resources).toEqual([expect.objectContaining({ indicator: RESOURCE })]);
    expect(logto.db.scopes).toEqual([expect.objectContaining({ name: 'whoami:read' })]);
    const role = logto.db.roles[0]!;
    expect(role).toMatchObject({ name: ROLE_NAME, type: 'User' });
    expect(logto.db.roleScopes).toEqual([{ roleId: role.id, scopeId: logto.db.scopes[0]!.id }]);
    expect(logto.db.roleUsers).toEqual([{ roleId: role.id, userId: logto.db.users[0]!.id }]);
    expect(logto.db.consent[third!.id]).toEqual({
      resourceScopes: [logto.db.scopes[0]!.id],
      userScopes: ['profile'],
    });
    expect(result.server).toEqual({ issuer: `${logto.endpoint}/oidc`, resource: RESOURCE });
  });

  it('asks Logto for a Management API token the documented way', async () => {
    await setup();
    const token = logto.requests.find((r) => r.path === '/oidc/token')!;
    const form = new URLSearchParams(token.body as string);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      resource: 'https://default.logto.app/api',
      scope: 'all',
    });
    expect(token.authorization).toMatch(/^Basic /);
  });

  it('fills in a profile that signs in at the tenant with the new Native app', async () => {
    const result = await setup();
    const profile = profileFromSetup(result, { serverUrl: 'http://localhost:3001/mcp' })!;
    expect(profile).toMatchObject({
      issuer: `${logto.endpoint}/oidc`,
      clientId: result.nativeAppId,
      serverUrl: 'http://localhost:3001/mcp',
      resource: { mode: 'auto' },
      redirectMode: 'loopback',
    });
  });
});

describe('a second run', () => {
  it('creates nothing and finds everything', async () => {
    await setup({ thirdParty: true });
    const before = writes().length;
    const again = await setup({ thirdParty: true });
    expect(writes().length).toBe(before);
    expect(new Set(Object.values(states(again)))).toEqual(new Set(['exists']));
    expect(logto.db.applications).toHaveLength(2);
  });

  it('uses the credentials kept in the secret store', async () => {
    await setup();
    expect(JSON.parse((await secrets.get(m2mSecretKey(logto.endpoint)))!)).toEqual(logto.m2m);
    const again = await setup({}, false);
    expect(states(again)['native-app']).toBe('exists');
  });

  it('uses what another admin created between the look and the write (Logto’s 422)', async () => {
    logto.beforeWrite = (method, path) => {
      if (method === 'POST' && path === '/api/resources' && !logto.db.resources.length) {
        logto.db.resources.push({ id: logto.newId(), name: 'Theirs', indicator: RESOURCE });
      }
    };
    const result = await setup();
    expect(states(result)['api-resource']).toBe('exists');
    expect(logto.db.resources).toHaveLength(1);
    expect(states(result).permission).toBe('created');
  });

  it('finds what it needs on a later page of a long list', async () => {
    for (let i = 0; i < 150; i += 1) {
      logto.db.resources.push({
        id: logto.newId(),
        name: `API ${i}`,
        indicator: `https://api${i}.example/`,
      });
    }
    logto.db.resources.push({ id: logto.newId(), name: 'Mine', indicator: RESOURCE });
    const result = await setup();
    expect(states(result)['api-resource']).toBe('exists');
    expect(logto.db.resources).toHaveLength(151);
  });
});

describe('drift', () => {
  beforeEach(() => {
    logto.db.applications.push({
      id: logto.newId(),
      name: 'MCP Auth Desktop',
      type: 'Native',
      isThirdParty: false,
      oidcClientMetadata: {
        redirectUris: ['http://localhost:5173/callback'],
        postLogoutRedirectUris: [],
      },
    });
    logto.db.roles.push({ id: logto.newId(), name: ROLE_NAME, type: 'User' });
  });

  it('is reported with its fix, and nothing is changed', async () => {
    const result = await setup();
    const native = result.items.find((i) => i.id === 'native-app')!;
    expect(native).toMatchObject({ state: 'drift', fixable: true });
    expect(native.detail).toContain('lacks the redirect URI(s) http://127.0.0.1/callback');
    expect(native.fix).toMatch(/Redirect URIs \(the existing ones stay\)/);
    expect(result.items.find((i) => i.id === 'role-permission')).toMatchObject({
      state: 'drift',
      fix: expect.stringContaining(`Roles → ${ROLE_NAME} → Permissions`),
    });
    expect(writes().filter((w) => w.method === 'PATCH')).toEqual([]);
    expect(logto.db.roleScopes).toEqual([]);
  });

  it('is repaired on request by adding, keeping what was there, deleting nothing', async () => {
    const result = await setup({ fix: ['native-app', 'role-permission'] });
    expect(states(result)).toMatchObject({ 'native-app': 'fixed', 'role-permission': 'fixed' });
    expect(logto.db.applications[0]!.oidcClientMetadata).toMatchObject({
      redirectUris: [
        'http://localhost:5173/callback',
        'http://127.0.0.1/callback',
        APP_REDIRECT_URI,
      ],
    });
    expect(logto.db.roleScopes).toHaveLength(1);
    expect(logto.requests.some((r) => r.method === 'DELETE')).toBe(false);
    const again = await setup();
    expect(new Set(Object.values(states(again)))).toEqual(new Set(['exists']));
  });

  it('says what to do by hand about what cannot change', async () => {
    logto.db.roles[0]!.type = 'MachineToMachine';
    const result = await setup();
    expect(result.items.find((i) => i.id === 'role')).toMatchObject({
      state: 'drift',
      fixable: false,
    });
    expect(logto.db.roleUsers).toEqual([]);
  });
});

describe('failures', () => {
  it('a wrong secret says which app to use, and is not remembered', async () => {
    await expect(
      setup({ credentials: { appId: logto.m2m.appId, appSecret: 'wrong' } }),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        `refused a Management API token for the app ${logto.m2m.appId}`,
      ),
      fix: expect.stringContaining('Machine-to-machine'),
    });
    expect(await secrets.get(m2mSecretKey(logto.endpoint))).toBeUndefined();
  });

  it('an unknown user is named, and no role is assigned', async () => {
    const result = await setup({ username: 'carol' });
    expect(result.items.find((i) => i.id === 'role-user')).toMatchObject({
      state: 'failed',
      detail: 'No user named carol in this tenant.',
    });
    expect(logto.db.roleUsers).toEqual([]);
  });

  it('the Management API resource follows Logto Cloud or self-hosted', () => {
    expect(managementApiResource('https://ab12cd.logto.app')).toBe('https://ab12cd.logto.app/api');
    expect(managementApiResource('http://localhost:3001')).toBe('https://default.logto.app/api');
  });
});

describe('the trace', () => {
  it('shows every Management API call, never the app secret or the token', async () => {
    await setup({ thirdParty: true });
    const exported = recorder.export();
    const token = /^Bearer (.+)$/.exec(
      logto.requests.find((r) => r.path.startsWith('/api/'))!.authorization!,
    )![1]!;
    expect(exported).not.toContain(logto.m2m.appSecret);
    expect(exported).not.toContain(token);
    expect(exported).not.toContain(
      Buffer.from(`${logto.m2m.appId}:${logto.m2m.appSecret}`).toString('base64'),
    );
    const paths = recorder
      .events()
      .flatMap((e) => (e.type === 'http' ? [new URL(e.exchange.request.url).pathname] : []));
    expect(paths).toEqual(logto.requests.map((r) => r.path));
  });
});
