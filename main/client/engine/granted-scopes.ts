/**
 * What a sign-in was really granted, derived from what came back rather than from the token
 * response's `scope` alone. Logto lists only the API resource's scopes there when a resource was
 * requested (`"whoami:read"`, or `""` for a user without the role) and only OIDC scopes for an
 * opaque token (docs/logto.md), so `scope` on its own would call every OIDC scope "not granted"
 * next to an ID token that proves otherwise. The evidence, in order of authority:
 * - an ID token proves `openid`; profile claims in it prove `profile`, an email claim `email`;
 * - a refresh token proves `offline_access`;
 * - a JWT access token's `scope` claim is the whole truth about API scopes (RFC 9068 §2.2.3);
 * - the token response's `scope` (RFC 6749 §5.1) for the rest.
 */
import { decodeJwt, type JWTPayload } from 'jose';

/** Scopes defined by OpenID Connect (Core §5.4, §11) and Logto's own user-data scopes. */
const OIDC_SCOPES = new Set([
  'openid',
  'profile',
  'email',
  'phone',
  'address',
  'offline_access',
  'custom_data',
  'identities',
  'roles',
]);

/** An API (resource) scope rather than an OIDC one: what a server's permission looks like. */
export const isApiScope = (scope: string): boolean =>
  !OIDC_SCOPES.has(scope) && !scope.startsWith('urn:logto:scope:');

const PROFILE_CLAIMS = ['name', 'username', 'picture', 'given_name', 'family_name', 'nickname'];

export interface GrantedScopes {
  /** Every scope with evidence that it was granted, requested or not. */
  granted: string[];
  /** Why each granted scope counts as granted, in a few words. */
  evidence: Record<string, string>;
  /** Requested API scopes the access token does not carry (known only for a JWT access token). */
  missingApiScopes: string[];
}

export interface TokenEvidence {
  /** The token response's (or refresh response's) `scope`, as sent. */
  responseScope?: string;
  /** The access token's claims; undefined for an opaque token. */
  accessTokenClaims?: JWTPayload;
  idTokenClaims?: JWTPayload;
  hasRefreshToken: boolean;
  requested: string[];
}

export function deriveGrantedScopes(input: TokenEvidence): GrantedScopes {
  const evidence: Record<string, string> = {};
  const grant = (scope: string, why: string) => {
    evidence[scope] ??= why;
  };
  const id = input.idTokenClaims;
  if (id) {
    grant('openid', 'an ID token came back');
    if (PROFILE_CLAIMS.some((claim) => claim in id))
      grant('profile', 'profile claims in the ID token');
    if ('email' in id || 'email_verified' in id) grant('email', 'an email claim in the ID token');
  }
  if (input.hasRefreshToken) grant('offline_access', 'a refresh token came back');

  // A JWT access token without a scope claim carries no scope (RFC 9068 §2.2.3; oidc-provider
  // leaves the claim out when it is empty, Logto sends "").
  const jwtScope = input.accessTokenClaims?.scope;
  const jwtScopes = input.accessTokenClaims
    ? typeof jwtScope === 'string'
      ? jwtScope.split(' ').filter(Boolean)
      : []
    : undefined;
  for (const scope of jwtScopes ?? []) grant(scope, 'in the access token’s scope claim');
  for (const scope of (input.responseScope ?? '').split(' ').filter(Boolean)) {
    // A JWT's own claim is the truth about API scopes; the response cannot add to it.
    if (jwtScopes && isApiScope(scope)) continue;
    grant(scope, 'listed in the token response');
  }
  const missingApiScopes = jwtScopes
    ? input.requested.filter((scope) => isApiScope(scope) && !jwtScopes.includes(scope))
    : [];
  return { granted: Object.keys(evidence), evidence, missingApiScopes };
}

/** A JWT's payload without verifying it (for display only), or undefined for an opaque token. */
export function readClaims(token: string | undefined): JWTPayload | undefined {
  if (!token || token.split('.').length !== 3) return undefined;
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

export function grantedFromTokens(
  tokens: {
    access_token: string;
    id_token?: string | undefined;
    refresh_token?: string | undefined;
    scope?: string | undefined;
  },
  requested: string[],
): GrantedScopes {
  const accessTokenClaims = readClaims(tokens.access_token);
  const idTokenClaims = readClaims(tokens.id_token);
  return deriveGrantedScopes({
    ...(tokens.scope !== undefined && { responseScope: tokens.scope }),
    ...(accessTokenClaims && { accessTokenClaims }),
    ...(idTokenClaims && { idTokenClaims }),
    hasRefreshToken: !!tokens.refresh_token,
    requested,
  });
}
