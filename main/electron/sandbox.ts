/**
 * The sandbox issuer and the bundled MCP server start with the app. Their usual ports (3001 and
 * 3100) may be taken, e.g. by `npm run serve` or another tool: then the busy one moves to a free
 * port so the app still starts, and the notes say which (the app shows the URLs it really uses).
 * Also: the two redirect URIs the desktop app receives on.
 */
import type { RedirectInfo } from '../../preload/api';
import { redirectRegistrationNote } from '../client/redirect/deep-link';
import { DEFAULT_ISSUER_PORT } from '../issuer';
import { DEFAULT_SERVER_PORT } from '../server';
import { APP_REDIRECT_URI } from '../shared/app-identity';
import { PortInUseError } from '../shared/listen';
import { startSandboxStack, type SandboxStack, type SandboxStackOptions } from '../stack';

export interface DesktopSandbox {
  stack: SandboxStack;
  /** One sentence per key file whose permissions were tightened and per port that had to move. */
  notes: string[];
}

type Party = 'MCP server' | 'sandbox issuer';

export async function startSandboxWithFallback(
  options: SandboxStackOptions,
): Promise<DesktopSandbox> {
  let serverPort = options.serverPort ?? DEFAULT_SERVER_PORT;
  let issuerPort = options.issuerPort ?? DEFAULT_ISSUER_PORT;
  const moved: { what: Party; from: number }[] = [];
  // At most one retry per party: after that both ports are system-picked and cannot be "in use".
  for (let attempt = 0; ; attempt++) {
    try {
      const stack = await startSandboxStack({ ...options, serverPort, issuerPort });
      const address = (what: Party) =>
        what === 'MCP server' ? stack.server.url : stack.issuer.issuer;
      return {
        stack,
        notes: [
          ...stack.issuer.notes,
          ...moved.map(
            ({ what, from }) =>
              `Port ${from} was in use, so the ${what} runs on port ${new URL(address(what)).port} ` +
              `instead (${address(what)}). Clients set up for port ${from} must use the new address.`,
          ),
        ],
      };
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= 2) throw error;
      if (error.port === serverPort && serverPort !== 0) {
        moved.push({ what: 'MCP server', from: serverPort });
        serverPort = 0;
      } else if (error.port === issuerPort && issuerPort !== 0) {
        moved.push({ what: 'sandbox issuer', from: issuerPort });
        issuerPort = 0;
      } else {
        throw error;
      }
    }
  }
}

/** The custom scheme and the loopback listener feed one RedirectReceiver; a profile's redirectMode picks one. */
export function desktopRedirects(loopbackRedirectUri: string): RedirectInfo[] {
  return [
    {
      mode: 'custom-scheme',
      redirectUri: APP_REDIRECT_URI,
      ...redirectRegistrationNote('custom-scheme'),
    },
    { mode: 'loopback', redirectUri: loopbackRedirectUri, ...redirectRegistrationNote('loopback') },
  ];
}
