/**
 * The reference the benchmark compares against: auth built the way the seed tutorial builds it
 * (mcp-auth's bearer middleware with a verify function that calls userinfo on EVERY request), on
 * the same stateful Streamable HTTP transport as our server, so that only the auth differs.
 */
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { MCPAuth, fetchServerConfig } from 'mcp-auth';
import { listen, type Listening } from '../../main/shared/listen';

export async function startTutorialReferenceServer(
  issuer: string,
): Promise<Listening & { url: string }> {
  const config = await fetchServerConfig(issuer, { type: 'oidc' });
  const mcpAuth = new MCPAuth({ server: config });
  const { userinfoEndpoint } = config.metadata;

  const verifyToken = async (token: string) => {
    const response = await fetch(userinfoEndpoint!, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error('Token verification failed');
    const userInfo = (await response.json()) as { sub: string };
    return { token, issuer, subject: userInfo.sub, clientId: '', scopes: [], claims: userInfo };
  };

  const app = express();
  app.use(mcpAuth.delegatedRouter());
  app.use(mcpAuth.bearerAuth(verifyToken));
  app.use(express.json());

  const transports = new Map<string, StreamableHTTPServerTransport>();
  app.post('/mcp', async (req, res) => {
    const sessionId = req.header('mcp-session-id');
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport) {
      const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, created);
        },
      });
      const server = new McpServer({ name: 'WhoAmI', version: '0.0.0' });
      server.registerTool('whoami', { description: 'Who am I?' }, ({ authInfo }) => ({
        content: [{ type: 'text', text: JSON.stringify(authInfo?.extra ?? {}) }],
      }));
      await server.connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, req.body);
  });

  const listening = await listen(app, {
    host: '127.0.0.1',
    port: 0,
    label: 'tutorial reference server',
    howToChange: '',
  });
  return { ...listening, url: `http://127.0.0.1:${listening.port}/mcp` };
}
