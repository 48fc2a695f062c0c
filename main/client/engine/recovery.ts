/**
 * What to do after the MCP server refused an operation, decided as data (the way the MCP
 * Inspector v2 returns an auth outcome instead of looping): the flow carries the outcome out and
 * tries the operation again, or fails. Pure: the refusal and what the flow knows go in, the
 * outcome comes out, so every branch is tested without a server.
 */
import type { Challenge } from './challenge';
import { FLOW_ERROR } from './error-codes';
import { permissionNotGranted } from './missing-permission';
import { FlowStepError, type Finding } from './notes';
import { freshTokenRejected } from './token-rejection';

/** A step-up may ask for more scopes at most this often per call (MCP: clients must bound retries). */
export const MAX_STEP_UPS = 2;

/** How often each recovery has been tried for this operation. */
export interface RecoveryAttempts {
  stepUps: number;
  signIns: number;
}

export interface RecoveryInput {
  /** The server's last 401/403, read from the traced exchange; none for other failures. */
  refusal: Challenge | undefined;
  /** What the operation threw. */
  error: unknown;
  /** Whether the flow has read the issuer's metadata (it signed in, or reuses a session). */
  discovered: boolean;
  attempts: RecoveryAttempts;
  /** The scopes the current tokens were requested with. */
  requestedScope: string[];
  /** The scopes the server's protected resource metadata lists. */
  scopesSupported?: string[];
  /** The tokens come from this flow's own sign-in and the server has not accepted them yet. */
  tokensFresh: boolean;
  accessToken?: string;
  resource?: string;
  serverResource?: string;
}

export type RecoveryOutcome =
  /** Sign in from the server's challenge: it let the session start without a token, asks now. */
  | { kind: 'sign-in'; reason: 'token-now-required'; challenge: Challenge; note: Finding }
  /** The stored token is rejected and could not be refreshed: forget it and sign in again. */
  | { kind: 'sign-in'; reason: 'token-rejected'; note: Finding }
  /** Sign in again asking for more scopes (RFC 6750 §3.1 insufficient_scope). */
  | { kind: 'step-up'; scopes: string[]; note: Finding }
  /** Nothing more to try: fail with this error. */
  | { kind: 'failed'; error: unknown };

export function decideRecovery(input: RecoveryInput): RecoveryOutcome {
  const { refusal, error, attempts } = input;
  if (!refusal) return { kind: 'failed', error };
  if (!input.discovered && refusal.status === 401 && attempts.signIns < 1) {
    return {
      kind: 'sign-in',
      reason: 'token-now-required',
      challenge: refusal,
      note: {
        level: 'info',
        message: 'The server now asks for a token (401): signing in.',
        specRef: 'MCP Authorization §Authorization Flow Steps',
      },
    };
  }
  if (!input.discovered) return { kind: 'failed', error };
  if (refusal.insufficientScope) {
    const missing = refusal.missingScopes ?? refusal.scope ?? input.scopesSupported ?? [];
    // Scopes already asked for and left out of the token: the user lacks the permission, and
    // another sign-in would end the same way (Logto drops them silently).
    const notYetRequested = missing.filter((scope) => !input.requestedScope.includes(scope));
    if (missing.length && !notYetRequested.length) {
      return { kind: 'failed', error: permissionNotGranted(missing, input.resource, error) };
    }
    if (attempts.stepUps >= MAX_STEP_UPS) {
      return {
        kind: 'failed',
        error: new FlowStepError(
          `The server still refuses after ${MAX_STEP_UPS} step-ups for more scopes (missing: ${missing.join(' ') || 'not said'}).`,
          'Grant the permission to the user through a role in Logto, or remove the server’s required scope.',
          FLOW_ERROR.insufficientScope,
          { cause: error },
        ),
      };
    }
    return {
      kind: 'step-up',
      scopes: notYetRequested.length ? notYetRequested : missing,
      note: {
        level: 'warning',
        message: `The server answered 403 ${refusal.error}${refusal.error === 'insufficient_scope' ? '' : ' (a non-standard code for insufficient_scope)'}; missing scope(s): ${missing.join(' ') || 'not said'}. Signing in again with ${notYetRequested.join(' ') || 'them'}, not asked for yet.`,
        specRef: 'RFC 6750 §3.1; MCP Authorization §Scope Challenge Handling',
      },
    };
  }
  if (refusal.status === 401 && input.tokensFresh) {
    return {
      kind: 'failed',
      error: freshTokenRejected({
        refusal,
        accessToken: input.accessToken,
        resource: input.resource,
        serverResource: input.serverResource,
        cause: error,
      }),
    };
  }
  if (refusal.status === 401 && attempts.signIns < 1) {
    return {
      kind: 'sign-in',
      reason: 'token-rejected',
      note: {
        level: 'warning',
        message: `The server rejected the stored access token (${refusal.error ?? '401'}${refusal.errorDescription ? `: ${refusal.errorDescription}` : ''}) and it could not be refreshed (expired or revoked since it was issued). Signing in again.`,
      },
    };
  }
  return { kind: 'failed', error };
}

/** The attempts after carrying out an outcome. */
export function nextAttempts(
  attempts: RecoveryAttempts,
  outcome: RecoveryOutcome,
): RecoveryAttempts {
  if (outcome.kind === 'step-up') return { ...attempts, stepUps: attempts.stepUps + 1 };
  if (outcome.kind === 'sign-in') return { ...attempts, signIns: attempts.signIns + 1 };
  return attempts;
}
