/**
 * The codes a failed step carries (`FlowStepError.code`, `StepState.error.code`). The UI, the
 * doctor's failure map and the tests compare against these values, so they never change; a new
 * failure gets a new code here.
 */
import type { OAuthErrorCode } from '../oauth-error-catalogue';

export const FLOW_ERROR = {
  serverUnreachable: 'server_unreachable',
  unexpectedStatus: 'unexpected_status',
  asMetadataUnreadable: 'as_metadata_unreadable',
  asMetadataMissing: 'as_metadata_missing',
  asMetadataIssuerMismatch: 'as_metadata_issuer_mismatch',
  issuerRequiredForSecret: 'issuer_required_for_secret',
  issuerMismatch: 'issuer_mismatch',
  cimdUnsupported: 'cimd_unsupported',
  clientIdRequired: 'client_id_required',
  registrationFailed: 'registration_failed',
  resourceMismatch: 'resource_mismatch',
  authorizationUnreachable: 'authorization_unreachable',
  authorizationHttpError: 'authorization_http_error',
  issuerUnavailable: 'issuer_unavailable',
  insufficientScope: 'insufficient_scope',
  permissionNotGranted: 'permission_not_granted',
  opaqueTokenRejected: 'opaque_token_rejected',
  tokenRejected: 'token_rejected',
  noRefreshToken: 'no_refresh_token',
  notConnected: 'not_connected',
  noQuestion: 'no_question',
} as const;

/**
 * A sign-in that ended at the redirect: the receiver's failure kind with underscores (flow.ts
 * maps one to the other; this file imports nothing from the receiver, the renderer reads it).
 */
export type RedirectFailureCode =
  'authorization_error' | 'consent_cancelled' | 'issuer_mismatch' | 'timeout' | 'cancelled';

/**
 * An error code as an issuer sent it that the catalogue does not list (RFC 6749 §5.2 lets issuers
 * define more): passed on as sent, through `issuerCode()` so a typo in a literal still fails.
 */
export type ForeignOAuthCode = string & { readonly foreignOAuthCode: true };

export type FlowErrorCode =
  | (typeof FLOW_ERROR)[keyof typeof FLOW_ERROR]
  | RedirectFailureCode
  | OAuthErrorCode
  | ForeignOAuthCode;

/** An issuer's own error code, kept as sent. */
export function issuerCode(code: string): FlowErrorCode {
  return code as ForeignOAuthCode;
}
