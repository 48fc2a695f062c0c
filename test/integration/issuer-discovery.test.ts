import { readFile, stat } from 'node:fs/promises';

import { createRemoteJWKSet, importJWK, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_RESOURCE, signingKeysPath, startIssuer } from '../../main/issuer';
import { PortInUseError } from '../../main/shared/listen';
import {
  authorizeUrl,
  Browser,
  pkce,
  startTestIssuer,
  tempDataDir,
  tokenRequest,
  tokensFor,
} from './issuer-helpers';

const ALICE = { username: 'alice', password: 'alice-sandbox' };

describe('discovery', () => {
  let issuer: Awaited<ReturnType<typeof startTestIssuer>>;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    await issuer?.stop();
  });

  it('serves the OpenID configuration under /oidc with Logto-shaped endpoints', async () => {
    expect(issuer.issuer).toBe(`http://127.0.0.1:${issuer.port}/oidc`);
    expect(issuer.origin).toBe(`http://127.0.0.1:${issuer.port}`);
    const response = await fetch(`${issuer.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: issuer.issuer,
      authorization_endpoint: `${issuer.issuer}/auth`,
      token_endpoint: `${issuer.issuer}/token`,
      userinfo_endpoint: `${issuer.issuer}/me`,
      jwks_uri: `${issuer.issuer}/jwks`,
      end_session_endpoint: `${issuer.issuer}/session/end`,
      revocation_endpoint: `${issuer.issuer}/token/revocation`,
      introspection_endpoint: `${issuer.issuer}/token/introspection`,
      pushed_authorization_request_endpoint: `${issuer.issuer}/request`,
      code_challenge_methods_supported: ['S256'],
      scopes_supported: [
        'openid',
        'offline_access',
        'profile',
        'email',
        'phone',
        'address',
        'custom_data',
        'identities',
        'roles',
        'urn:logto:scope:organizations',
        'urn:logto:scope:organization_roles',
        'urn:logto:scope:sessions',
        'whoami:read',
      ],
    });
    expect(metadata.registration_endpoint).toBeUndefined();
    expect(metadata.id_token_signing_alg_values_supported).toEqual(['ES384']);
  });

  it('advertises endpoints on the issuer origin even when reached through localhost', async () => {
    const response = await fetch(
      `http://localhost:${issuer.port}/oidc/.well-known/openid-configuration`,
    );
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(issuer.issuer);
    expect(metadata.token_endpoint).toBe(`${issuer.issuer}/token`);

    // A browser sent to /auth on localhost moves to the issuer's origin before signing in.
    const auth = await fetch(`http://localhost:${issuer.port}/oidc/auth?client_id=sandbox-native`, {
      redirect: 'manual',
    });
    expect(auth.status).toBe(307);
    expect(auth.headers.get('location')).toBe(`${issuer.issuer}/auth?client_id=sandbox-native`);
  });

  it('has no RFC 8414 document and no /oidc/reg, like Logto v1.37 (JSON 404s)', async () => {
    for (const path of [
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-authorization-server/oidc',
      '/oidc/.well-known/oauth-authorization-server',
    ]) {
      const response = await fetch(`${issuer.origin}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    }
    const registration = await fetch(`${issuer.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1/callback'] }),
    });
    expect(registration.status).toBe(404);
  });

  it('publishes the one ES384 signing key at /oidc/jwks, without its private part', async () => {
    const jwks = (await (await fetch(`${issuer.issuer}/jwks`)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384', use: 'sig' });
    expect(jwks.keys[0]?.d).toBeUndefined();
  });

  it('describes its users, clients and API resources for the app to show', () => {
    expect(issuer.users.map((u) => u.username)).toEqual(['alice', 'bob']);
    for (const user of issuer.users) expect(user.id).toMatch(/^[a-z0-9]{12}$/);
    expect(issuer.clients.map((c) => [c.clientId, c.appType, c.firstParty])).toEqual([
      ['sandbox-native', 'Native', true],
      ['sandbox-third-party', 'Traditional web', false],
      ['sandbox-spa', 'SPA', true],
    ]);
    expect(issuer.apiResources).toEqual([
      {
        indicator: DEFAULT_RESOURCE,
        name: 'MCP Auth Desktop server',
        scopes: [
          { name: 'whoami:read', description: 'Read your identity through the whoami tool' },
        ],
        accessTokenTtlSec: 3600,
      },
    ]);
  });

  it('shows a page naming the issuer at its root', async () => {
    const response = await fetch(`${issuer.origin}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Sandbox issuer');
    expect(html).toContain(issuer.issuer);
  });
});

describe('custom API resources', () => {
  it('are advertised, issue tokens for their own indicator, and replace the default', async () => {
    const notes = {
      indicator: 'https://notes.example/api',
      name: 'Notes API',
      scopes: [
        { name: 'notes:read', description: 'Read your notes' },
        { name: 'notes:write', description: 'Change your notes' },
      ],
      accessTokenTtlSec: 600,
    };
    const issuer = await startTestIssuer({ apiResources: [notes] });
    try {
      const metadata = (await (
        await fetch(`${issuer.issuer}/.well-known/openid-configuration`)
      ).json()) as { scopes_supported: string[] };
      expect(metadata.scopes_supported.slice(-2)).toEqual(['notes:read', 'notes:write']);
      expect(metadata.scopes_supported).not.toContain('whoami:read');

      const { json } = await tokensFor(
        issuer,
        {
          client_id: 'sandbox-native',
          redirect_uri: 'http://127.0.0.1:9999/callback',
          scope: 'notes:read',
          resource: notes.indicator,
        },
        ALICE,
      );
      const payload = JSON.parse(
        Buffer.from(String(json.access_token).split('.')[1] ?? '', 'base64url').toString(),
      ) as Record<string, unknown>;
      expect(payload).toMatchObject({ aud: notes.indicator, scope: 'notes:read' });
      expect(Number(payload.exp) - Number(payload.iat)).toBe(600);
    } finally {
      await issuer.stop();
    }
  });
});

describe('dynamic client registration (opt-in)', () => {
  let issuer: Awaited<ReturnType<typeof startTestIssuer>>;
  beforeAll(async () => {
    issuer = await startTestIssuer({ dynamicClientRegistration: true });
  });
  afterAll(async () => {
    await issuer?.stop();
  });

  it('advertises /oidc/reg and lets a public MCP client register and sign a user in', async () => {
    const metadata = (await (
      await fetch(`${issuer.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(metadata.registration_endpoint).toBe(`${issuer.issuer}/reg`);

    // What the MCP SDK sends: public client, loopback redirect, the server's scope.
    const registration = await fetch(`${issuer.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Some MCP client <b>',
        redirect_uris: ['http://localhost:8090/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope: 'whoami:read',
      }),
    });
    expect(registration.status).toBe(201);
    const client = (await registration.json()) as { client_id: string };
    expect(client.client_id).toBeTruthy();

    // A registered client is third-party: the consent screen shows (with its name escaped).
    const params = {
      client_id: client.client_id,
      redirect_uri: 'http://localhost:8090/callback',
      scope: 'openid profile whoami:read',
      resource: DEFAULT_RESOURCE,
    };
    const { verifier, challenge } = pkce();
    const browser = new Browser(issuer.origin);
    let step = await browser.go(
      authorizeUrl(issuer.issuer, {
        ...params,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    step = await browser.submit(step.body, '/login', ALICE);
    expect(step.body).toContain('Some MCP client &lt;b&gt;');
    expect(step.body).toContain('Read your identity through the whoami tool');
    step = await browser.submit(step.body, '/confirm');
    const callback = step.leftTo ?? new URL('about:blank');
    const { status, json } = await tokenRequest(issuer, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: params.redirect_uri,
      code_verifier: verifier,
      resource: DEFAULT_RESOURCE,
    });
    expect(status).toBe(200);
    expect(typeof json.access_token).toBe('string');
  });
});

describe('signing keys and secrets on disk', () => {
  it('are generated once (mode 0600), reused across restarts, and sign the tokens', async () => {
    const data = await tempDataDir();
    try {
      const first = await startIssuer({ dataDir: data.dir, port: 0 });
      const path = signingKeysPath(data.dir);
      expect(path.startsWith(data.dir)).toBe(true);
      const file = JSON.parse(await readFile(path, 'utf8')) as { keys: Record<string, unknown>[] };
      expect(file.keys).toHaveLength(1);
      expect(file.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384', use: 'sig' });
      expect(typeof file.keys[0]?.kid).toBe('string');
      expect(typeof file.keys[0]?.d).toBe('string');
      if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
      const firstSecret = first.clients.find(
        (c) => c.clientId === 'sandbox-third-party',
      )?.clientSecret;
      expect(firstSecret).toMatch(/^[\w-]{43,}$/);
      await first.close();

      const started = Date.now();
      const second = await startIssuer({ dataDir: data.dir, port: 0 });
      // Once the key exists, starting is quick.
      expect(Date.now() - started).toBeLessThan(1000);
      try {
        expect(second.clients.find((c) => c.clientId === 'sandbox-third-party')?.clientSecret).toBe(
          firstSecret,
        );
        const { json } = await tokensFor(
          second,
          {
            client_id: 'sandbox-native',
            redirect_uri: 'http://127.0.0.1:5000/callback',
            scope: 'whoami:read',
            resource: DEFAULT_RESOURCE,
          },
          ALICE,
        );
        // The persisted key is the one that signs: its public part verifies the issued token...
        const publicJwk = { ...file.keys[0] };
        delete publicJwk.d;
        const { payload } = await jwtVerify(
          String(json.access_token),
          await importJWK(publicJwk, 'ES384'),
        );
        expect(payload.aud).toBe(DEFAULT_RESOURCE);
        // ...and a token forged with the file (what the MCP server tests do) verifies at /jwks.
        const forged = await new SignJWT({ scope: 'whoami:read' })
          .setProtectedHeader({ alg: 'ES384', typ: 'at+jwt', kid: String(file.keys[0]?.kid) })
          .setIssuer(second.issuer)
          .setAudience(DEFAULT_RESOURCE)
          .setExpirationTime('1m')
          .sign(await importJWK(file.keys[0] ?? {}, 'ES384'));
        const jwks = createRemoteJWKSet(new URL(`${second.issuer}/jwks`));
        await expect(jwtVerify(forged, jwks, { issuer: second.issuer })).resolves.toBeTruthy();
      } finally {
        await second.close();
      }
    } finally {
      await data.remove();
    }
  });

  it('two issuers starting at once on a fresh data directory share one key', async () => {
    const data = await tempDataDir();
    try {
      const [a, b] = await Promise.all([
        startIssuer({ dataDir: data.dir, port: 0 }),
        startIssuer({ dataDir: data.dir, port: 0 }),
      ]);
      const kid = async (issuer: string) =>
        ((await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] }).keys[0]
          ?.kid;
      expect(await kid(a.issuer)).toBe(await kid(b.issuer));
      await Promise.all([a.close(), b.close()]);
    } finally {
      await data.remove();
    }
  });
});

describe('port in use', () => {
  it('fails with PortInUseError naming the port and the --issuer-port option', async () => {
    const first = await startTestIssuer();
    try {
      const error = await startIssuer({ dataDir: first.dataDir, port: first.port }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toContain(String(first.port));
      expect((error as Error).message).toContain('--issuer-port');
      expect((error as Error).message).toContain('ISSUER_PORT');
    } finally {
      await first.stop();
    }
  });
});
