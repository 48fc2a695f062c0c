import { describe, expect, it } from 'vitest';
import {
  FLOW_STEPS,
  startSignIn,
  stepsOf,
  type FlowState,
} from '../../main/client/engine/flow-steps';
import type { FlowSettings } from '../../main/client/engine/flow';
import { STEP_IDS, STEPS } from '../../main/client/engine/steps';

const fresh = (over: Partial<FlowState> = {}): FlowState => ({
  authorizationServerUrl: '',
  reusedSession: false,
  tokensFresh: false,
  ...over,
});
const skipped = (state: FlowState) =>
  FLOW_STEPS.filter((step) => step.skipWhen?.(state)).map((step) => step.id);

describe('the flow as a table of steps', () => {
  it('has one entry per step, in the order the UI shows them, with its text from steps.ts', () => {
    expect(FLOW_STEPS.map((step) => step.id)).toEqual([...STEP_IDS]);
    for (const step of FLOW_STEPS) {
      expect(step).toMatchObject(STEPS[step.id]);
      expect(step.specRef).toMatch(/RFC|MCP/);
    }
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
