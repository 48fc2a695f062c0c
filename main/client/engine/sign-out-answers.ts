/**
 * Reading the answers sign-out gets, apart from sending the requests (the request/response split
 * of oauth4webapi): pure functions of status, headers and body, so each is tested on its own.
 */
import type { SignOutReport } from './types';

/** A token revocation answer (RFC 7009 §2.2): 200 is success; unsupported_token_type explained. */
export function readRevocationAnswer(
  status: number,
  body: unknown,
): { status: number; note?: string } {
  const error = (body as { error?: unknown } | undefined)?.error;
  return {
    status,
    ...(error === 'unsupported_token_type' && {
      note: 'The issuer cannot revoke this token type (a JWT access token is self-contained).',
    }),
  };
}

/** What the MCP server's answer to the old access token after sign-out means. */
export function readOldTokenAnswer(
  status: number,
  isJwt: boolean,
  cacheStatus: string | null,
): NonNullable<SignOutReport['oldToken']> {
  const accepted = status >= 200 && status < 300;
  return {
    status,
    accepted,
    explanation: !accepted
      ? 'the server rejects it.'
      : isJwt
        ? 'the server still accepts it: a JWT access token is self-contained, so revoking it at the issuer cannot recall it; it stays valid until it expires. Keep JWT lifetimes short, or use opaque tokens checked at userinfo.'
        : `the server still accepts it: it remembers recent userinfo answers, so the revocation shows once that cache entry expires${cacheWindow(cacheStatus)}.`,
  };
}

/**
 * How much longer a server says its remembered verdict stands: RFC 9211 Cache-Status `hit` with
 * `ttl` (the bundled server sends it), or nothing when the server does not say.
 */
function cacheWindow(cacheStatus: string | null): string {
  const ttl =
    cacheStatus && /(?:^|;)\s*hit\b/.test(cacheStatus) && /;\s*ttl=(\d+)/.exec(cacheStatus);
  return ttl ? ` (this server says: in about ${ttl[1]} s)` : '';
}
