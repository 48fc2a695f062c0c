import express, {
  type ErrorRequestHandler,
  type Express,
  type NextFunction,
  type Request,
  type Response,
} from 'express';
import { MCPAuth } from 'mcp-auth';
import type { ResolvedServerConfig } from './config';
import type { ServerEvents } from './events';
import { createBearerMiddleware } from './auth/bearer';
import { withClientAllowList } from './auth/client-allow-list';
import { createIssuerGate } from './auth/issuer-gate';
import { IssuerHealth } from './auth/issuer-health';
import { IssuerMetadataSource } from './auth/issuer-metadata';
import { createJwtVerifier } from './auth/verify-jwt';
import { createUserinfoVerifier } from './auth/verify-userinfo';
import { createTokenVerifier } from './auth/verify-token';
import { withVerificationCache } from './auth/verification-cache';
import { createCors, createHostGuard } from './host-guard';
import { createMcpServer } from './mcp-server';
import { createSseEndpoint } from './transports/sse';
import { createStreamableHttpEndpoint } from './transports/streamable-http';

export const MAX_BODY_BYTES = 1_048_576;
export const RESOURCE_NAME = 'MCP Auth Desktop server';
const PRM_BASE = '/.well-known/oauth-protected-resource';

/** What the server holds in memory right now: open sessions and remembered verdicts. */
export interface McpServerStats {
  streamableHttpSessions: number;
  sseSessions: number;
  cachedVerdicts: number;
}

export interface McpApp {
  app: Express;
  /** Whether the trusted issuer can be asked; undefined when auth is off (the benchmark baseline). */
  issuerHealth?: IssuerHealth;
  stats(): McpServerStats;
  /**
   * Fetches the issuer's discovery document and JWKS now, so the first signed-in request does not
   * wait for them; a failure is forgotten and the first token fetches again, as without it.
   */
  prefetchIssuerKeys(): Promise<void>;
  close(): Promise<void>;
}

