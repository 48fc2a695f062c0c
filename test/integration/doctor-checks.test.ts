/**
 * The tenant doctor against the real sandbox: a healthy profile passes every check, and each
 * check fails (or warns) when the configuration it looks at is broken the way a tenant can be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { runDoctor, checkForFailure, type DoctorInput, type DoctorReport } from '../../main/doctor';
import { startMcpServer } from '../../main/server';
import { freePort } from '../../main/shared/free-port';
import { APP_REDIRECT_URI } from '../../main/shared/app-identity';
import { listen } from '../../main/shared/listen';
import { startAlteredIssuer, type Alteration } from '../support/altered-issuer';
import { startTestSandbox } from '../support/sandbox';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let healthy: DoctorInput;

beforeAll(async () => {
  sandbox = await startTestSandbox({ dynamicClientRegistration: false });
  healthy = {
    issuer: sandbox.issuer.issuer,
    clientId: 'sandbox-native',
    serverUrl: sandbox.server.url,
    scopes: ['openid', 'profile', 'email'],
    refreshTokens: true,
  };
});
afterAll(() => sandbox.close());

const without = (key: keyof DoctorInput): DoctorInput => {
  const input = { ...healthy };
  delete input[key];
  return input;
};
const withoutServer = () => without('serverUrl');

/** A server that answers everything with a bare 401: no challenge header, no metadata. */
async function withBare401Server<T>(use: (serverUrl: string) => Promise<T>): Promise<T> {
  const bare = await listen((_req, res) => void res.writeHead(401).end(), {
    host: '127.0.0.1',
    port: 0,
    label: 'bare 401 server',
    howToChange: '',
  });
  try {
    return await use(`http://127.0.0.1:${bare.port}/mcp`);
  } finally {
    await bare.close();
  }
}

