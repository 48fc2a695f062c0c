/**
 * "Would the server accept this token?": the bundled server's own verifiers (the code that guards
 * its /mcp endpoint) give the verdict, and the token's claims give the reasons a person reads:
 * signature, iss, aud, exp, scopes; or what userinfo answered for an opaque token. The token is
 * never echoed back.
 */
import { decodeJwt, type JWTPayload } from 'jose';
import { IssuerMetadataSource } from '../server/auth/issuer-metadata';
import { IssuerUnavailableError } from '../server/auth/errors';
import { createJwtVerifier, scopesFromClaims } from '../server/auth/verify-jwt';
import { createTokenVerifier, looksLikeJwt } from '../server/auth/verify-token';
import { createUserinfoVerifier } from '../server/auth/verify-userinfo';
import { DEFAULT_CLOCK_TOLERANCE_SEC, DEFAULT_ISSUER_TIMEOUT_MS } from '../server/config';
import type { ServerTrust, TokenReason, TokenVerdict } from './types';

export type { ServerTrust, TokenReason, TokenVerdict };

function explain(
  shape: 'jwt' | 'opaque',
  payload: JWTPayload | undefined,
  resourceSent?: string,
): string {
  if (shape === 'jwt') {
    const aud = [payload?.aud ?? []].flat().join(', ');
    return `A JWT access token (RFC 9068) because the sign-in sent the resource indicator ${resourceSent ?? aud} (RFC 8707): Logto issues a JWT for a known API resource, with that resource as its audience (${aud || 'none'}) and the user’s permissions for it in scope.`;
  }
  return resourceSent
    ? `An opaque token although the sign-in asked for ${resourceSent}: Logto issues a JWT only when the resource indicator reaches the token endpoint too. An opaque token can only be checked at the issuer’s userinfo endpoint and carries no API permissions.`
    : 'An opaque token because no resource indicator was sent (the profile’s resource is “none”, or the server published none): Logto then issues a 43-character token usable only at its userinfo endpoint, with no audience and no API permissions. Set the profile’s resource to automatic to get a JWT.';
}

function claimReasons(payload: JWTPayload, trust: ServerTrust, nowSec: number): TokenReason[] {
  const tolerance = trust.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  const aud = [payload.aud ?? []].flat();
  const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
  return [
    payload.iss === trust.issuer
      ? {
          id: 'iss',
          status: 'pass',
          detail: `Issued by ${trust.issuer}, the issuer the server trusts.`,
        }
      : {
          id: 'iss',
          status: 'fail',
          detail: `Issued by ${String(payload.iss)}; the server trusts ${trust.issuer}.`,
        },
    aud.includes(trust.resource)
      ? {
          id: 'aud',
          status: 'pass',
          detail: `Audience ${trust.resource}, the server’s resource indicator.`,
        }
      : {
          id: 'aud',
          status: 'fail',
          detail: `Audience ${aud.join(', ') || '(none)'}; the server expects ${trust.resource}. Set the profile’s resource to automatic, or register the server’s indicator as the API identifier in Logto Console → API resources.`,
        },
    exp === undefined
      ? { id: 'exp', status: 'fail', detail: 'The token has no exp claim.' }
      : exp + tolerance > nowSec
        ? {
            id: 'exp',
            status: 'pass',
            detail: `Valid for ${Math.max(0, Math.round(exp - nowSec))} s more.`,
          }
        : {
            id: 'exp',
            status: 'fail',
            detail: `Expired ${Math.round(nowSec - exp)} s ago. Refresh or sign in again.`,
          },
  ];
}

function scopeReason(granted: string[], required: string[], opaque: boolean): TokenReason {
  const missing = required.filter((s) => !granted.includes(s));
  if (!required.length) {
    return {
      id: 'scopes',
      status: 'pass',
      detail: `The server requires no scope (the token has: ${granted.join(' ') || 'none'}).`,
    };
  }
  if (!missing.length)
    return { id: 'scopes', status: 'pass', detail: `Carries the required ${required.join(' ')}.` };
  return {
    id: 'scopes',
    status: 'fail',
    detail: opaque
      ? `The server requires ${missing.join(' ')}, which an opaque token cannot carry.`
      : `Lacks ${missing.join(' ')}: give the user a role with this permission (Logto Console → Roles → Permissions, then Users → Roles).`,
  };
}

