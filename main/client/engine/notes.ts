import type { FlowErrorCode } from './error-codes';

/** What a step found that a person should read: a finding with its level and, where one applies, the spec. */
export interface Finding {
  level: 'info' | 'warning' | 'error';
  message: string;
  specRef?: string;
}

/** A step failed for a reason a person can act on: what happened, and what to do. */
export class FlowStepError extends Error {
  override name = 'FlowStepError';
  constructor(
    message: string,
    /** What to change, in the issuer's own terms (e.g. which Logto app, which redirect URI). */
    readonly fix?: string,
    readonly code?: FlowErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