const get = (report: DoctorReport, id: string) => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`No check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
};

async function withAlteredIssuer(alter: Alteration, input: Partial<DoctorInput> = {}) {
  const altered = await startAlteredIssuer(sandbox.issuer.issuer, alter);
  try {
    return await runDoctor({ ...withoutServer(), ...input, issuer: altered.issuer });
  } finally {
    await altered.close();
  }
}

describe('a healthy sandbox profile', () => {
  it('passes every check, with the three columns in agreement', async () => {
    const report = await runDoctor(healthy);
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.checks.map((c) => c.id)).toEqual([
      'issuer.reachable',
      'issuer.discovery',
      'issuer.exact',
      'issuer.token-endpoints',
      'issuer.pkce',
      'registration.method',
      'server.challenge',
      'server.metadata',
      'server.resource',
      'server.authorization-servers',
      'server.scopes',
      'authorization.client',
      'authorization.redirect-uri',
      'authorization.redirect-any-port',
      'authorization.resource',
      'authorization.scopes',
      'authorization.refresh-tokens',
      'clock.skew',
    ]);
    expect(report.columns.some((row) => row.mismatch)).toBe(false);
    const resource = report.columns.find((row) => row.field.startsWith('Resource'))!;
    expect(resource).toMatchObject({
      server: sandbox.server.resource,
      client: sandbox.server.resource,
      issuer: 'known',
    });
  });
});

describe('issuer checks', () => {
  it('issuer.reachable fails for an issuer nobody answers at', async () => {
    const port = await freePort('127.0.0.1');
    const report = await runDoctor({ ...healthy, issuer: `http://127.0.0.1:${port}/oidc` });
    expect(get(report, 'issuer.reachable')).toMatchObject({ status: 'fail' });
    expect(get(report, 'issuer.reachable').detail).toMatch(/connection refused/);
    expect(report.verdict).toBe('fail');
  });

  it('issuer.discovery fails when neither the profile nor the server names an issuer', async () => {
    const report = await withBare401Server((serverUrl) =>
      runDoctor({ ...without('issuer'), serverUrl }),
    );
    expect(get(report, 'issuer.discovery')).toMatchObject({ status: 'fail' });
    expect(get(report, 'issuer.discovery').fix).toMatch(/Enter the issuer/);
  });

  it('issuer.discovery fails for the endpoint without /oidc and names the issuer that works', async () => {
    const origin = new URL(sandbox.issuer.issuer).origin;
    const report = await runDoctor({ ...healthy, issuer: origin });
    const check = get(report, 'issuer.discovery');
    expect(check.status).toBe('fail');
    expect(check.fix).toContain(`Use the issuer ${sandbox.issuer.issuer}`);
  });

  it('issuer.exact fails for a trailing slash the issuer does not have', async () => {
    const report = await runDoctor({ ...healthy, issuer: `${sandbox.issuer.issuer}/` });
    expect(get(report, 'issuer.exact')).toMatchObject({ status: 'fail' });
    expect(get(report, 'issuer.exact').cause).toMatch(/trailing slash/);
    expect(report.columns.find((row) => row.field === 'Issuer')?.mismatch).toBe(true);
  });

  it('issuer.token-endpoints fails without jwks_uri for a JWT, without userinfo for an opaque token', async () => {
    const noJwks = await withAlteredIssuer({ discovery: ({ jwks_uri: _, ...doc }) => doc });
    expect(get(noJwks, 'issuer.token-endpoints')).toMatchObject({ status: 'fail' });
    expect(get(noJwks, 'issuer.token-endpoints').detail).toMatch(/jwks_uri/);
    const noUserinfo = await withAlteredIssuer(
      { discovery: ({ userinfo_endpoint: _, ...doc }) => doc },
      { resource: { mode: 'none' } },
    );
    expect(get(noUserinfo, 'issuer.token-endpoints').detail).toMatch(/userinfo_endpoint/);
    expect(get(noUserinfo, 'issuer.token-endpoints').status).toBe('fail');
  });

  it('issuer.pkce fails when S256 is not offered and warns when nothing is listed', async () => {
    const plain = await withAlteredIssuer({
      discovery: (doc) => ({ ...doc, code_challenge_methods_supported: ['plain'] }),
    });
    expect(get(plain, 'issuer.pkce').status).toBe('fail');
    const unlisted = await withAlteredIssuer({
      discovery: ({ code_challenge_methods_supported: _, ...doc }) => doc,
    });
    expect(get(unlisted, 'issuer.pkce').status).toBe('warn');
  });
});

describe('registration', () => {
  it('fails without a client ID where the issuer has no registration, and leaves the probe out', async () => {
    const report = await runDoctor(without('clientId'));
    expect(get(report, 'registration.method')).toMatchObject({ status: 'fail' });
    expect(get(report, 'registration.method').fix).toMatch(/Native app/);
    expect(report.checks.some((c) => c.group === 'authorization')).toBe(false);
  });

  it('warns that the app will register itself where the issuer offers DCR', async () => {
    const dcr = await startTestSandbox({ dynamicClientRegistration: true });
    try {
      const report = await runDoctor({ issuer: dcr.issuer.issuer });
      expect(get(report, 'registration.method').status).toBe('warn');
      expect(get(report, 'registration.method').detail).toMatch(/Dynamic Client Registration/);
    } finally {
      await dcr.close();
    }
  });

  it('fails for a metadata document client ID the issuer does not accept', async () => {
    const report = await runDoctor({ ...healthy, clientId: 'https://example.com/client.json' });
    expect(get(report, 'registration.method').status).toBe('fail');
  });
});

