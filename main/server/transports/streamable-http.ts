import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  NOT_ANOTHER_USERS_SESSION,
  ownerOf,
  rpcError,
  sameOwner,
  type SessionEntry,
} from './sessions';

export interface StreamableHttpOptions {
  createServer: () => McpServer;
  maxBodyBytes: number;
  /** Sessions nobody has used for this long are closed; default 30 min. */
  idleTimeoutMs?: number;
}

export interface StreamableHttpEndpoint {
  router: Router;
  sessionCount(): number;
  close(): Promise<void>;
}

/**
 * MCP Streamable HTTP (spec 2025-06-18 "Transports") with sessions: POST initialize opens one
 * (new transport + new McpServer), the Mcp-Session-Id header continues it, DELETE ends it.
 */
export function createStreamableHttpEndpoint(opts: StreamableHttpOptions): StreamableHttpEndpoint {
  const sessions = new Map<string, SessionEntry<StreamableHTTPServerTransport>>();
  const idleTimeoutMs = opts.idleTimeoutMs ?? 30 * 60_000;

  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - idleTimeoutMs;
      for (const [id, entry] of sessions) {
        if (entry.lastSeen < cutoff) {
          sessions.delete(id);
          void entry.server.close().catch(() => undefined);
        }
      }
    },
    Math.min(60_000, idleTimeoutMs),
  );
  sweep.unref();

  const openSession = async (req: Request, res: Response) => {
    const server = opts.createServer();
    const owner = ownerOf(req);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: opts.maxBodyBytes,
      onsessioninitialized: (sessionId) => {
        sessions.set(sessionId, { transport, server, owner, lastSeen: Date.now() });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
    // An initialize that failed never got a session id: nothing will reach this server again.
    if (!transport.sessionId || !sessions.has(transport.sessionId)) {
      await server.close().catch(() => undefined);
    }
  };

  const handle = async (req: Request, res: Response) => {
    const sessionHeader = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
    if (!sessionId) {
      if (req.method === 'POST' && isInitializeRequest(req.body)) {
        await openSession(req, res);
        return;
      }
      rpcError(
        res,
        400,
        -32000,
        'Bad Request: no Mcp-Session-Id header. Start with an initialize request.',
      );
      return;
    }
    const entry = sessions.get(sessionId);
    if (!entry) {
      // Spec: 404 tells the client to start a new session with initialize.
      rpcError(res, 404, -32001, 'Session not found; start a new session with initialize.');
      return;
    }
    if (!sameOwner(entry.owner, ownerOf(req))) {
      rpcError(res, 403, -32003, NOT_ANOTHER_USERS_SESSION);
      return;
    }
    entry.lastSeen = Date.now();
    await entry.transport.handleRequest(req, res, req.body);
  };

  const router = Router();
  router.post('/mcp', handle);
  router.get('/mcp', handle);
  router.delete('/mcp', handle);
  router.all('/mcp', (_req, res) => {
    res.set('Allow', 'GET, POST, DELETE');
    rpcError(res, 405, -32000, 'Method not allowed on /mcp; use POST, GET or DELETE.');
  });

  return {
    router,
    sessionCount: () => sessions.size,
    close: async () => {
      clearInterval(sweep);
      const entries = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(entries.map((entry) => entry.server.close()));
    },
  };
}
