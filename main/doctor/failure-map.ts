/**
 * After a failed sign-in the doctor runs and the failure points at the check that explains it:
 * the flow's error code (FlowStepError.code: an OAuth error or the engine's own) to a check id.
 */
const CHECK_FOR_CODE: Readonly<Record<string, string>> = {
  invalid_client: 'authorization.client',
  invalid_redirect_uri: 'authorization.redirect-uri',
  invalid_target: 'authorization.resource',
  invalid_scope: 'authorization.scopes',
  authorization_unreachable: 'issuer.reachable',
  authorization_http_error: 'authorization.request',
  as_metadata_unreadable: 'issuer.discovery',
  as_metadata_missing: 'issuer.discovery',
  issuer_mismatch: 'server.authorization-servers',
  resource_mismatch: 'server.resource',
  server_unreachable: 'server.challenge',
  unexpected_status: 'server.challenge',
  client_id_required: 'registration.method',
  cimd_unsupported: 'registration.method',
  registration_failed: 'registration.method',
  insufficient_scope: 'server.scopes',
  no_refresh_token: 'authorization.refresh-tokens',
  invalid_token: 'server.resource',
  token_rejected: 'server.resource',
  opaque_token_rejected: 'server.resource',
  permission_not_granted: 'server.scopes',
  issuer_required_for_secret: 'server.authorization-servers',
  as_metadata_issuer_mismatch: 'issuer.exact',
};

/** The check that explains a flow error code, if one does. */
export function checkForFailure(code: string | undefined): string | undefined {
  return code ? CHECK_FOR_CODE[code] : undefined;
}
