import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_POST_LOGOUT_REDIRECT_URI, APP_REDIRECT_URI } from '../../main/shared/app-identity';
import { DEFAULT_RESOURCE } from '../../main/issuer';
import {
  Browser,
  decodeJwtPart,
  signIn,
  startTestIssuer,
  tokenRequest,
  tokensFor,
} from './issuer-helpers';

const ALICE = { username: 'alice', password: 'alice-sandbox' };
const BOB = { username: 'bob', password: 'bob-sandbox' };
const NATIVE = { client_id: 'sandbox-native', redirect_uri: 'http://127.0.0.1:53682/callback' };

let issuer: Awaited<ReturnType<typeof startTestIssuer>>;

beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer?.stop();
});

describe('authorization code + PKCE with an API resource', () => {
  it('gives alice an ES384 at+jwt for the resource holding only whoami:read', async () => {
    const { status, json } = await tokensFor(
      issuer,
      { ...NATIVE, scope: 'openid profile whoami:read', resource: DEFAULT_RESOURCE },
      ALICE,
    );
    expect(status).toBe(200);
    const accessToken = String(json.access_token);
    const header = decodeJwtPart(accessToken, 0);
    expect(header).toMatchObject({ alg: 'ES384', typ: 'at+jwt' });

    const jwks = createRemoteJWKSet(new URL(`${issuer.issuer}/jwks`));
    const { payload } = await jwtVerify(accessToken, jwks, {
      issuer: issuer.issuer,
      audience: DEFAULT_RESOURCE,
      typ: 'at+jwt',
    });
    expect(Object.keys(payload).sort()).toEqual(
      ['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub'].sort(),
    );
    expect(payload.scope).toBe('whoami:read');
    expect(payload.sub).toBe(issuer.users.find((u) => u.username === 'alice')?.id);
    expect(payload.client_id).toBe('sandbox-native');
    // The API resource's TTL (3600 s), as on Logto.
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
    // The ID token still carries the profile (conformIdTokenClaims false, like Logto).
    const idToken = decodeJwtPart(String(json.id_token), 1);
    expect(idToken).toMatchObject({ name: 'Alice Liddell', username: 'alice' });
  });

  it('gives bob a token without whoami:read: his role has no permission on the API', async () => {
    const { status, json } = await tokensFor(
      issuer,
      { ...NATIVE, scope: 'openid whoami:read', resource: DEFAULT_RESOURCE },
      BOB,
    );
    expect(status).toBe(200);
    const payload = decodeJwtPart(String(json.access_token), 1);
    expect(payload.aud).toBe(DEFAULT_RESOURCE);
    // oidc-provider (and so Logto) omits an empty scope claim.
    expect(payload.scope ?? '').toBe('');
  });

  it('without resource gives an opaque 43-character token that works at /oidc/me', async () => {
    const { status, json } = await tokensFor(
      issuer,
      { ...NATIVE, scope: 'openid profile email roles unknown:scope' },
      ALICE,
    );
    expect(status).toBe(200);
    const accessToken = String(json.access_token);
    expect(accessToken).toMatch(/^[\w-]{43}$/);
    // Unknown scopes are dropped silently, like Logto.
    expect(String(json.scope).split(' ').sort()).toEqual(['email', 'openid', 'profile', 'roles']);

    const me = await fetch(`${issuer.issuer}/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);
    const claims = (await me.json()) as Record<string, unknown>;
    expect(claims).toMatchObject({
      name: 'Alice Liddell',
      username: 'alice',
      email: 'alice@sandbox.test',
      email_verified: true,
      roles: ['MCP user'],
      picture: null,
    });
    // Logto's timestamps are milliseconds, not seconds.
    expect(Number(claims.created_at)).toBeGreaterThan(1e12);
    expect(Number(claims.updated_at)).toBeGreaterThan(1e12);
  });

  it('proceeds without openid and then issues no ID token', async () => {
    const { status, json } = await tokensFor(
      issuer,
      { ...NATIVE, scope: 'whoami:read', resource: DEFAULT_RESOURCE },
      ALICE,
    );
    expect(status).toBe(200);
    expect(json.id_token).toBeUndefined();
    expect(decodeJwtPart(String(json.access_token), 1).scope).toBe('whoami:read');
  });
});

describe('sign-in page', () => {
  it('says "Wrong username or password." and keeps the typed username', async () => {
    const browser = new Browser(issuer.origin);
    const page = await browser.go(
      `${issuer.issuer}/auth?${new URLSearchParams({
        response_type: 'code',
        ...NATIVE,
        scope: 'openid',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      })}`,
    );
    expect(page.response.status).toBe(200);
    expect(page.body).toContain('Sandbox issuer');
    expect(page.body).toContain('<label for="username">');
    expect(page.body).toContain('autocomplete="current-password"');
    // The demo accounts are listed, since this is a sandbox.
    expect(page.body).toContain('alice-sandbox');

    const again = await browser.submit(page.body, '/login', {
      username: 'alice',
      password: 'not-her-password',
    });
    expect(again.body).toContain('Wrong username or password.');
    expect(again.body).toContain('value="alice"');

    const escaped = await browser.submit(again.body, '/login', {
      username: '<script>x</script>',
      password: 'nope',
    });
    expect(escaped.body).not.toContain('<script>x</script>');
    expect(escaped.body).toContain('&lt;script&gt;x&lt;/script&gt;');
  });
});

describe('interaction pages', () => {
  it('a signed-in browser is not asked for the password again', async () => {
    const { browser } = await signIn(issuer, { ...NATIVE, scope: 'openid' }, ALICE);
    const again = await signIn(issuer, { ...NATIVE, scope: 'openid' }, ALICE, { browser });
    expect(again.callback.searchParams.get('code')).toBeTruthy();
  });

  it('an expired or foreign sign-in link shows a readable page, not a stack trace', async () => {
    const response = await fetch(`${issuer.origin}/interaction/not-a-real-uid`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('This sign-in cannot continue');
    expect(html).toContain('Start again from the app');
  });

  it('a used sign-in form cannot be posted again', async () => {
    const browser = new Browser(issuer.origin);
    const page = await browser.go(
      `${issuer.issuer}/auth?${new URLSearchParams({
        response_type: 'code',
        ...NATIVE,
        scope: 'openid',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      })}`,
    );
    const done = await browser.submit(page.body, '/login', ALICE);
    expect(done.leftTo).toBeDefined();
    const replay = await browser.submit(page.body, '/login', ALICE);
    expect(replay.response.status).toBe(400);
    expect(replay.body).toContain('This sign-in cannot continue');
  });
});

describe('third-party client', () => {
  const thirdParty = () => {
    const client = issuer.clients.find((c) => c.clientId === 'sandbox-third-party');
    if (!client?.clientSecret) throw new Error('third-party client missing');
    return client as typeof client & { clientSecret: string };
  };

  it('shows a consent screen listing the permissions in plain language', async () => {
    const browser = new Browser(issuer.origin);
    let step = await browser.go(
      `${issuer.issuer}/auth?${new URLSearchParams({
        response_type: 'code',
        client_id: 'sandbox-third-party',
        redirect_uri: APP_REDIRECT_URI,
        scope: 'openid profile whoami:read',
        resource: DEFAULT_RESOURCE,
      })}`,
    );
    step = await browser.submit(step.body, '/login', ALICE);
    expect(step.response.status).toBe(200);
    expect(step.body).toContain('MCP Auth Desktop (third-party demo)');
    expect(step.body).toContain('Alice Liddell');
    expect(step.body).toContain('Your name, username and profile picture');
    expect(step.body).toContain('MCP Auth Desktop server');
    expect(step.body).toContain('Read your identity through the whoami tool');
    expect(step.body).toMatch(/>Allow</);
    expect(step.body).toMatch(/>Deny</);
  });

  it('refuses a scope outside its Permissions before sign-in, naming it (invalid_scope)', async () => {
    const response = await fetch(
      `${issuer.issuer}/auth?${new URLSearchParams({
        response_type: 'code',
        client_id: 'sandbox-third-party',
        redirect_uri: APP_REDIRECT_URI,
        scope: 'openid profile email whoami:read',
        resource: DEFAULT_RESOURCE,
        state: 'st-email',
      })}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.protocol}${location.pathname}`).toBe(APP_REDIRECT_URI);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: 'invalid_scope',
      error_description: 'requested scope is not allowed',
      scope: 'email',
      state: 'st-email',
      iss: issuer.issuer,
    });
  });

  it('tells bob which requested permissions his roles do not give him', async () => {
    const browser = new Browser(issuer.origin);
    let step = await browser.go(
      `${issuer.issuer}/auth?${new URLSearchParams({
        response_type: 'code',
        client_id: 'sandbox-third-party',
        redirect_uri: APP_REDIRECT_URI,
        scope: 'openid whoami:read',
        resource: DEFAULT_RESOURCE,
      })}`,
    );
    step = await browser.submit(step.body, '/login', BOB);
    expect(step.body).toContain('Bob Builder');
    expect(step.body).toContain('Not available to your account');
    expect(step.body).toContain('<code>whoami:read</code>');
  });

  it("Deny (Logto's Cancel) returns to the bare redirect URI: no error, no state, no code", async () => {
    const { callback } = await signIn(
      issuer,
      {
        client_id: 'sandbox-third-party',
        redirect_uri: APP_REDIRECT_URI,
        scope: 'openid',
        state: 'keep-me',
      },
      ALICE,
      { consent: 'deny' },
    );
    expect(callback.href).toBe(APP_REDIRECT_URI);
  });

  it('Allow, then the code is exchanged with client_secret_basic (PKCE optional for it)', async () => {
    const client = thirdParty();
    const browser = new Browser(issuer.origin);
    let step = await browser.go(
      `${issuer.issuer}/auth?${new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        // Loopback on an ephemeral port: accepted for this sandbox client.
        redirect_uri: 'http://127.0.0.1:61111/callback',
        scope: 'openid whoami:read',
        resource: DEFAULT_RESOURCE,
      })}`,
    );
    step = await browser.submit(step.body, '/login', ALICE);
    step = await browser.submit(step.body, '/confirm');
    const code = step.leftTo?.searchParams.get('code');
    expect(code).toBeTruthy();
    const { status, json } = await tokenRequest(
      issuer,
      {
        grant_type: 'authorization_code',
        code: code ?? '',
        redirect_uri: 'http://127.0.0.1:61111/callback',
        resource: DEFAULT_RESOURCE,
      },
      { clientId: client.clientId, clientSecret: client.clientSecret },
    );
    expect(status).toBe(200);
    expect(decodeJwtPart(String(json.access_token), 1).scope).toBe('whoami:read');

    const wrongSecret = await tokenRequest(
      issuer,
      {
        grant_type: 'authorization_code',
        code: code ?? '',
        redirect_uri: 'http://127.0.0.1:61111/callback',
      },
      { clientId: client.clientId, clientSecret: 'wrong' },
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json.error).toBe('invalid_client');

    // Already signed in and consented once: the consent screen still shows, as on Logto.
    const again = await browser.go(
      `${issuer.issuer}/auth?${new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: APP_REDIRECT_URI,
        scope: 'openid whoami:read',
        resource: DEFAULT_RESOURCE,
      })}`,
    );
    expect(again.body).not.toContain('name="password"');
    expect(again.body).toMatch(/>Allow</);
  });
});

describe('refresh tokens', () => {
  it('are issued only with offline_access AND prompt=consent', async () => {
    const withoutConsent = await tokensFor(
      issuer,
      { ...NATIVE, scope: 'openid offline_access' },
      ALICE,
    );
    expect(withoutConsent.json.refresh_token).toBeUndefined();
    expect(String(withoutConsent.json.scope)).not.toContain('offline_access');

    const withConsent = await tokensFor(
      issuer,
      { ...NATIVE, scope: 'openid offline_access', prompt: 'consent' },
      ALICE,
    );
    expect(typeof withConsent.json.refresh_token).toBe('string');

    // It lives 14 days, Logto's default.
    const introspection = await fetch(`${issuer.issuer}/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: String(withConsent.json.refresh_token),
        client_id: 'sandbox-native',
      }),
    });
    const details = (await introspection.json()) as { active: boolean; exp: number; iat: number };
    expect(details.active).toBe(true);
    expect(details.exp - details.iat).toBe(14 * 24 * 3600);
  });

  it('rotate for public clients, and the old one then fails with "grant request is invalid"', async () => {
    const first = await tokensFor(
      issuer,
      {
        ...NATIVE,
        scope: 'openid offline_access whoami:read',
        prompt: 'consent',
        resource: DEFAULT_RESOURCE,
      },
      ALICE,
    );
    const refreshToken = String(first.json.refresh_token);
    const refreshed = await tokenRequest(issuer, {
      grant_type: 'refresh_token',
      client_id: 'sandbox-native',
      refresh_token: refreshToken,
      resource: DEFAULT_RESOURCE,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).not.toBe(refreshToken);
    expect(decodeJwtPart(String(refreshed.json.access_token), 1).scope).toBe('whoami:read');

    const reused = await tokenRequest(issuer, {
      grant_type: 'refresh_token',
      client_id: 'sandbox-native',
      refresh_token: refreshToken,
    });
    expect(reused.status).toBe(400);
    expect(reused.json).toMatchObject({
      error: 'invalid_grant',
      error_description: 'grant request is invalid',
      code: 'oidc.invalid_grant',
    });
  });
});