/** Host guard → CORS → metadata → bearer → body → transports → JSON 404. */
export function createMcpApp(config: ResolvedServerConfig, events: ServerEvents): McpApp {
  const app = express();
  app.disable('x-powered-by');

  app.use(createHostGuard(config));
  app.use(createCors());

  const streamable = createStreamableHttpEndpoint({
    createServer: createMcpServer,
    maxBodyBytes: MAX_BODY_BYTES,
  });
  const sse = createSseEndpoint({ createServer: createMcpServer });
  let cachedVerdicts = () => 0;
  let issuerHealth: IssuerHealth | undefined;
  let prefetch = async (): Promise<void> => undefined;

  if (config.auth) {
    const mcpAuth = new MCPAuth({
      protectedResources: [
        {
          metadata: {
            resource: config.resource,
            authorizationServers: [{ issuer: config.issuer, type: 'oidc' }],
            scopesSupported: config.scopesSupported,
            bearerMethodsSupported: ['header'],
            resourceName: RESOURCE_NAME,
          },
        },
      ],
    });

    // RFC 9728 §3: mcp-auth serves the document at the path derived from the resource (for
    // `http://localhost:3001/` that is /.well-known/oauth-protected-resource). Clients probe the
    // path-suffixed form for the URL they were given first (/mcp, /sse), so those get it too.
    const metadataRouter = mcpAuth.protectedResourceMetadataRouter();
    app.use(metadataRouter);
    const aliases = [PRM_BASE, `${PRM_BASE}/mcp`, `${PRM_BASE}/sse`].filter(
      (path) => path !== config.resourceMetadataPath,
    );
    app.get(aliases, (req: Request, res: Response, next: NextFunction) => {
      req.url = config.resourceMetadataPath;
      metadataRouter(req, res, next);
    });

    const issuerMetadata = new IssuerMetadataSource(config.issuer, config.issuerTimeoutMs);
    // Its own look at discovery: the verifiers still discover on first use (and so notice an
    // issuer whose discovery broke after the server started).
    issuerHealth = new IssuerHealth(
      new IssuerMetadataSource(config.issuer, config.issuerTimeoutMs),
      (status) => events.emit('issuer-status', status),
    );
    const jwt = createJwtVerifier({
      issuer: config.issuer,
      resource: config.resource,
      clockToleranceSec: config.clockToleranceSec,
      timeoutMs: config.issuerTimeoutMs,
      metadata: issuerMetadata,
    });
    prefetch = () =>
      config.verification === 'userinfo'
        ? issuerMetadata.get().then(() => undefined)
        : jwt.prefetchKeys();
    // One cache in front of all checks: a burst of calls with one token costs one userinfo
    // request (and introspection) or one signature verification.
    const checkToken = withClientAllowList(
      createTokenVerifier(config.verification, {
        jwt,
        userinfo: createUserinfoVerifier({
          issuer: config.issuer,
          timeoutMs: config.issuerTimeoutMs,
          metadata: issuerMetadata,
        }),
      }),
      {
        allowedClientIds: config.allowedClientIds,
        issuer: config.issuer,
        timeoutMs: config.issuerTimeoutMs,
        metadata: issuerMetadata,
      },
    );
    const verify = withVerificationCache(checkToken, { ttlMs: config.verificationCacheTtlMs });
    cachedVerdicts = verify.size;
    app.use(['/mcp', '/sse', '/messages'], createIssuerGate(issuerHealth, events));
    app.use(
      ['/mcp', '/sse', '/messages'],
      createBearerMiddleware({
        mcpAuth,
        issuer: config.issuer,
        resource: config.resource,
        resourceMetadataUrl: config.resourceMetadataUrl,
        scopesSupported: config.scopesSupported,
        requiredScopes: config.requiredScopes,
        verify,
        events,
      }),
    );
  }

  // Parsed only after authentication: unauthenticated bodies are never read.
  app.use(['/mcp', '/messages'], express.json({ limit: MAX_BODY_BYTES }));
  app.use(streamable.router);
  app.use(sse.router);

  app.use((req: Request, res: Response) => {
    res.status(404).json({
      error: 'not_found',
      error_description: `Nothing at ${req.method} ${req.path}. MCP endpoints: POST/GET/DELETE ${config.url} (Streamable HTTP), GET ${config.sseUrl} (SSE).`,
    });
  });

  const onError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const err = error as { type?: string; status?: number; message?: string };
    if (res.headersSent) {
      res.end();
      return;
    }
    if (err.type === 'entity.too.large') {
      res.status(413).json({
        error: 'payload_too_large',
        error_description: `Request bodies are limited to ${MAX_BODY_BYTES / 1_048_576} MB.`,
      });
      return;
    }
    if (err.type === 'entity.parse.failed') {
      // JSON-RPC 2.0 §5.1 parse error.
      res.status(400).json({
        jsonrpc: '2.0',
        error: { code: -32700, message: 'Parse error: the body is not valid JSON.' },
        id: null,
      });
      return;
    }
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      res
        .status(err.status)
        .json({ error: 'invalid_request', error_description: err.message ?? 'Bad request.' });
      return;
    }
    console.error(`MCP server error on ${req.method} ${req.path}:`, error);
    res.status(500).json({ error: 'server_error', error_description: 'Internal server error.' });
  };
  app.use(onError);

  return {
    app,
    ...(issuerHealth && { issuerHealth }),
    prefetchIssuerKeys: () => prefetch().catch(() => undefined),
    stats: () => ({
      streamableHttpSessions: streamable.sessionCount(),
      sseSessions: sse.sessionCount(),
      cachedVerdicts: cachedVerdicts(),
    }),
    close: async () => {
      issuerHealth?.close();
      await Promise.allSettled([streamable.close(), sse.close()]);
    },
  };
}
