import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_RESOURCE } from '../../main/issuer';
import { APP_REDIRECT_URI } from '../../main/shared/app-identity';
import {
  authorizeUrl,
  Browser,
  pkce,
  signIn,
  startTestIssuer,
  tokenRequest,
} from './issuer-helpers';

const ALICE = { username: 'alice', password: 'alice-sandbox' };

let issuer: Awaited<ReturnType<typeof startTestIssuer>>;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer?.stop();
});

/** GET /oidc/auth as a browser would (Accept: text/html), without following redirects. */
async function authorize(params: Record<string, string>): Promise<Response> {
  const { challenge } = pkce();
  return fetch(
    authorizeUrl(issuer.issuer, {
      client_id: 'sandbox-native',
      redirect_uri: APP_REDIRECT_URI,
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...params,
    }),
    { redirect: 'manual', headers: { accept: 'text/html' } },
  );
}

function redirectError(response: Response): Record<string, string | null> {
  const location = new URL(response.headers.get('location') ?? 'about:blank');
  return {
    target: `${location.protocol}${location.host ? `//${location.host}` : ''}${location.pathname}`,
    error: location.searchParams.get('error'),
    error_description: location.searchParams.get('error_description'),
  };
}

describe('error bodies shaped like Logto (JSON, 400, even for a browser)', () => {
  it('unknown client at /auth: invalid_client "invalid client <id>", with state and iss', async () => {
    const response = await authorize({ client_id: 'no-such-app', state: 'st-1' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client no-such-app',
      code: 'oidc.invalid_client',
      // Logto's fallback wording for an error it has no phrase for.
      message: 'An OIDC error occurred: oidc.invalid_client.',
      state: 'st-1',
      iss: issuer.issuer,
    });
  });

  it('unknown client at /token: the same words', async () => {
    const { status, json } = await tokenRequest(issuer, {
      grant_type: 'authorization_code',
      client_id: 'no-such-app',
      code: 'x',
      redirect_uri: APP_REDIRECT_URI,
    });
    expect(status).toBe(400);
    expect(json).toMatchObject({
      error: 'invalid_client',
      error_description: 'invalid client no-such-app',
    });
  });

  it('unregistered redirect URI: invalid_redirect_uri, never a redirect', async () => {
    const response = await authorize({ redirect_uri: 'https://attacker.example/callback' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.json()).toEqual({
      error: 'invalid_redirect_uri',
      error_description: "redirect_uri did not match any of the client's registered redirect_uris",
      code: 'oidc.invalid_redirect_uri',
      message: "`redirect_uri` did not match any of the client's registered `redirect_uris`.",
      iss: issuer.issuer,
    });
  });

  it('unknown resource: invalid_target "resource indicator is missing, or unknown"', async () => {
    // At /auth the client and redirect URI are fine, so the error goes back to the client.
    const atAuth = await authorize({ resource: 'http://localhost:3001' });
    expect(atAuth.status).toBe(303);
    expect(redirectError(atAuth)).toEqual({
      target: APP_REDIRECT_URI,
      error: 'invalid_target',
      error_description: 'resource indicator is missing, or unknown',
    });

    // At /token it is a JSON body.
    const { callback, verifier } = await signIn(
      issuer,
      {
        client_id: 'sandbox-native',
        redirect_uri: 'http://127.0.0.1:7777/callback',
        scope: 'openid',
      },
      ALICE,
    );
    const { status, json } = await tokenRequest(issuer, {
      grant_type: 'authorization_code',
      client_id: 'sandbox-native',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: 'http://127.0.0.1:7777/callback',
      code_verifier: verifier,
      resource: 'https://unknown.example/',
    });
    expect(status).toBe(400);
    expect(json).toEqual({
      error: 'invalid_target',
      error_description: 'resource indicator is missing, or unknown',
      code: 'oidc.invalid_target',
      message: 'An OIDC error occurred: oidc.invalid_target.',
    });
  });

  it('a used or wrong code: invalid_grant "grant request is invalid"', async () => {
    const { status, json } = await tokenRequest(issuer, {
      grant_type: 'authorization_code',
      client_id: 'sandbox-native',
      code: 'not-a-code',
      redirect_uri: APP_REDIRECT_URI,
      code_verifier: pkce().verifier,
    });
    expect(status).toBe(400);
    expect(json).toMatchObject({
      error: 'invalid_grant',
      error_description: 'grant request is invalid',
      message: 'Grant request is invalid.',
    });
  });

  it("unknown paths under /oidc answer a JSON 404, in Logto's words", async () => {
    const response = await fetch(`${issuer.issuer}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'unrecognized route or not allowed method (GET on /nope)',
      code: 'oidc.invalid_request',
    });
  });
});

describe('PKCE', () => {
  it('is required for public clients (the error goes to the redirect URI)', async () => {
    const response = await authorize({ code_challenge: '', code_challenge_method: '' });
    expect(redirectError(response)).toMatchObject({
      error: 'invalid_request',
      error_description: 'Authorization Server policy requires PKCE to be used for this request',
    });
  });

  it('refuses the plain method', async () => {
    const response = await authorize({
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'plain',
    });
    expect(redirectError(response)).toMatchObject({
      error: 'invalid_request',
      error_description: 'not supported value of code_challenge_method',
    });
  });

  it('rejects a wrong code_verifier at the token endpoint', async () => {
    const { callback } = await signIn(
      issuer,
      { client_id: 'sandbox-native', redirect_uri: APP_REDIRECT_URI, scope: 'openid' },
      ALICE,
    );
    const { status, json } = await tokenRequest(issuer, {
      grant_type: 'authorization_code',
      client_id: 'sandbox-native',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: APP_REDIRECT_URI,
      code_verifier: pkce().verifier,
    });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_grant');
  });
});

describe('redirect URI matching', () => {
  const accepted = async (client_id: string, redirect_uri: string) => {
    const response = await authorize({ client_id, redirect_uri });
    return response.status === 303 && response.headers.get('location')?.startsWith('/interaction/');
  };

  it('native client: loopback matches on any port, custom scheme exactly', async () => {
    expect(await accepted('sandbox-native', 'http://127.0.0.1:49152/callback')).toBe(true);
    expect(await accepted('sandbox-native', 'http://localhost:8123/callback')).toBe(true);
    expect(await accepted('sandbox-native', APP_REDIRECT_URI)).toBe(true);
    expect(await accepted('sandbox-native', 'http://127.0.0.1:49152/other')).toBe(false);
    expect(await accepted('sandbox-native', `${APP_REDIRECT_URI}/x`)).toBe(false);
  });

  it('SPA client: exact match, port included (the MCP Inspector defaults)', async () => {
    expect(await accepted('sandbox-spa', 'http://localhost:6274/oauth/callback')).toBe(true);
    expect(await accepted('sandbox-spa', 'http://localhost:6274/oauth/callback/debug')).toBe(true);
    expect(await accepted('sandbox-spa', 'http://localhost:6275/oauth/callback')).toBe(false);
    expect(await accepted('sandbox-spa', 'http://127.0.0.1:6274/oauth/callback')).toBe(false);
  });

  it('first-party apps are consented automatically: no consent page in between', async () => {
    const browser = new Browser(issuer.origin);
    const { challenge } = pkce();
    const page = await browser.go(
      authorizeUrl(issuer.issuer, {
        client_id: 'sandbox-spa',
        redirect_uri: 'http://localhost:6274/oauth/callback',
        scope: 'openid profile whoami:read',
        resource: DEFAULT_RESOURCE,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    const after = await browser.submit(page.body, '/login', ALICE);
    expect(after.leftTo?.origin).toBe('http://localhost:6274');
    expect(after.leftTo?.searchParams.get('code')).toBeTruthy();
  });
});

describe('browser origins (CORS) at the token endpoint', () => {
  const tokenCall = (origin: string) =>
    fetch(`${issuer.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'sandbox-spa',
        code: 'x',
        redirect_uri: 'http://localhost:6274/oauth/callback',
        code_verifier: pkce().verifier,
      }),
    });

  it("accepts the origin of one of the client's redirect URIs", async () => {
    const response = await tokenCall('http://localhost:6274');
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    // It gets as far as checking the (fake) code.
    expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('rejects any other origin with invalid_request "origin ... not allowed for client"', async () => {
    const response = await tokenCall('http://evil.example');
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'origin http://evil.example not allowed for client: sandbox-spa',
    });
  });
});
