import type { SandboxInfo } from '../../preload/api';
import { sandboxClients } from '../issuer/clients';
import { demoUsers } from '../issuer/users';
import type { BundledStack } from './bundled-stack';

/**
 * What the first screen shows of the sandbox: where it is, its demo users and clients (the
 * sandbox's own, no secrets), known before it starts, since it starts only on first use.
 */
export function sandboxInfo(stack: BundledStack): SandboxInfo {
  return {
    issuer: stack.sandboxIssuerUrl,
    running: stack.sandboxIssuer !== undefined,
    mcpUrl: stack.server.url,
    sseUrl: stack.server.sseUrl,
    resource: stack.server.resource,
    users: demoUsers().map(({ username, password, name }) => ({ username, password, name })),
    clients: sandboxClients('').map(({ appType, clientId, firstParty }) => ({
      appType,
      clientId,
      firstParty,
    })),
  };
}