describe('revocation and sign-out', () => {
  it('a revoked access token no longer works at /oidc/me nor introspects as active', async () => {
    const { json } = await tokensFor(issuer, { ...NATIVE, scope: 'openid profile' }, ALICE);
    const accessToken = String(json.access_token);
    const introspect = async () => {
      const client = issuer.clients.find((c) => c.clientId === 'sandbox-third-party');
      const basic = Buffer.from(`${client?.clientId}:${client?.clientSecret}`).toString('base64');
      const response = await fetch(`${issuer.issuer}/token/introspection`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${basic}`,
        },
        body: new URLSearchParams({ token: accessToken }),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    expect(await introspect()).toMatchObject({ active: true, client_id: 'sandbox-native' });
    const revoke = await fetch(`${issuer.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: accessToken, client_id: 'sandbox-native' }),
    });
    expect(revoke.status).toBe(200);
    const me = await fetch(`${issuer.issuer}/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(401);
    expect(await introspect()).toEqual({ active: false });
  });

  it('end-session asks for confirmation, signs out, returns to the post-logout URI', async () => {
    const { json, browser } = await tokensFor(issuer, { ...NATIVE, scope: 'openid' }, ALICE);
    const page = await browser.go(
      `${issuer.issuer}/session/end?${new URLSearchParams({
        id_token_hint: String(json.id_token),
        post_logout_redirect_uri: APP_POST_LOGOUT_REDIRECT_URI,
        state: 'bye',
      })}`,
    );
    expect(page.response.status).toBe(200);
    expect(page.body).toContain('Sign out?');
    const done = await browser.submit(page.body, '/session/end/confirm', { logout: 'yes' });
    expect(done.leftTo?.href).toBe(`${APP_POST_LOGOUT_REDIRECT_URI}?state=bye`);

    // Signed out: the next authorization asks for the password again.
    const again = await browser.go(
      `${issuer.issuer}/auth?${new URLSearchParams({
        response_type: 'code',
        ...NATIVE,
        scope: 'openid',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      })}`,
    );
    expect(again.body).toContain('name="password"');
  });
});
