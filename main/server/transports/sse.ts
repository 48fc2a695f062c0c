import { Router, type Request, type Response } from 'express';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { NOT_ANOTHER_USERS_SESSION, ownerOf, sameOwner, type SessionEntry } from './sessions';

export interface SseOptions {
  createServer: () => McpServer;
}

export interface SseEndpoint {
  router: Router;
  sessionCount(): number;
  close(): Promise<void>;
}

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05) that the Logto and mcp-auth tutorials and the
 * MCP Inspector's "SSE" setting use: GET /sse opens the stream, POST /messages?sessionId= sends.
 */
export function createSseEndpoint(opts: SseOptions): SseEndpoint {
  const sessions = new Map<string, SessionEntry<SSEServerTransport>>();

  const router = Router();

  router.get('/sse', async (req: Request, res: Response) => {
    const transport = new SSEServerTransport('/messages', res);
    const server = opts.createServer();
    sessions.set(transport.sessionId, {
      transport,
      server,
      owner: ownerOf(req),
      lastSeen: Date.now(),
    });
    res.on('close', () => {
      sessions.delete(transport.sessionId);
      void server.close().catch(() => undefined);
    });
    await server.connect(transport);
  });

  router.post('/messages', async (req: Request, res: Response) => {
    const sessionId = typeof req.query.sessionId === 'string' ? req.query.sessionId : undefined;
    if (!sessionId) {
      res.status(400).json({
        error: 'invalid_request',
        error_description:
          'Missing sessionId query parameter; open the stream with GET /sse first.',
      });
      return;
    }
    const entry = sessions.get(sessionId);
    if (!entry) {
      res.status(404).json({
        error: 'session_not_found',
        error_description: 'No open SSE stream has this sessionId; reconnect with GET /sse.',
      });
      return;
    }
    if (!sameOwner(entry.owner, ownerOf(req))) {
      res.status(403).json({ error: 'forbidden', error_description: NOT_ANOTHER_USERS_SESSION });
      return;
    }
    entry.lastSeen = Date.now();
    await entry.transport.handlePostMessage(req, res, req.body);
  });

  router.all(['/sse', '/messages'], (req, res) => {
    res.set('Allow', req.path === '/sse' ? 'GET' : 'POST');
    res.status(405).json({
      error: 'method_not_allowed',
      error_description: `Use ${req.path === '/sse' ? 'GET /sse' : 'POST /messages'}.`,
    });
  });

  return {
    router,
    sessionCount: () => sessions.size,
    close: async () => {
      const entries = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(entries.map((entry) => entry.server.close()));
    },
  };
}
