/**
 * The doctor's vocabulary: plain data with no Node imports, so the renderer can show a report
 * through the preload contract and the CLI can print the same one.
 */

export type CheckStatus = 'pass' | 'warn' | 'fail';

/** Which part of the story a check looks at; the UI and the CLI group by it. */
export type CheckGroup = 'issuer' | 'registration' | 'authorization' | 'server' | 'clock';

export interface Check {
  /** Stable id, e.g. `authorization.redirect-uri`; a failed sign-in points at one (failure-map.ts). */
  id: string;
  group: CheckGroup;
  status: CheckStatus;
  title: string;
  /** What was seen. */
  detail: string;
  /** Why it is a problem (warn and fail). */
  cause?: string;
  /** What to change, in Logto Console terms. */
  fix?: string;
  specRef?: string;
}

/** One line of the three-column view: what each party says about the same thing. */
export interface ColumnRow {
  field: string;
  /** What the MCP server advertises (its protected resource metadata and challenge). */
  server?: string;
  /** What the issuer advertises (its discovery document, or its answer to the probe). */
  issuer?: string;
  /** What the client will send. */
  client?: string;
  mismatch: boolean;
  note?: string;
}

/** What to check: a profile's sign-in settings, or the CLI's options. */
export interface DoctorInput {
  /** Without one, the doctor follows the server's metadata, as the engine does. */
  issuer?: string;
  clientId?: string;
  /** The MCP server URL; without it the server checks are left out. */
  serverUrl?: string;
  transport?: 'streamable-http' | 'sse';
  /** auto: the server's resource indicator (a JWT); none: an opaque token; custom: this value. */
  resource?: { mode: 'auto' } | { mode: 'custom'; value: string } | { mode: 'none' };
  scopes?: string[];
  refreshTokens?: boolean;
  prompt?: string;
  extraParams?: Record<string, string>;
  /** The redirect URI to probe; default the app's loopback listener on an ephemeral port. */
  redirectUri?: string;
}

export interface DoctorReport {
  input: DoctorInput;
  checkedAt: string;
  checks: Check[];
  columns: ColumnRow[];
  /** pass when every check passed, warn when the worst is a warning, fail when any failed. */
  verdict: CheckStatus;
}

// ---------------------------------------------------------------------------------------------
// "Would the server accept this token?"

/** What the server is configured to accept. */
export interface ServerTrust {
  issuer: string;
  resource: string;
  verification: 'auto' | 'jwt' | 'userinfo';
  requiredScopes: string[];
  clockToleranceSec?: number;
}

export interface TokenReason {
  id: 'shape' | 'signature' | 'iss' | 'aud' | 'exp' | 'scopes' | 'userinfo' | 'issuer';
  status: CheckStatus;
  detail: string;
}

export interface TokenVerdict {
  accepted: boolean;
  /** The verifier's own words when it refused (what the server's 401 would say). */
  refusal?: string;
  shape: 'jwt' | 'opaque';
  reasons: TokenReason[];
  /** Why this token is a JWT or opaque: which parameter made it so. */
  explainer: string;
  subject?: string;
  /** Who judged: the server's issuer, resource indicator and verification mode. */
  judgedBy: Pick<ServerTrust, 'issuer' | 'resource' | 'verification'>;
}
