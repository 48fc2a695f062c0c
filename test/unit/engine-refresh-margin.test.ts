/**
 * When the client refreshes on its own before a call: in the last tenth of the token's issued
 * lifetime, at most its last minute; a session that never said its lifetime keeps the minute.
 */
import { describe, expect, it } from 'vitest';
import { isExpiring, refreshMarginMs } from '../../main/client/engine/refresh-margin';

const NOW = 1_800_000_000_000;
const session = (leftMs: number, expiresIn?: number) => ({
  expiresAt: NOW + leftMs,
  tokens: {
    access_token: 'a',
    token_type: 'Bearer',
    ...(expiresIn !== undefined && { expires_in: expiresIn }),
  },
});

describe('the refresh margin', () => {
  it('is a tenth of a short lifetime and a minute for an hour-long one', () => {
    expect(refreshMarginMs(20)).toBe(2_000);
    expect(refreshMarginMs(300)).toBe(30_000);
    expect(refreshMarginMs(3600)).toBe(60_000);
    expect(refreshMarginMs(undefined)).toBe(60_000);
    expect(refreshMarginMs(0)).toBe(60_000);
  });

  it('keeps a fresh 20 s token and refreshes it in its last 2 s', () => {
    expect(isExpiring(session(19_000, 20), NOW)).toBe(false);
    expect(isExpiring(session(2_500, 20), NOW)).toBe(false);
    expect(isExpiring(session(2_000, 20), NOW)).toBe(true);
    expect(isExpiring(session(-1_000, 20), NOW)).toBe(true);
  });

  it('refreshes an hour-long token, or one of unknown lifetime, in its last minute', () => {
    expect(isExpiring(session(61_000, 3600), NOW)).toBe(false);
    expect(isExpiring(session(59_000, 3600), NOW)).toBe(true);
    expect(isExpiring(session(59_000), NOW)).toBe(true);
    expect(isExpiring({ tokens: session(0).tokens }, NOW)).toBe(false);
  });
});
