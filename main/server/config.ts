import { createResourceMetadataEndpoint } from 'mcp-auth/utils/create-resource-metadata-endpoint.js';
import { z } from 'zod';

/** The port the bundled MCP server uses unless told otherwise (Logto's MCP guides use 3001 too). */
export const DEFAULT_SERVER_PORT = 3001;
export const DEFAULT_SERVER_HOST = '127.0.0.1';
/**
 * What the server advertises (RFC 9728 scopes_supported and its challenges), and so what MCP
 * clients request. No `email`: a Logto third-party app refuses any scope not enabled in its
 * Permissions, and a server that asks every client for it breaks third-party sign-in. A profile
 * may still ask for `email` itself.
 */
export const DEFAULT_SCOPES_SUPPORTED = ['openid', 'profile', 'whoami:read'];
export const DEFAULT_ISSUER_TIMEOUT_MS = 5_000;
export const DEFAULT_CLOCK_TOLERANCE_SEC = 30;
/**
 * How long a verified token's verdict is reused. 10 s still folds a session's burst of calls
 * (initialize, tools/list, tools/call arrive within a second or two) into one issuer request,
 * while a revoked opaque token is refused within 10 s instead of a minute.
 */
export const DEFAULT_VERIFICATION_CACHE_TTL_MS = 10_000;

export const VERIFICATION_MODES = ['auto', 'jwt', 'userinfo'] as const;
export type VerificationMode = (typeof VERIFICATION_MODES)[number];

export interface McpServerOptions {
  /** Interface to bind; default 127.0.0.1 (never all interfaces by default: this is a dev tool). */
  host?: string;
  /** Default 3001 (DEFAULT_SERVER_PORT); 0 picks a free port. */
  port?: number;
  /** Issuer URL, e.g. http://127.0.0.1:3100/oidc or https://tenant.logto.app/oidc. */
  issuer: string;
  /** RFC 8707 resource indicator; default `http://localhost:<port>/` (trailing slash, as Logto's guide registers it). */
  resource?: string;
  /** How access tokens are checked; default 'auto' (JWT-shaped => jwt, else userinfo). */
  verification?: VerificationMode;
  /** Advertised in the protected resource metadata and in 401 challenges. */
  scopesSupported?: string[];
  /** Scopes every request must carry (403 insufficient_scope otherwise); default none. */
  requiredScopes?: string[];
  /** Extra Host header values to accept on top of the loopback defaults (DNS-rebinding protection). */
  allowedHosts?: string[];
  /** Extra browser origins to accept on top of any loopback origin. */
  allowedOrigins?: string[];
  /** Deadline for every call to the issuer (discovery, JWKS, userinfo); default 5000 ms. */
  issuerTimeoutMs?: number;
  /** Leeway for exp/nbf/iat checks; default 30 s. */
  clockToleranceSec?: number;
  /**
   * How long a verified token's verdict is reused; default 10 s (never past the token's exp).
   * 0 checks every request, so a revoked opaque token is refused at once.
   */
  verificationCacheTtlMs?: number;
  /**
   * Client IDs whose tokens are accepted; empty accepts a token issued to any client. JWTs are
   * checked by their client_id claim, opaque tokens through the issuer's introspection endpoint.
   */
  allowedClientIds?: string[];
  /** Default true; false only for the benchmark baseline (whoami then says unauthenticated). */
  auth?: boolean;
}

/** An absolute http(s) URL without a fragment (RFC 8707 §2 for resources, OIDC for issuers). */
export function isHttpUrl(value: string): boolean {
  const url = URL.parse(value);
  return !!url && (url.protocol === 'http:' || url.protocol === 'https:') && !value.includes('#');
}

export const httpUrl = (what: string) =>
  z.string().refine(isHttpUrl, {
    message: `${what} must be an absolute http(s) URL without a fragment`,
  });

/** Scope tokens per RFC 6749 §3.3: printable ASCII except space, double quote and backslash. */
export const scopeToken = z
  .string()
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope is printable ASCII without spaces, " or \\');

export const mcpServerOptionsSchema = z.object({
  host: z.string().min(1).default(DEFAULT_SERVER_HOST),
  port: z.number().int().min(0).max(65_535).default(DEFAULT_SERVER_PORT),
  issuer: httpUrl('issuer'),
  resource: httpUrl('resource').optional(),
  verification: z.enum(VERIFICATION_MODES).default('auto'),
  scopesSupported: z.array(scopeToken).default(DEFAULT_SCOPES_SUPPORTED),
  requiredScopes: z.array(scopeToken).default([]),
  allowedHosts: z.array(z.string().min(1)).default([]),
  allowedOrigins: z.array(z.string().min(1)).default([]),
  issuerTimeoutMs: z.number().int().positive().default(DEFAULT_ISSUER_TIMEOUT_MS),
  clockToleranceSec: z.number().min(0).default(DEFAULT_CLOCK_TOLERANCE_SEC),
  verificationCacheTtlMs: z.number().int().min(0).default(DEFAULT_VERIFICATION_CACHE_TTL_MS),
  allowedClientIds: z.array(z.string().min(1)).default([]),
  auth: z.boolean().default(true),
});

export type ParsedServerOptions = z.output<typeof mcpServerOptionsSchema>;

/** Everything the app needs, once the real port is known (port 0 resolves at listen time). */
export interface ResolvedServerConfig extends Omit<ParsedServerOptions, 'resource'> {
  resource: string;
  /** Origin clients should use: the resource's origin when it is loopback on our port, else host:port. */
  origin: string;
  url: string;
  sseUrl: string;
  /** Where RFC 9728 metadata lives for `resource` (§3.1: well-known segment inserted before the path). */
  resourceMetadataUrl: string;
  resourceMetadataPath: string;
}

export class InvalidServerOptionsError extends Error {
  constructor(message: string) {
    super(`Invalid MCP server options: ${message}`);
    this.name = 'InvalidServerOptionsError';
  }
}

export function parseServerOptions(options: McpServerOptions): ParsedServerOptions {
  const result = mcpServerOptionsSchema.safeParse(options);
  if (!result.success) {
    const first = result.error.issues
      .map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`)
      .join('; ');
    throw new InvalidServerOptionsError(first);
  }
  return result.data;
}

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname.toLowerCase());
}

function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** A bound host as it appears in a URL authority (IPv6 in brackets; wildcard binds shown as loopback). */
export function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * RFC 9728 §3.1: /.well-known/oauth-protected-resource inserted between the host and the path.
 * mcp-auth's own helper, so the URL we advertise is exactly the path its metadata router serves.
 */
export function resourceMetadataUrlFor(resource: string): URL {
  return createResourceMetadataEndpoint(resource);
}

export function resolveServerConfig(
  parsed: ParsedServerOptions,
  port: number,
): ResolvedServerConfig {
  const resource = parsed.resource ?? `http://localhost:${port}/`;
  const resourceUrl = new URL(resource);
  const resourceIsOurs =
    resourceUrl.protocol === 'http:' &&
    isLoopbackHostname(resourceUrl.hostname) &&
    effectivePort(resourceUrl) === port;
  const origin = resourceIsOurs ? resourceUrl.origin : `http://${hostForUrl(parsed.host)}:${port}`;
  const metadataUrl = resourceMetadataUrlFor(resource);
  return {
    ...parsed,
    port,
    resource,
    origin,
    url: `${origin}/mcp`,
    sseUrl: `${origin}/sse`,
    resourceMetadataUrl: metadataUrl.href,
    resourceMetadataPath: metadataUrl.pathname,
  };
}
