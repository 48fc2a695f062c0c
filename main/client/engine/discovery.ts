/**
 * The first three steps: probe the MCP server, read its protected resource metadata, read the
 * authorization server's metadata. Built on the SDK's discovery functions; this module adds
 * what a person debugging needs to know: what was found where, and what is wrong with it.
 */
import {
  buildDiscoveryUrls,
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type {
  AuthorizationServerMetadata,
  OAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { readChallenge, type Challenge } from './challenge';
import { sameIssuer } from './issuer-check';
import { initializeRequest } from './initialize-request';
import { FLOW_ERROR } from './error-codes';
import { FlowStepError, type Finding } from './notes';

export type Transport = 'streamable-http' | 'sse';

export interface ProbeResult {
  /** false when the server answered without asking for a token. */
  needsAuth: boolean;
  challenge?: Challenge;
  findings: Finding[];
}

async function jsonBody(response: Response): Promise<unknown> {
  if (!/json/i.test(response.headers.get('content-type') ?? '')) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  return response.json().catch(() => undefined);
}

export async function probeServer(
  serverUrl: string,
  transport: Transport,
  fetchFn: FetchLike,
): Promise<ProbeResult> {
  let response: Response;
  try {
    response =
      transport === 'sse'
        ? await fetchFn(serverUrl, { headers: { accept: 'text/event-stream' } })
        : await fetchFn(serverUrl, initializeRequest('mcp-auth-desktop-probe'));
  } catch (error) {
    throw new FlowStepError(
      `The MCP server at ${serverUrl} did not answer: ${(error as Error).message}`,
      'Check the server URL and that the server is running (npm run serve starts the bundled one).',
      FLOW_ERROR.serverUnreachable,
      { cause: error },
    );
  }
  const body = response.status >= 400 ? await jsonBody(response) : undefined;
  if (response.status < 400) await response.body?.cancel().catch(() => undefined);
  if (response.ok) {
    return {
      needsAuth: false,
      findings: [
        {
          level: 'info',
          message: `The server answered ${response.status} without a token: it does not ask for authorization.`,
        },
      ],
    };
  }
  const header = response.headers.get('www-authenticate');
  const challenge = readChallenge(response.status, header, body);
  const findings: Finding[] = [];
  if (response.status !== 401) {
    throw new FlowStepError(
      `The MCP server answered HTTP ${response.status} instead of 401 to a request without a token.`,
      response.status === 404
        ? 'Check the server URL path (the bundled server uses /mcp for Streamable HTTP and /sse for SSE).'
        : 'A protected MCP server must answer 401 with a WWW-Authenticate challenge (MCP Authorization spec).',
      FLOW_ERROR.unexpectedStatus,
    );
  }
  if (!header) {
    findings.push({
      level: 'warning',
      message:
        'The 401 carries no WWW-Authenticate header; the client has to guess where the metadata is.',
      specRef: 'RFC 6750 §3',
    });
  } else if (challenge.scheme?.toLowerCase() !== 'bearer') {
    findings.push({
      level: 'warning',
      message: `The challenge uses the "${challenge.scheme}" scheme, not Bearer.`,
      specRef: 'RFC 6750 §3',
    });
  }
  if (challenge.errorSource === 'header') {
    findings.push({
      level: 'warning',
      message: `The challenge to a request WITHOUT credentials carries error="${challenge.error}"; RFC 6750 says it should carry no error code (mcp-auth's legacy mode does this).`,
      specRef: 'RFC 6750 §3.1',
    });
  }
  if (challenge.resourceMetadata) {
    findings.push({
      level: 'info',
      message: `The server points to its metadata: ${challenge.resourceMetadata}`,
    });
  } else {
    findings.push({
      level: 'info',
      message:
        'The challenge has no resource_metadata; the client tries the well-known locations (RFC 9728 §3.1).',
    });
  }
  if (challenge.scope) {
    findings.push({
      level: 'info',
      message: `The server asks for scopes: ${challenge.scope.join(' ')}`,
    });
  }
  return { needsAuth: true, challenge, findings };
}

export interface ResourceMetadataResult {
  metadata?: OAuthProtectedResourceMetadata;
  findings: Finding[];
}

export async function readResourceMetadata(
  serverUrl: string,
  resourceMetadataUrl: string | undefined,
  fetchFn: FetchLike,
): Promise<ResourceMetadataResult> {
  try {
    const metadata = await discoverOAuthProtectedResourceMetadata(
      serverUrl,
      resourceMetadataUrl ? { resourceMetadataUrl: new URL(resourceMetadataUrl) } : undefined,
      fetchFn,
    );
    const findings: Finding[] = [
      { level: 'info', message: `Resource indicator: ${metadata.resource}` },
      {
        level: 'info',
        message: `Trusted issuer(s): ${(metadata.authorization_servers ?? []).join(', ') || 'none listed'}`,
      },
    ];
    if (metadata.scopes_supported?.length) {
      findings.push({
        level: 'info',
        message: `Scopes supported: ${metadata.scopes_supported.join(' ')}`,
      });
    }
    if (!metadata.authorization_servers?.length) {
      findings.push({
        level: 'warning',
        message:
          'The metadata lists no authorization_servers; the client falls back to the MCP server’s own origin.',
        specRef: 'RFC 9728 §2',
      });
    }
    return { metadata, findings };
  } catch (error) {
    return {
      findings: [
        {
          level: 'warning',
          message: `No protected resource metadata (${(error as Error).message}). This is a server from before the 2025-06-18 MCP spec; the client falls back to the server's own origin as the authorization server.`,
          specRef: 'MCP Authorization 2025-03-26 §2.3.2 (back-compat)',
        },
      ],
    };
  }
}

export interface AuthorizationServerResult {
  /** Where the metadata was looked up (the issuer the resource named, or the server's origin). */
  authorizationServerUrl: string;
  metadata: AuthorizationServerMetadata;
  findings: Finding[];
}

/**
 * The SDK asks the metadata locations of an issuer one after another, in the order MCP's
 * authorization spec (2025-11-25, "Authorization Server Metadata Discovery") gives; for an issuer
 * with a path, like Logto's /oidc, the one that answers is the third. Here all are asked at once
 * and the SDK reads the answers in its order, so discovery costs one round trip instead of three;
 * which document is used does not change. Answers never read are discarded.
 */
function askAllAtOnce(fetchFn: FetchLike, authorizationServerUrl: string) {
  const headers = { 'MCP-Protocol-Version': LATEST_PROTOCOL_VERSION, Accept: 'application/json' };
  const pending = new Map<string, Promise<Response>>();
  for (const { url } of buildDiscoveryUrls(authorizationServerUrl)) {
    const answer = fetchFn(url, { headers });
    answer.catch(() => undefined); // read (and reported) only if the SDK asks for it
    pending.set(url.href, answer);
  }
  return {
    /** The answer already asked for, the first time the SDK asks (a retry asks again). */
    fetch: ((url, init) => {
      const answer = pending.get(String(url));
      pending.delete(String(url));
      return answer ?? fetchFn(url, init);
    }) satisfies FetchLike,
    discardUnread(): void {
      for (const answer of pending.values()) {
        void answer.then((response) => response.body?.cancel()).catch(() => undefined);
      }
      pending.clear();
    },
  };
}

export async function readAuthorizationServerMetadata(opts: {
  serverUrl: string;
  /** The issuer chosen by chooseIssuer (the profile's, or the one the server names). */
  authorizationServer?: string;
  fetchFn: FetchLike;
}): Promise<AuthorizationServerResult> {
  const named = opts.authorizationServer;
  const authorizationServerUrl = named ?? new URL('/', opts.serverUrl).href;
  const findings: Finding[] = [];
  let metadata: AuthorizationServerMetadata | undefined;
  // The SDK's schema drops what it does not model (revocation_endpoint, end_session_endpoint,
  // authorization_response_iss_parameter_supported); keep the document as the issuer sent it.
  let raw: Record<string, unknown> | undefined;
  // The SDK skips a location it cannot reach (as if CORS blocked it) and one that answers HTML
  // fails with a bare JSON SyntaxError: remember both, to say what really happened.
  let unreachable: unknown;
  let notJson: string | undefined;
  const asked = askAllAtOnce(opts.fetchFn, authorizationServerUrl);
  const capturing: FetchLike = async (url, init) => {
    let response: Response;
    try {
      response = await asked.fetch(url, init);
    } catch (error) {
      unreachable ??= error;
      throw error;
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && /json/i.test(type)) {
      raw = (await response
        .clone()
        .json()
        .catch(() => undefined)) as typeof raw;
    } else if (response.ok) {
      notJson = `${String(url)} answered ${type.split(';')[0] || 'a body without a content type'} instead of JSON`;
    }
    return response;
  };
  const unreadable = (detail: string, cause: unknown) =>
    new FlowStepError(
      `The authorization server metadata at ${authorizationServerUrl} could not be read: ${detail}`,
      'Check that the issuer URL is right and reachable; Logto issuers look like https://<tenant>.logto.app/oidc.',
      FLOW_ERROR.asMetadataUnreadable,
      { cause },
    );
  try {
    metadata = await discoverAuthorizationServerMetadata(authorizationServerUrl, {
      fetchFn: capturing,
    });
    if (metadata && raw) metadata = { ...raw, ...metadata } as AuthorizationServerMetadata;
  } catch (error) {
    throw unreadable(
      error instanceof SyntaxError && notJson ? `${notJson}.` : (error as Error).message,
      error,
    );
  } finally {
    asked.discardUnread();
  }
  if (!metadata && unreachable !== undefined) {
    throw unreadable((unreachable as Error).message ?? String(unreachable), unreachable);
  }
  if (!metadata && !named) {
    // MCP 2025-03-26 §2.3.3: a server without metadata uses the default paths at its origin.
    const origin = new URL(opts.serverUrl).origin;
    findings.push({
      level: 'warning',
      message: `Neither protected resource metadata nor authorization server metadata: falling back to the 2025-03-26 default endpoints ${origin}/authorize, /token and /register.`,
      specRef: 'MCP Authorization 2025-03-26 §2.3.3',
    });
    return {
      authorizationServerUrl: origin,
      metadata: {
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        registration_endpoint: `${origin}/register`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      },
      findings,
    };
  }
  if (!metadata) {
    throw new FlowStepError(
      `No authorization server metadata at ${authorizationServerUrl} (tried RFC 8414 and OpenID Connect discovery locations).`,
      `The sign-in uses ${named} as its issuer; check that URL (Logto issuers end in /oidc).`,
      FLOW_ERROR.asMetadataMissing,
    );
  }
  if (!sameIssuer(metadata.issuer, authorizationServerUrl)) {
    if (!named) {
      findings.push({
        level: 'warning',
        message:
          `The MCP server serves a copy of the issuer’s metadata at its own /.well-known/oauth-authorization-server, naming ${metadata.issuer} as the issuer (mcp-auth’s legacy “authorization server” mode, as in the Who am I? tutorial). ` +
          'RFC 8414 §3.3 says a client must reject a document whose issuer differs from where it was fetched, and strict clients such as the official MCP Inspector refuse it (“issuer mismatch”). ' +
          `This app goes on with ${metadata.issuer} so you can test. To fix the server, move it to resource-server mode: new MCPAuth({ protectedResources: [{ metadata: { resource, authorizationServers: [{ issuer, type: 'oidc' }] } }] }) and serve protectedResourceMetadataRouter().`,
        specRef: 'RFC 8414 §3.3; RFC 9728',
      });
    } else {
      // The MCP server (or the profile) named this issuer; a document claiming to be another
      // one must not be used (RFC 8414 §3.3): it could send the user, and the code, to someone else (mix-up).
      throw new FlowStepError(
        `The metadata fetched for the issuer ${authorizationServerUrl} names another issuer, ${metadata.issuer}; RFC 8414 §3.3 forbids using it, so the sign-in stopped.`,
        `Make the MCP server's protected resource metadata name exactly the issuer its discovery document declares (${metadata.issuer}), or fix the issuer's configured URL.`,
        FLOW_ERROR.asMetadataIssuerMismatch,
      );
    }
  }
  const methods = metadata.code_challenge_methods_supported;
  if (!methods?.includes('S256')) {
    findings.push({
      level: 'warning',
      message: methods
        ? `The issuer lists code_challenge_methods_supported: ${methods.join(', ')} (no S256). MCP clients must use S256.`
        : 'The issuer does not list code_challenge_methods_supported; MCP clients must refuse to proceed without PKCE S256 support (this app tries S256 anyway).',
      specRef: 'MCP Authorization §PKCE; RFC 7636',
    });
  }
  findings.push({ level: 'info', message: `Issuer: ${metadata.issuer}` });
  findings.push({
    level: 'info',
    message: metadata.registration_endpoint
      ? `Dynamic Client Registration is offered at ${metadata.registration_endpoint}.`
      : 'No Dynamic Client Registration (like Logto): the app needs a pre-registered client ID.',
  });
  return { authorizationServerUrl: named ?? metadata.issuer, metadata, findings };
}
