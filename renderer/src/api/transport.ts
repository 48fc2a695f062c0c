import type { DesktopApi } from '../../../preload/api';
import { createConnectionMonitor, type ConnectionMonitor } from './connection';
import { createWebClient, takeAccessToken } from './web-client';

export type Transport =
  | { kind: 'desktop' | 'web'; api: DesktopApi; connection: ConnectionMonitor }
  | { kind: 'no-token' };

/** The desktop app's preload API when there is one, else the web host's API over HTTP. */
export function resolveTransport(win: Window = window): Transport {
  if (win.mcpAuthDesktop) {
    return {
      kind: 'desktop',
      api: win.mcpAuthDesktop,
      connection: createConnectionMonitor('open'),
    };
  }
  const token = takeAccessToken(win);
  if (!token) return { kind: 'no-token' };
  const client = createWebClient({ token });
  return { kind: 'web', api: client.api, connection: client.connection };
}
