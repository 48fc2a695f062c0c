/**
 * The engine's reading of real Logto v1.37.1 answers, replayed from the captures in
 * test/fixtures/logto-v1.37.1: what a third-party app's refused scope, an unknown resource and an
 * unregistered redirect URI become, what a token response was really granted, and Logto's bare
 * consent Cancel.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JWTPayload } from 'jose';
import {
  preflightAuthorization,
  type AuthorizationRequest,
} from '../../main/client/engine/authorization';
import { deriveGrantedScopes } from '../../main/client/engine/granted-scopes';
import { FlowStepError } from '../../main/client/engine/notes';
import { RedirectReceiver } from '../../main/client/redirect/receiver';

interface Exchange {
  variant?: string;
  request: { method: string; url: string; body?: Record<string, string> | null };
  response: { status: number; headers: Record<string, string>; body: unknown };
}
const capture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/logto-v1.37.1/${name}.json`, import.meta.url), 'utf8'),
  ) as { exchanges: Exchange[]; callback_url?: string };

/** Replays one captured /oidc/auth answer to the engine's preflight. */
async function preflightAgainst(exchange: Exchange) {
  const url = new URL(exchange.request.url);
  const request: AuthorizationRequest = {
    url,
    state: url.searchParams.get('state')!,
    codeVerifier: 'unused',
    scope: (url.searchParams.get('scope') ?? '').split(' '),
    ...(url.searchParams.get('resource') && { resource: url.searchParams.get('resource')! }),
  };
  const { status, headers, body } = exchange.response;
  const fetchFn = async () =>
    new Response(typeof body === 'object' && body ? JSON.stringify(body) : null, {
      status,
      headers,
    });
  return preflightAuthorization(
    request,
    {
      clientId: url.searchParams.get('client_id')!,
      redirectUri: url.searchParams.get('redirect_uri')!,
      serverResource: 'http://localhost:3001/',
    },
    fetchFn,
  ).catch((error: unknown) => error as FlowStepError);
}

/** `<JWT header={…} payload={…}>` placeholders keep the decoded payload. */
const payloadOf = (placeholder: unknown): JWTPayload | undefined => {
  const match = /payload=(\{.*\})>$/.exec(String(placeholder));
  return match ? (JSON.parse(match[1]!) as JWTPayload) : undefined;
};

describe('Logto’s refusals at /oidc/auth, as the engine explains them', () => {
  it('a third-party app asking for email: names the scope and the app’s Permissions', async () => {
    const [refused] = capture('auth-third-party-invalid-scope').exchanges;
    const error = await preflightAgainst(refused!);
    expect(error).toBeInstanceOf(FlowStepError);
    expect(error).toMatchObject({ code: 'invalid_scope' });
    expect((error as FlowStepError).message).toContain('refuses the scope email');
    expect((error as FlowStepError).fix).toBe(
      "A third-party Logto app may ask only for the scopes enabled in its permissions: in Logto Console → Applications → ldp8xgvcov8eg1zo0ju9n → Permissions, add email (user data or API permissions), or remove email from the profile's scopes.",
    );
  });

  it('an unknown resource: the fix names the server’s own indicator', async () => {
    const [unknown] = capture('auth-invalid-target').exchanges;
    const error = (await preflightAgainst(unknown!)) as FlowStepError;
    expect(error.code).toBe('invalid_target');
    expect(error.message).toContain('http://localhost:3999/');
    expect(error.fix).toContain(
      "The MCP server's own resource indicator is http://localhost:3001/",
    );
  });

  it('a Native app’s unregistered redirect URI: the portless loopback URI, never a port', async () => {
    const [otherPath] = capture('auth-invalid-redirect-native').exchanges;
    const error = (await preflightAgainst(otherPath!)) as FlowStepError;
    expect(error.code).toBe('invalid_redirect_uri');
    expect(error.fix).toContain('add http://127.0.0.1/other (no port');
    expect(error.fix).not.toContain(':53123');
  });
});

describe('what a Logto token response really granted', () => {
  const responses = capture('token-responses').exchanges;
  const body = (variant: string) =>
    responses.find((e) => e.variant?.startsWith(variant))!.response.body as Record<string, string>;

  it('(a) JWT for the resource: scope "whoami:read" alone, yet openid, profile and offline_access were granted', () => {
    const a = body('a');
    const derived = deriveGrantedScopes({
      responseScope: a.scope!,
      accessTokenClaims: payloadOf(a.access_token)!,
      idTokenClaims: payloadOf(a.id_token)!,
      hasRefreshToken: !!a.refresh_token,
      requested: ['openid', 'profile', 'offline_access', 'whoami:read'],
    });
    expect(derived.granted.sort()).toEqual(['offline_access', 'openid', 'profile', 'whoami:read']);
    expect(derived.missingApiScopes).toEqual([]);
  });

  it('(b) opaque token: the response lists the OIDC scopes, and no API scope is claimed missing', () => {
    const b = body('b');
    const derived = deriveGrantedScopes({
      responseScope: b.scope!,
      idTokenClaims: payloadOf(b.id_token)!,
      hasRefreshToken: !!b.refresh_token,
      requested: ['openid', 'profile', 'offline_access'],
    });
    expect(derived.granted).toEqual(
      expect.arrayContaining(['openid', 'profile', 'offline_access']),
    );
    expect(derived.missingApiScopes).toEqual([]);
  });

  it('bob without the role: JWT scope "" means whoami:read is missing, openid still granted', () => {
    const bob = JSON.parse(
      readFileSync(new URL('../fixtures/logto-v1.37.1/bob-no-role.json', import.meta.url), 'utf8'),
    ) as { decoded: { access_token: { payload: JWTPayload }; id_token: { payload: JWTPayload } } };
    const derived = deriveGrantedScopes({
      responseScope: '',
      accessTokenClaims: bob.decoded.access_token.payload,
      idTokenClaims: bob.decoded.id_token.payload,
      hasRefreshToken: false,
      requested: ['openid', 'whoami:read'],
    });
    expect(derived.granted).toEqual(['openid']);
    expect(derived.missingApiScopes).toEqual(['whoami:read']);
  });
});

describe('Logto’s consent Cancel (a bare redirect) is understood and ends nothing', () => {
  it('the captured callback asks the waiting sign-in instead of ending it', () => {
    const { callback_url } = capture('consent-cancel');
    const receiver = new RedirectReceiver();
    let asked = 0;
    receiver.expect({
      state: 'st-7cancel',
      redirectUri: callback_url!,
      onCancelSuspected: () => asked++,
    });
    expect(receiver.deliver(callback_url!, 'loopback')).toMatchObject({
      status: 'rejected',
      reason: 'cancel-suspected',
    });
    expect(asked).toBe(1);
    expect(receiver.isPending('st-7cancel')).toBe(true);
    receiver.cancelAll();
  });
});
