import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '../shared/listen';
import { createMcpApp, type McpServerStats } from './app';
import { parseServerOptions, resolveServerConfig, type McpServerOptions } from './config';
import { ServerEvents } from './events';
import type { IssuerStatus } from './issuer-status';

export interface RunningMcpServer {
  /** Streamable HTTP endpoint, e.g. http://localhost:3001/mcp. */
  url: string;
  /** Legacy SSE endpoint, e.g. http://localhost:3001/sse. */
  sseUrl: string;
  /** RFC 8707 resource indicator tokens must be issued for (their `aud`). */
  resource: string;
  /** RFC 9728 metadata URL, as sent in every challenge's resource_metadata. */
  resourceMetadataUrl: string;
  origin: string;
  port: number;
  host: string;
  /** How tokens are checked, and which scopes every request must carry. */
  verification: 'auto' | 'jwt' | 'userinfo';
  requiredScopes: string[];
  /** The issuer it trusts, and what it advertises and allows. */
  issuer: string;
  scopesSupported: string[];
  verificationCacheTtlMs: number;
  allowedClientIds: string[];
  /** Leeway for exp/nbf/iat, in seconds (RFC 7519 §4.1.4). */
  clockToleranceSec: number;
  /** Whether tokens can be verified with the issuer right now. */
  issuerStatus(): IssuerStatus;
  /** Resolves once the first look at the issuer is over, whatever it found. */
  issuerChecked(): Promise<IssuerStatus>;
  events: Pick<ServerEvents, 'on' | 'off'>;
  /** Open sessions and cached verdicts, e.g. to check that nothing piles up under load. */
  stats(): McpServerStats;
  /** See McpApp.prefetchIssuerKeys; for a host that knows its issuer is up (the sandbox stack). */
  prefetchIssuerKeys(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the bundled OAuth-protected MCP server. Port 0 picks a free port; the default resource
 * follows the real port. A busy port rejects with PortInUseError.
 */
export async function startMcpServer(options: McpServerOptions): Promise<RunningMcpServer> {
  const parsed = parseServerOptions(options);
  const ready: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  // Listen first: with port 0 the resource (and so the whole app) depends on the port we get.
  const listening = await listen(
    (req, res) => {
      if (ready.handler) {
        ready.handler(req, res);
        return;
      }
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(
        JSON.stringify({ error: 'starting', error_description: 'The MCP server is starting.' }),
      );
    },
    {
      host: parsed.host,
      port: parsed.port,
      label: 'MCP server',
      howToChange: 'Use --port or PORT to pick another port.',
    },
  );
  const config = resolveServerConfig(parsed, listening.port);
  const events = new ServerEvents();
  const mcpApp = createMcpApp(config, events);
  ready.handler = mcpApp.app;
  // One look at the issuer before saying "started" (bounded by issuerTimeoutMs): whoever starts
  // the server learns at once whether it can verify tokens. A failure does not stop it.
  await mcpApp.issuerHealth?.check();

  const unused: IssuerStatus = {
    state: 'ready',
    issuer: config.issuer,
    since: new Date().toISOString(),
    discovery: 'not asked: authentication is off',
  };
  let closing: Promise<void> | undefined;
  return {
    url: config.url,
    sseUrl: config.sseUrl,
    resource: config.resource,
    resourceMetadataUrl: config.resourceMetadataUrl,
    origin: config.origin,
    port: listening.port,
    host: listening.host,
    verification: config.verification,
    requiredScopes: config.requiredScopes,
    issuer: config.issuer,
    scopesSupported: config.scopesSupported,
    verificationCacheTtlMs: config.verificationCacheTtlMs,
    allowedClientIds: config.allowedClientIds,
    clockToleranceSec: config.clockToleranceSec,
    issuerStatus: () => mcpApp.issuerHealth?.status() ?? unused,
    issuerChecked: async () => {
      const health = mcpApp.issuerHealth;
      if (!health) return unused;
      return health.status().state === 'checking' ? health.check() : health.status();
    },
    events,
    stats: () => mcpApp.stats(),
    prefetchIssuerKeys: () => mcpApp.prefetchIssuerKeys(),
    close: () => {
      closing ??= (async () => {
        await mcpApp.close();
        await listening.close();
        events.removeAllListeners();
      })();
      return closing;
    },
  };
}
