import { describe, expect, it } from 'vitest';
import {
  FLOW_STEPS,
  startSignIn,
  stepsOf,
  type FlowState,
} from '../../main/client/engine/flow-steps';
import type { FlowSettings } from '../../main/client/engine/flow';
import { SESSION_STEP_IDS, SESSION_STEPS, STEP_IDS, STEPS } from '../../main/client/engine/steps';

const fresh = (over: Partial<FlowState> = {}): FlowState => ({
  authorizationServerUrl: '',
  reusedSession: false,
  tokensFresh: false,
  ...over,
});
const signInIds: readonly string[] = STEP_IDS;
/** The sign-in steps (the list the UI shows) that do not apply to this state. */
const skipped = (state: FlowState) =>
  FLOW_STEPS.filter((step) => signInIds.includes(step.id) && step.skipWhen?.(state)).map(
    (step) => step.id,
  );

describe('the flow as a table of steps', () => {
  it('has one entry per step, in the order the UI shows them, with its text from steps.ts', () => {
    expect(FLOW_STEPS.map((step) => step.id)).toEqual([...STEP_IDS, ...SESSION_STEP_IDS]);
    for (const step of FLOW_STEPS) {
      expect(step).toMatchObject({ ...STEPS, ...SESSION_STEPS }[step.id]);
      expect(step.specRef).toMatch(/RFC|MCP|OpenID/);
    }
  });

  it('the steps after sign-in are entries of the same table, in their own phases, citing their specs', () => {
    expect(stepsOf('refresh').map((s) => [s.id, s.specRef])).toEqual([['refresh', 'RFC 6749 §6']]);
    expect(stepsOf('sign-out').map((s) => [s.id, s.specRef])).toEqual([
      ['revoke', 'RFC 7009 §2'],
      ['end-session', 'OpenID Connect RP-Initiated Logout 1.0 §2'],
      ['old-token-check', 'RFC 6750 §3; RFC 7009 §2'],
    ]);
    for (const step of [...stepsOf('refresh'), ...stepsOf('sign-out')]) {
      expect(step.title).not.toBe('');
      expect(step.explanation.length).toBeGreaterThan(40);
      expect(typeof step.run).toBe('function');
    }
    // Kept out of the sign-in list the UI shows.
    expect(STEP_IDS).not.toContain('revoke');
  });

  it('an issuer without revocation or end-session endpoints: those sign-out steps are skipped, saying why', () => {
    const signOut = stepsOf('sign-out');
    const skip = (state: FlowState) =>
      signOut.map((step) => [step.id, step.skipWhen?.(state)] as const);
    expect(skip(fresh({ metadata: { issuer: 'https://issuer.test' } as never }))).toEqual([
      ['revoke', 'The issuer advertises no revocation endpoint.'],
      ['end-session', 'The issuer advertises no end-session endpoint.'],
      ['old-token-check', undefined],
    ]);
    const both = fresh({
      metadata: {
        issuer: 'https://issuer.test',
        revocation_endpoint: 'https://issuer.test/token/revocation',
        end_session_endpoint: 'https://issuer.test/session/end',
      } as never,
    });
    expect(skip(both).every(([, why]) => why === undefined)).toBe(true);
  });

  it('a server that does not ask for a token: every discovery and sign-in step is skipped, saying why', () => {
    const state = fresh({ needsAuth: false });
    expect(skipped(state)).toEqual(
      [...stepsOf('discovery'), ...stepsOf('sign-in')].map((s) => s.id),
    );
    expect(FLOW_STEPS[1]!.skipWhen!(state)).toBe('The server does not ask for authorization.');
  });

  it('a stored session that fits: only the sign-in steps are skipped', () => {
    const state = fresh({ needsAuth: true, reusedSession: true });
    expect(skipped(state)).toEqual([
      'client',
      'authorization-request',
      'sign-in',
      'redirect',
      'token-exchange',
    ]);
    expect(stepsOf('sign-in')[0]!.skipWhen!(state)).toMatch(/^Signed in already/);
  });

  it('a server that asks for a token, no session: every step runs', () => {
    expect(skipped(fresh({ needsAuth: true }))).toEqual([]);
  });

  it('the state is plain data: it survives a JSON round trip', () => {
    const state = fresh({
      needsAuth: true,
      challenge: { status: 401, scope: ['whoami:read'], insufficientScope: false },
    });
    startSignIn(state, { scopes: ['openid'], refreshTokens: false } as FlowSettings, ['extra']);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state.signIn?.stepUp).toEqual(['extra']);
    expect(state.signIn?.scope).toContain('whoami:read');
  });

  it('starting a sign-in (a step-up or re-sign-in) makes the sign-in steps apply again', () => {
    const state = fresh({ needsAuth: true, reusedSession: true });
    startSignIn(state, { scopes: [], refreshTokens: false } as unknown as FlowSettings, undefined);
    expect(skipped(state)).toEqual([]);
  });
});
