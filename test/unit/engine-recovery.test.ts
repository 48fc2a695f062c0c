import { describe, expect, it } from 'vitest';
import type { Challenge } from '../../main/client/engine/challenge';
import type { FlowStepError } from '../../main/client/engine/notes';
import {
  decideRecovery,
  MAX_STEP_UPS,
  nextAttempts,
  type RecoveryInput,
} from '../../main/client/engine/recovery';

const unauthorized: Challenge = { status: 401, error: 'invalid_token', insufficientScope: false };
const insufficient = (missing: string[]): Challenge => ({
  status: 403,
  error: 'insufficient_scope',
  missingScopes: missing,
  insufficientScope: true,
});
const base: RecoveryInput = {
  refusal: undefined,
  error: new Error('boom'),
  discovered: true,
  attempts: { stepUps: 0, signIns: 0 },
  requestedScope: ['openid'],
  tokensFresh: false,
};

describe('recovery after the MCP server refuses, as data', () => {
  it('a failure that is not a refusal fails with the error as it was', () => {
    expect(decideRecovery(base)).toEqual({ kind: 'failed', error: base.error });
  });

  it('a server that let the session start without a token and now answers 401: sign in from its challenge', () => {
    const outcome = decideRecovery({ ...base, discovered: false, refusal: unauthorized });
    expect(outcome).toMatchObject({
      kind: 'sign-in',
      reason: 'token-now-required',
      challenge: unauthorized,
    });
    // Once only.
    expect(
      decideRecovery({
        ...base,
        discovered: false,
        refusal: unauthorized,
        attempts: { stepUps: 0, signIns: 1 },
      }).kind,
    ).toBe('failed');
  });

  it('insufficient_scope for a scope not asked for yet: step up with just that scope', () => {
    const outcome = decideRecovery({ ...base, refusal: insufficient(['openid', 'whoami:read']) });
    expect(outcome).toMatchObject({ kind: 'step-up', scopes: ['whoami:read'] });
    expect(nextAttempts(base.attempts, outcome)).toEqual({ stepUps: 1, signIns: 0 });
  });

  it('insufficient_scope for scopes already requested: the user lacks the permission, no sign-in', () => {
    const outcome = decideRecovery({
      ...base,
      requestedScope: ['openid', 'whoami:read'],
      refusal: insufficient(['whoami:read']),
    });
    expect(outcome.kind).toBe('failed');
    expect((outcome as { error: FlowStepError }).error.code).toBe('permission_not_granted');
  });

  it('stops stepping up after MAX_STEP_UPS', () => {
    const outcome = decideRecovery({
      ...base,
      refusal: insufficient(['more']),
      attempts: { stepUps: MAX_STEP_UPS, signIns: 0 },
    });
    expect((outcome as { error: FlowStepError }).error.code).toBe('insufficient_scope');
  });

  it('a 401 to tokens this flow just got: explained, not a second sign-in', () => {
    const outcome = decideRecovery({
      ...base,
      refusal: unauthorized,
      tokensFresh: true,
      accessToken: 'opaque-token',
    });
    expect((outcome as { error: FlowStepError }).error.code).toBe('opaque_token_rejected');
  });

  it('a 401 to a stored token: forget it and sign in again, once', () => {
    const outcome = decideRecovery({ ...base, refusal: unauthorized });
    expect(outcome).toMatchObject({ kind: 'sign-in', reason: 'token-rejected' });
    expect(nextAttempts(base.attempts, outcome)).toEqual({ stepUps: 0, signIns: 1 });
    expect(
      decideRecovery({ ...base, refusal: unauthorized, attempts: { stepUps: 0, signIns: 1 } }),
    ).toEqual({ kind: 'failed', error: base.error });
  });
});
