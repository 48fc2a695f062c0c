import { createHash } from 'node:crypto';
import { DEFAULT_VERIFICATION_CACHE_TTL_MS } from '../config';
import type { TokenVerifier, VerifiedAuthInfo } from './types';

export interface VerificationCacheOptions {
  /** Longest a good answer is reused; default 10 s. A token's own `exp` ends it sooner. */
  ttlMs?: number;
  /** Bounded so a flood of distinct tokens cannot grow memory; the oldest entry goes first. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  info: VerifiedAuthInfo;
  until: number;
}

/** Keys are SHA-256 of the token: the cache never holds a token in a form that could be replayed. */
function keyOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Remembers good verdicts of any verifier, so a burst of calls with one token costs one check:
 * one userinfo request for an opaque token, one signature verification for a JWT. An answer is
 * kept until the earlier of the token's expiry and `ttlMs` (which also bounds how long a revoked
 * opaque token or a rotated-out key is still honoured). Concurrent checks of one token share a
 * single call; a rejection is never remembered.
 */
export function withVerificationCache(
  verify: TokenVerifier,
  opts: VerificationCacheOptions = {},
): TokenVerifier & { size(): number } {
  const ttl = opts.ttlMs ?? DEFAULT_VERIFICATION_CACHE_TTL_MS;
  const maxEntries = opts.maxEntries ?? 1_000;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<VerifiedAuthInfo>>();

  let nextSweep = 0;
  /** Drops answers whose time is up, at most once per second, so none outlives its token. */
  const sweep = (at: number) => {
    if (at < nextSweep) return;
    nextSweep = at + 1_000;
    for (const [key, entry] of entries) if (entry.until <= at) entries.delete(key);
  };

  const remember = (key: string, info: VerifiedAuthInfo) => {
    const at = now();
    const until = Math.min(at + ttl, info.expiresAt ? info.expiresAt * 1000 : Infinity);
    sweep(at);
    if (until <= at) return;
    entries.delete(key);
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
    // The token itself is not kept: each hit gets the caller's token back (see mark()).
    entries.set(key, { info: { ...info, token: '' }, until });
  };

  const cached = async (token: string): Promise<VerifiedAuthInfo> => {
    const key = keyOf(token);
    const hit = entries.get(key);
    const at = now();
    if (hit && hit.until > at) {
      // How much longer this verdict stands: a revocation at the issuer shows only after that.
      const info = mark(hit.info, token, true);
      return { ...info, extra: { ...info.extra, cacheRemainingMs: hit.until - at } };
    }
    if (hit) entries.delete(key);

    const pending = inFlight.get(key);
    if (pending) return mark(await pending, token, true);
    const call = verify(token).then((info) => {
      remember(key, info);
      return info;
    });
    inFlight.set(key, call);
    try {
      return mark(await call, token, false);
    } finally {
      inFlight.delete(key);
    }
  };
  return Object.assign(cached, {
    size: () => {
      sweep(now());
      return entries.size;
    },
  });
}

function mark(info: VerifiedAuthInfo, token: string, cached: boolean): VerifiedAuthInfo {
  return { ...info, token, extra: { ...info.extra, cached } };
}