describe('the authorization request, as the engine sends it', () => {
  it('authorization.client fails for an unknown client ID', async () => {
    const report = await runDoctor({ ...healthy, clientId: 'no-such-client' });
    expect(get(report, 'authorization.client')).toMatchObject({ status: 'fail' });
    expect(get(report, 'authorization.client').fix).toMatch(/App ID/);
    expect(checkForFailure('invalid_client')).toBe('authorization.client');
  });

  it('authorization.redirect-uri fails for an SPA that does not list the loopback URI', async () => {
    const report = await runDoctor({ ...healthy, clientId: 'sandbox-spa' });
    const check = get(report, 'authorization.redirect-uri');
    expect(check.status).toBe('fail');
    expect(check.fix).toContain('http://127.0.0.1/callback');
  });

  it('authorization.redirect-uri asks for the app’s custom-scheme URI exactly when that is refused', async () => {
    const report = await runDoctor({
      ...healthy,
      clientId: 'sandbox-spa',
      redirectUri: APP_REDIRECT_URI,
    });
    expect(get(report, 'authorization.redirect-uri').fix).toBe(
      `In Logto Console → Applications → your app → Redirect URIs, add exactly ${APP_REDIRECT_URI}.`,
    );
    // A native client's custom scheme: no port to change.
    const native = await runDoctor({ ...healthy, redirectUri: APP_REDIRECT_URI });
    expect(get(native, 'authorization.redirect-any-port').status).toBe('pass');
  });

  it('authorization.redirect-any-port fails when only one port is registered', async () => {
    const report = await runDoctor({
      ...healthy,
      clientId: 'sandbox-spa',
      redirectUri: 'http://localhost:6274/oauth/callback',
    });
    expect(get(report, 'authorization.redirect-uri').status).toBe('pass');
    const check = get(report, 'authorization.redirect-any-port');
    expect(check.status).toBe('fail');
    expect(check.detail).toMatch(/http:\/\/localhost:6274\/oauth\/callback is accepted but/);
  });

  it('authorization.resource fails for an API resource the issuer does not know', async () => {
    const report = await runDoctor({
      ...withoutServer(),
      resource: { mode: 'custom', value: 'http://localhost:3999/' },
    });
    const check = get(report, 'authorization.resource');
    expect(check.status).toBe('fail');
    expect(check.fix).toContain('exactly http://localhost:3999/');
    // The refused resource was set aside to learn about the rest of the request.
    expect(get(report, 'authorization.scopes').status).toBe('pass');
  });

  it('authorization.scopes names the scope a third-party app may not ask for (Logto’s answer)', async () => {
    // Logto v1.37.1 (fixture auth-third-party-invalid-scope.json): 303 to the redirect URI with
    // error=invalid_scope and the offending scope named in `scope`.
    const answer = (url: URL, res: ServerResponse) => {
      if (!url.pathname.endsWith('/auth') || !/\bemail\b/.test(url.searchParams.get('scope') ?? ''))
        return false;
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('error', 'invalid_scope');
      back.searchParams.set('error_description', 'requested scope is not allowed');
      back.searchParams.set('scope', 'email');
      back.searchParams.set('state', url.searchParams.get('state')!);
      res.writeHead(303, { location: back.href }).end();
      return true;
    };
    const report = await withAlteredIssuer({ answer }, { clientId: 'sandbox-third-party' });
    const check = get(report, 'authorization.scopes');
    expect(check.status).toBe('fail');
    expect(check.detail).toContain('refuses email');
    expect(check.fix).toMatch(/Permissions/);
  });

  it('authorization.scopes warns about scopes that are dropped without a resource', async () => {
    const report = await runDoctor({
      ...withoutServer(),
      resource: { mode: 'none' },
      scopes: ['openid', 'made-up:scope'],
    });
    expect(get(report, 'authorization.scopes')).toMatchObject({ status: 'warn' });
  });

  it('authorization.request fails when the issuer answers the request with a server error', async () => {
    const answer = (url: URL, res: ServerResponse) => {
      if (!url.pathname.endsWith('/auth')) return false;
      res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
      return true;
    };
    const report = await withAlteredIssuer({ answer });
    expect(get(report, 'authorization.request')).toMatchObject({ status: 'fail' });
    expect(get(report, 'authorization.request').detail).toMatch(/HTTP 500/);
    expect(checkForFailure('authorization_http_error')).toBe('authorization.request');
  });

  it('authorization.refresh-tokens fails where the issuer offers no refresh tokens', async () => {
    const report = await withAlteredIssuer({
      discovery: (doc) => ({ ...doc, grant_types_supported: ['authorization_code'] }),
    });
    expect(get(report, 'authorization.refresh-tokens').status).toBe('fail');
  });
});

