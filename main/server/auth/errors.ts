import type { VerifiedBy } from '../events';

/**
 * Errors our verifiers throw. mcp-auth re-throws anything that is not its own error class, so
 * these travel through its middleware untouched and the edge adapter (bearer.ts) maps them.
 */

/** RFC 6750 §3.1 invalid_token: expired, revoked, malformed, or not meant for us. HTTP 401. */
export class TokenRejectedError extends Error {
  constructor(
    readonly description: string,
    readonly method: VerifiedBy | null,
  ) {
    super(description);
    this.name = 'TokenRejectedError';
  }
}

/** RFC 6750 §3.1 invalid_request: the request itself is malformed. HTTP 400. */
export class MalformedRequestError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'MalformedRequestError';
  }
}

/**
 * The issuer could not be asked (down, slow, odd answer). HTTP 503 without invalid_token: the
 * token may be perfectly good, and invalid_token would make a client throw it away.
 */
export class IssuerUnavailableError extends Error {
  constructor(
    readonly issuer: string,
    readonly detail: string,
    readonly method: VerifiedBy | null,
    options?: { cause?: unknown },
  ) {
    super(`Could not verify the token with the issuer ${issuer}: ${detail}`, options);
    this.name = 'IssuerUnavailableError';
  }
}
