import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { APP_NAME } from '../shared/app-identity';
import { registerWhoamiTool } from './tools/whoami';

export const SERVER_NAME = 'mcp-auth-desktop';
export const SERVER_VERSION = '0.1.0';

/** One per session: the SDK binds a server instance to exactly one transport. */
export function createMcpServer(): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: `${APP_NAME} server`, version: SERVER_VERSION },
    {
      capabilities: { tools: {} },
      instructions: 'Call whoami to see which user and client the access token belongs to.',
    },
  );
  registerWhoamiTool(server);
  return server;
}