export async function wouldServerAccept(
  token: string,
  trust: ServerTrust,
  opts: { resourceSent?: string; now?: () => number; timeoutMs?: number } = {},
): Promise<TokenVerdict> {
  const nowSec = (opts.now ?? Date.now)() / 1000;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_ISSUER_TIMEOUT_MS;
  const shape = looksLikeJwt(token) ? 'jwt' : 'opaque';
  const metadata = new IssuerMetadataSource(trust.issuer, timeoutMs);
  const verify = createTokenVerifier(trust.verification, {
    jwt: createJwtVerifier({
      issuer: trust.issuer,
      resource: trust.resource,
      clockToleranceSec: trust.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC,
      timeoutMs,
      metadata,
    }),
    userinfo: createUserinfoVerifier({ issuer: trust.issuer, timeoutMs, metadata }),
  });
  let payload: JWTPayload | undefined;
  if (shape === 'jwt') {
    try {
      payload = decodeJwt(token);
    } catch {
      payload = undefined;
    }
  }
  let subject: string | undefined;
  let granted: string[] = [];
  let refusal: string | undefined;
  let unavailable = false;
  try {
    const info = await verify(token);
    subject = info.subject;
    granted = info.scopes;
  } catch (error) {
    refusal = error instanceof Error ? error.message : String(error);
    unavailable = error instanceof IssuerUnavailableError;
  }
  const verifiedBy =
    trust.verification === 'auto' ? (shape === 'jwt' ? 'jwt' : 'userinfo') : trust.verification;
  const reasons: TokenReason[] = [];
  if (shape === 'opaque' && verifiedBy === 'jwt') {
    reasons.push({
      id: 'shape',
      status: 'fail',
      detail: refusal ?? 'The server accepts only JWT access tokens.',
    });
  } else if (verifiedBy === 'userinfo') {
    reasons.push(
      refusal
        ? { id: unavailable ? 'issuer' : 'userinfo', status: 'fail', detail: refusal }
        : {
            id: 'userinfo',
            status: 'pass',
            detail: `The issuer’s userinfo endpoint knows the token: user ${subject}.`,
          },
    );
  } else if (payload) {
    const claims = claimReasons(payload, trust, nowSec);
    const claimFailed = claims.some((r) => r.status === 'fail');
    reasons.push(
      refusal && unavailable
        ? { id: 'issuer', status: 'fail', detail: refusal }
        : !refusal
          ? { id: 'signature', status: 'pass', detail: 'Signed with a key the issuer publishes.' }
          : /signature|key|algorithm|well-formed|typ/i.test(refusal)
            ? { id: 'signature', status: 'fail', detail: refusal }
            : {
                id: 'signature',
                status: claimFailed ? 'warn' : 'fail',
                detail: claimFailed
                  ? 'Not checked: the server stops at the first claim it refuses.'
                  : refusal,
              },
      ...claims,
    );
    if (!refusal) granted = scopesFromClaims(payload);
  } else {
    reasons.push({
      id: 'shape',
      status: 'fail',
      detail: refusal ?? 'The token is not a well-formed JWT.',
    });
  }
  const scopes = scopeReason(granted, trust.requiredScopes, shape === 'opaque');
  reasons.push(scopes);
  const accepted = !refusal && scopes.status === 'pass';
  return {
    accepted,
    shape,
    reasons,
    explainer: explain(shape, payload, opts.resourceSent),
    judgedBy: { issuer: trust.issuer, resource: trust.resource, verification: trust.verification },
    ...(refusal && { refusal }),
    ...(subject && { subject }),
  };
}
