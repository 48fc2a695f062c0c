import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { VerifiedBy } from '../events';

/** What we put in AuthInfo.extra; the whoami tool reads it from `extra.authInfo`. */
export interface AuthExtra extends Record<string, unknown> {
  verifiedBy: VerifiedBy;
  /** Answered from the verification cache or from another request's in-flight check. */
  cached: boolean;
  /** On a cache hit: how long the remembered verdict still stands. */
  cacheRemainingMs?: number;
}

/**
 * The SDK's AuthInfo with the fields mcp-auth's middleware checks (issuer) and our tool reports.
 * The SDK transports hand `req.auth` to tools as `extra.authInfo`.
 */
export type VerifiedAuthInfo = AuthInfo & {
  issuer: string;
  subject: string;
  audience?: string | string[];
  claims: Record<string, unknown>;
  extra: AuthExtra;
};

export type TokenVerifier = (token: string) => Promise<VerifiedAuthInfo>;
