import type { Request, Response } from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { VerifiedAuthInfo } from '../auth/types';

/**
 * A session belongs to the user whose token opened it. Another user presenting the same session
 * id (leaked in a log, guessed, shared by a proxy) is refused: the MCP authorization spec says
 * servers must not use session ids as authentication, so each request's token must still match.
 */
export interface SessionOwner {
  issuer: string | null;
  subject: string | null;
}

export function ownerOf(req: Request): SessionOwner {
  const auth = req.auth as Partial<VerifiedAuthInfo> | undefined;
  return { issuer: auth?.issuer ?? null, subject: auth?.subject ?? null };
}

export function sameOwner(a: SessionOwner, b: SessionOwner): boolean {
  return a.issuer === b.issuer && a.subject === b.subject;
}

export interface SessionEntry<T> {
  transport: T;
  server: McpServer;
  owner: SessionOwner;
  lastSeen: number;
}

/** JSON-RPC error body, the shape MCP clients expect on the /mcp endpoint. */
export function rpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

export const NOT_ANOTHER_USERS_SESSION =
  'This session was opened by another user; sign in as that user or start a new session.';
