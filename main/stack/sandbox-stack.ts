import type { RunningIssuer } from '../issuer';
import { DEFAULT_SERVER_SETTINGS, type RunningMcpServer, type VerificationMode } from '../server';
import { BundledStack } from './bundled-stack';

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
  allowedClientIds?: string[];
  dynamicClientRegistration?: boolean;
}

/** The bundled server trusting a running sandbox issuer: what most tests and benchmarks need. */
export interface SandboxStack {
  issuer: RunningIssuer;
  server: RunningMcpServer;
  stack: BundledStack;
  close(): Promise<void>;
}

export async function startSandboxStack(options: SandboxStackOptions): Promise<SandboxStack> {
  const stack = await BundledStack.start({
    dataDir: options.dataDir,
    ...(options.host && { host: options.host }),
    ...(options.serverPort !== undefined && { serverPort: options.serverPort }),
    ...(options.issuerPort !== undefined && { issuerPort: options.issuerPort }),
    ...(options.dynamicClientRegistration !== undefined && {
      dynamicClientRegistration: options.dynamicClientRegistration,
    }),
    settings: {
      ...DEFAULT_SERVER_SETTINGS,
      ...(options.verification && { verification: options.verification }),
      ...(options.requiredScopes && { requiredScopes: options.requiredScopes }),
      ...(options.scopesSupported && { scopesSupported: options.scopesSupported }),
      ...(options.allowedClientIds && { allowedClientIds: options.allowedClientIds }),
      ...(options.verificationCacheTtlMs !== undefined && {
        cacheTtlSec: options.verificationCacheTtlMs / 1000,
      }),
    },
  });
  return {
    issuer: await stack.sandbox(),
    server: stack.server,
    stack,
    close: () => stack.close(),
  };
}
