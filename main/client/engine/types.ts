/**
 * The engine's state as the UI, the command line and the export see it: plain data, no imports
 * that need Node, so the renderer can use these types through the preload contract.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Finding } from './notes';
import type { AnyStepId, StepId, StepInfo } from './steps';

export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'skipped';

export interface StepState<Id extends AnyStepId = StepId> extends StepInfo<Id> {
  status: StepStatus;
  startedAt?: string;
  durationMs?: number;
  /** What the step is about to send, shown before it runs in the guided view. */
  preview?: string;
  findings: Finding[];
  error?: { message: string; fix?: string; code?: string };
  /**
   * The step waits for the person to choose: after a bare callback (a suspected consent Cancel),
   * Try again (continue) or Stop (cancel).
   */
  question?: { code: 'consent_cancel_suspected'; message: string };
}

export interface FlowResult {
  tools: Tool[];
  session?: SessionSummary;
}

/** What may be shown about the signed-in state: never a token value. */
export interface SessionSummary {
  issuer: string;
  clientId: string;
  /** The MCP server this session was made for. */
  serverUrl?: string;
  resource?: string;
  requestedScope: string[];
  /** What came back, derived from the tokens themselves (ID token, refresh token, JWT scope). */
  grantedScope?: string[];
  /** Why each granted scope counts as granted. */
  grantedBecause?: Record<string, string>;
  /** Requested API scopes the JWT access token does not carry: the user lacks the permission. */
  missingApiScopes?: string[];
  /** The token response's `scope`, as the issuer sent it. */
  responseScope?: string;
  expiresAt?: number;
  hasRefreshToken: boolean;
  hasIdToken: boolean;
}

export interface SignOutReport {
  revoked: { token: 'refresh_token' | 'access_token'; status: number | string; note?: string }[];
  endSessionUrl?: string;
  /** What the MCP server said to the old access token after sign-out. */
  oldToken?: { status: number; accepted: boolean; explanation: string };
}
