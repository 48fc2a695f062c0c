/**
 * RFC 6750 §3 WWW-Authenticate challenges, written so that any RFC 9110 §11.2 parser reads them
 * back: auth-params as token="quoted-string", values escaped per RFC 9110 §5.6.4.
 */

export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export interface BearerChallenge {
  error?: BearerErrorCode;
  errorDescription?: string;
  /** RFC 9728 §5.1: where the client finds our protected resource metadata. */
  resourceMetadata?: string;
  /** RFC 6750 §3: space-delimited scopes needed (MCP: the client requests these on step-up). */
  scope?: string;
}

/** RFC 9110 §5.6.4 quoted-string; anything outside printable ASCII becomes '?' so headers stay ASCII. */
export function quoteString(value: string): string {
  const printable = value.replace(/[^\x20-\x7E]/g, '?');
  return `"${printable.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * RFC 6750 §3: error_description is limited to %x20-21 / %x23-5B / %x5D-7E, i.e. no '"' or '\'.
 * We swap them for look-alikes instead of escaping, so even naive regex readers (the MCP SDK's)
 * see the whole text.
 */
export function sanitizeDescription(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7E]/g, '?');
}

/**
 * Builds the header value. With no `error`, this is the RFC 6750 §3.1 answer to a request that
 * carried no (Bearer) credentials at all: "SHOULD NOT include an error code".
 */
export function buildBearerChallenge(challenge: BearerChallenge): string {
  const params: Array<[string, string]> = [];
  if (challenge.error) params.push(['error', challenge.error]);
  if (challenge.error && challenge.errorDescription) {
    params.push(['error_description', sanitizeDescription(challenge.errorDescription)]);
  }
  if (challenge.resourceMetadata) params.push(['resource_metadata', challenge.resourceMetadata]);
  if (challenge.scope) params.push(['scope', challenge.scope]);
  if (params.length === 0) return 'Bearer';
  return `Bearer ${params.map(([name, value]) => `${name}=${quoteString(value)}`).join(', ')}`;
}
