/**
 * The sandbox: the Logto-like issuer and the bundled MCP server, started together and wired so
 * that the server trusts the issuer and the issuer knows the server as an API resource. Every host
 * (desktop, web, cli) and the integration tests start it through here.
 */
import { startIssuer, sandboxApiResource, DEFAULT_ISSUER_PORT, type RunningIssuer } from './issuer';
import {
  startMcpServer,
  DEFAULT_SERVER_PORT,
  type RunningMcpServer,
  type VerificationMode,
} from './server';
import type { SandboxInfo } from '../preload/api';
import { freePort } from './shared/free-port';

export interface SandboxStackOptions {
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  serverPort?: number;
  /** 0 picks a free port. */
  issuerPort?: number;
  verification?: VerificationMode;
  requiredScopes?: string[];
  /** What the server advertises (PRM scopes_supported and its 401 challenge). */
  scopesSupported?: string[];
  verificationCacheTtlMs?: number;
  dynamicClientRegistration?: boolean;
}

export interface SandboxStack {
  issuer: RunningIssuer;
  server: RunningMcpServer;
  close(): Promise<void>;
}

export async function startSandboxStack(options: SandboxStackOptions): Promise<SandboxStack> {
  const host = options.host ?? '127.0.0.1';
  // The issuer must know the server's resource indicator before the server exists, and the
  // indicator carries the server's port: settle the port first.
  const requestedPort = options.serverPort ?? DEFAULT_SERVER_PORT;
  const serverPort = requestedPort === 0 ? await freePort(host) : requestedPort;
  const resource = `http://localhost:${serverPort}/`;

  const issuer = await startIssuer({
    host,
    port: options.issuerPort ?? DEFAULT_ISSUER_PORT,
    dataDir: options.dataDir,
    apiResources: [sandboxApiResource(resource)],
    ...(options.dynamicClientRegistration !== undefined && {
      dynamicClientRegistration: options.dynamicClientRegistration,
    }),
  });
  try {
    const server = await startMcpServer({
      host,
      port: serverPort,
      issuer: issuer.issuer,
      resource,
      ...(options.verification && { verification: options.verification }),
      ...(options.requiredScopes && { requiredScopes: options.requiredScopes }),
      ...(options.scopesSupported && { scopesSupported: options.scopesSupported }),
      ...(options.verificationCacheTtlMs !== undefined && {
        verificationCacheTtlMs: options.verificationCacheTtlMs,
      }),
    });
    // The issuer is up: fetch its keys now rather than in the path of the first signed-in call.
    void server.prefetchIssuerKeys();
    return {
      issuer,
      server,
      close: async () => {
        await Promise.allSettled([server.close(), issuer.close()]);
      },
    };
  } catch (error) {
    await issuer.close();
    throw error;
  }
}

/** What the first screen and `serve` show: URLs, demo users and clients (the sandbox's own, not secrets of a tenant). */
export function sandboxInfo(stack: SandboxStack): SandboxInfo {
  return {
    issuer: stack.issuer.issuer,
    mcpUrl: stack.server.url,
    sseUrl: stack.server.sseUrl,
    resource: stack.server.resource,
    users: stack.issuer.users.map(({ username, password, name }) => ({ username, password, name })),
    clients: stack.issuer.clients.map(({ appType, clientId, firstParty }) => ({
      appType,
      clientId,
      firstParty,
    })),
  };
}