describe('the server', () => {
  async function withServer(
    options: Partial<Parameters<typeof startMcpServer>[0]>,
    input: Partial<DoctorInput> = {},
  ) {
    const server = await startMcpServer({ port: 0, issuer: sandbox.issuer.issuer, ...options });
    try {
      return await runDoctor({ ...healthy, serverUrl: server.url, ...input });
    } finally {
      await server.close();
    }
  }

  it('server.challenge fails for a URL that is not an MCP endpoint', async () => {
    const report = await runDoctor({ ...healthy, serverUrl: `${sandbox.server.origin}/nope` });
    expect(get(report, 'server.challenge').status).toBe('fail');
    expect(get(report, 'server.challenge').detail).toMatch(/404/);
  });

  it('server.authorization-servers fails when the server trusts another issuer', async () => {
    const report = await withServer({ issuer: 'http://127.0.0.1:9/oidc' });
    const check = get(report, 'server.authorization-servers');
    expect(check.status).toBe('fail');
    expect(check.fix).toContain(`--issuer ${sandbox.issuer.issuer}`);
    expect(report.columns.find((row) => row.field === 'Issuer')?.mismatch).toBe(true);
  });

  it('server.resource fails when the profile’s resource is not the server’s indicator', async () => {
    const report = await runDoctor({
      ...healthy,
      resource: { mode: 'custom', value: 'http://localhost:4999/' },
    });
    const check = get(report, 'server.resource');
    expect(check.status).toBe('fail');
    expect(check.fix).toContain(`exactly ${sandbox.server.resource}`);
    // The sandbox issuer does not know that resource either.
    expect(get(report, 'authorization.resource').status).toBe('fail');
  });

  it('server.resource fails when the server URL is not covered by its resource indicator', async () => {
    const url = sandbox.server.url.replace('localhost', '127.0.0.1');
    const report = await runDoctor({ ...healthy, serverUrl: url });
    expect(get(report, 'server.resource').status).toBe('fail');
    expect(get(report, 'server.resource').detail).toMatch(/does not cover/);
  });

  it('server.metadata warns when the server’s metadata cannot be found', async () => {
    // A resource indicator on another port: the metadata is looked up where nothing answers.
    const report = await withServer({
      resource: `http://localhost:${await freePort('127.0.0.1')}/`,
    });
    expect(get(report, 'server.metadata').status).toBe('warn');
  });

  it('server.challenge warns about a 401 without a WWW-Authenticate header', async () => {
    const report = await withBare401Server((serverUrl) => runDoctor({ ...healthy, serverUrl }));
    expect(get(report, 'server.challenge').status).toBe('warn');
    expect(get(report, 'server.challenge').detail).toMatch(/WWW-Authenticate/);
  });

  it('server.resource warns for an opaque token, and server.scopes fails when API scopes are needed', async () => {
    const report = await runDoctor({ ...healthy, resource: { mode: 'none' } });
    expect(get(report, 'server.resource').status).toBe('warn');
    expect(get(report, 'server.scopes').status).toBe('fail');
    expect(get(report, 'server.scopes').detail).toContain('whoami:read');
  });

  it('server.scopes passes for a server that needs only OIDC scopes, even with an opaque token', async () => {
    const report = await withServer(
      { scopesSupported: ['openid', 'profile'] },
      { resource: { mode: 'none' } },
    );
    expect(get(report, 'server.scopes').status).toBe('pass');
  });
});

describe('clock skew', () => {
  it('fails beyond the server’s leeway and warns within it', async () => {
    const ahead = await runDoctor(healthy, { now: () => Date.now() + 120_000 });
    expect(get(ahead, 'clock.skew').status).toBe('fail');
    expect(get(ahead, 'clock.skew').detail).toMatch(/12\d s ahead of/);
    const slightlyBehind = await runDoctor(healthy, { now: () => Date.now() - 10_000 });
    expect(get(slightlyBehind, 'clock.skew').status).toBe('warn');
  });
});
