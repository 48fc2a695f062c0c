/**
 * When the client refreshes an access token on its own before a call: in the last tenth of the
 * lifetime the token was issued with, and never earlier than its last minute. A fixed minute
 * would refresh a short-lived token (a demo's 20 s one, say) before every call, so it would
 * never be used, let alone expire; a tenth still leaves room for the call to arrive in time.
 */
import type { StoredSession } from './session-store';

export const MAX_REFRESH_MARGIN_MS = 60_000;
const REFRESH_FRACTION = 0.1;

/** `lifetimeSec`: the token response's expires_in (RFC 6749 §5.1); unknown means a full minute. */
export function refreshMarginMs(lifetimeSec: number | undefined): number {
  if (lifetimeSec === undefined || !(lifetimeSec > 0)) return MAX_REFRESH_MARGIN_MS;
  return Math.min(MAX_REFRESH_MARGIN_MS, lifetimeSec * 1000 * REFRESH_FRACTION);
}

/**
 * Whether the session's access token is close enough to its expiry to refresh first. The
 * lifetime is the expires_in the session keeps with its tokens (sessions saved before this
 * kept it too: the token response is stored whole).
 */
export function isExpiring(
  session: Pick<StoredSession, 'expiresAt' | 'tokens'>,
  now = Date.now(),
): boolean {
  if (session.expiresAt === undefined) return false;
  return session.expiresAt - now <= refreshMarginMs(session.tokens.expires_in);
}
