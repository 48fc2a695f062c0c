/** Copyable configuration for other MCP clients, pointed at the bundled server and the sandbox. */
import type { ConfigSnippet } from '../../preload/api';

export function clientSnippets(opts: { mcpUrl: string; scopes: string[] }): ConfigSnippet[] {
  const claude = {
    mcpServers: {
      whoami: {
        command: 'npx',
        args: [
          'mcp-remote',
          opts.mcpUrl,
          '--static-oauth-client-info',
          '{"client_id":"sandbox-native"}',
        ],
      },
    },
  };
  const cursor = { mcpServers: { whoami: { url: opts.mcpUrl } } };
  return [
    {
      client: 'MCP Inspector',
      description: `Transport Streamable HTTP, URL ${opts.mcpUrl}; in Authentication use client ID sandbox-spa (its redirect URI http://localhost:6274/oauth/callback is registered) and scope "${opts.scopes.join(' ')}".`,
      language: 'shell',
      text: 'npx @modelcontextprotocol/inspector',
    },
    {
      client: 'Claude Desktop',
      description:
        'claude_desktop_config.json, through the mcp-remote bridge, which signs in with a loopback redirect (the Native client accepts any port).',
      language: 'json',
      text: JSON.stringify(claude, null, 2),
    },
    {
      client: 'Cursor',
      description:
        '~/.cursor/mcp.json. Cursor registers itself (Dynamic Client Registration): start the sandbox with npm run serve -- --dcr.',
      language: 'json',
      text: JSON.stringify(cursor, null, 2),
    },
    {
      client: 'Command line',
      description: 'This app’s engine, headless: signs in and calls whoami.',
      language: 'shell',
      text: `npm run connect -- ${opts.mcpUrl} --client-id sandbox-native`,
    },
  ];
}
