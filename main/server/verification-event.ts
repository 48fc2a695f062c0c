/** The server's verification decisions as plain data (no imports): safe for the trace and the renderer. */

export type VerifiedBy = 'jwt' | 'userinfo';

/** One bearer-token decision, as the app's trace shows it. Never carries the token itself. */
export interface VerificationEvent {
  type: 'verification';
  /** ISO 8601 time the request arrived. */
  at: string;
  httpMethod: string;
  path: string;
  /** Which check ran; null when the request never got that far (no or malformed header). */
  method: VerifiedBy | null;
  verdict: 'allowed' | 'rejected' | 'error';
  status: number;
  subject?: string;
  clientId?: string;
  /** Why it was rejected or failed, in the words of the error_description. */
  reason?: string;
  latencyMs: number;
  /** Answered from the verification cache (its window: 10 s by default) or a shared in-flight check. */
  cached?: boolean;
}
