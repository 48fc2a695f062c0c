import { describe, expect, it } from 'vitest';
import { withVerificationCache } from '../../main/server/auth/verification-cache';
import type { VerifiedAuthInfo } from '../../main/server/auth/types';

/** A verifier that counts how often it really checks, and answers with a token expiring at `exp`. */
function countingVerifier(exp?: number) {
  const calls: string[] = [];
  const verify = async (token: string): Promise<VerifiedAuthInfo> => {
    calls.push(token);
    return {
      token,
      issuer: 'https://issuer.test/oidc',
      subject: `sub-${token}`,
      clientId: 'app',
      scopes: [],
      claims: {},
      extra: { verifiedBy: 'jwt', cached: false },
      ...(exp !== undefined && { expiresAt: exp }),
    };
  };
  return { verify, calls };
}

describe('the verification cache', () => {
  it('never keeps a verdict past the token’s own expiry, even inside the 60 s window', async () => {
    let clock = 1_000_000_000_000;
    const exp = clock / 1000 + 10; // the token expires in 10 s
    const { verify, calls } = countingVerifier(exp);
    const cached = withVerificationCache(verify, { now: () => clock });

    expect((await cached('t')).extra.cached).toBe(false);
    clock += 9_000;
    expect((await cached('t')).extra.cached).toBe(true);
    clock += 2_000; // past exp: the inner verifier must decide again (and would reject)
    expect((await cached('t')).extra.cached).toBe(false);
    expect(calls).toEqual(['t', 't']);
  });

  it('does not remember a token that is already expired', async () => {
    const clock = 1_000_000_000_000;
    const { verify, calls } = countingVerifier(clock / 1000 - 1);
    const cached = withVerificationCache(verify, { now: () => clock });
    await cached('t');
    await cached('t');
    expect(calls).toHaveLength(2);
    expect(cached.size()).toBe(0);
  });

  it('hands each caller its own token back, never another caller’s', async () => {
    const { verify } = countingVerifier();
    const cached = withVerificationCache(verify);
    const [a, b] = await Promise.all([cached('token-a'), cached('token-b')]);
    expect(a).toMatchObject({ token: 'token-a', subject: 'sub-token-a' });
    expect(b).toMatchObject({ token: 'token-b', subject: 'sub-token-b' });
  });
});
