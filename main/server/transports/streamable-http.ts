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
  type SessionOwner,
} from './sessions';

export interface StreamableHttpOptions {
  createServer: () => McpServer;
  maxBodyBytes: number;
  /** Sessions nobody has used for this long are closed; default 30 min. */
  idleTimeoutMs?: number;
  /** Most sessions one user (issuer + subject) may hold; the least recently used goes first. Default 100. */
  maxSessionsPerOwner?: number;
  /** Most sessions in all; the least recently used goes first. Default 1000. */
  maxSessions?: number;
}

/** Sessions held per user and in all unless told otherwise (about 30 KB each). */
export const DEFAULT_MAX_SESSIONS_PER_OWNER = 100;
export const DEFAULT_MAX_SESSIONS = 1_000;

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

  const maxPerOwner = opts.maxSessionsPerOwner ?? DEFAULT_MAX_SESSIONS_PER_OWNER;
  const maxSessions = opts.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const closeSession = (id: string, entry: SessionEntry<StreamableHTTPServerTransport>) => {
    sessions.delete(id);
    void entry.server.close().catch(() => undefined);
  };
  /**
   * A client that initializes again and again without DELETE (a reconnect loop, a crashed tool
   * restarted) would otherwise grow the session map for the whole idle timeout. Beyond the limits
   * the least recently used sessions are closed; their client gets 404 and starts a new one.
   */
  const enforceLimits = (owner: SessionOwner) => {
    const byAge = [...sessions].sort(([, a], [, b]) => a.lastSeen - b.lastSeen);
    let owned = byAge.filter(([, entry]) => sameOwner(entry.owner, owner)).length;
    for (const [id, entry] of byAge) {
      if (owned <= maxPerOwner && sessions.size <= maxSessions) break;
      const mine = sameOwner(entry.owner, owner);
      if ((mine && owned > maxPerOwner) || sessions.size > maxSessions) {
        closeSession(id, entry);
        if (mine) owned--;
      }
    }
  };

  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - idleTimeoutMs;
      for (const [id, entry] of sessions) {
        if (entry.lastSeen < cutoff) closeSession(id, entry);
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
        enforceLimits(owner);
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
