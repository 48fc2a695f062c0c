import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a headless host keeps its files (sandbox keys, secrets). The Electron host passes its own
 * `app.getPath('userData')` instead; both may be overridden with MCP_AUTH_DESKTOP_DATA.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MCP_AUTH_DESKTOP_DATA) return env.MCP_AUTH_DESKTOP_DATA;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'mcp-auth-desktop');
  if (process.platform === 'darwin') {
    return join(homedir(), 'Library', 'Application Support', 'mcp-auth-desktop');
  }
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'mcp-auth-desktop');
}
