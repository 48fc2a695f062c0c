import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MCPAuth } from 'mcp-auth';
import type { ServerEvents, VerificationEvent, VerifiedBy } from '../events';
import { buildBearerChallenge, type BearerErrorCode } from './challenge';
import { IssuerUnavailableError, MalformedRequestError, TokenRejectedError } from './errors';
import type { TokenVerifier, VerifiedAuthInfo } from './types';

/** Far above any real access token (Logto's JWTs are under 1 KB), far below Node's 16 KB header cap. */
export const MAX_TOKEN_LENGTH = 8_192;

/** This server's name in RFC 9211 Cache-Status (the token verdict cache). */
export const CACHE_STATUS_NAME = 'mcp-auth-desktop-verification';

/** RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface BearerOptions {
  mcpAuth: MCPAuth;
  issuer: string;
  resource: string;
  resourceMetadataUrl: string;
  scopesSupported: string[];
  requiredScopes: string[];
  verify: TokenVerifier;
  events: ServerEvents;
}

/** What the adapter decided, before it is written to the wire. */
type Decision =
  | { kind: 'no-credentials'; reason: string }
  | { kind: 'challenge'; status: 400 | 401 | 403; error: BearerErrorCode; description: string }
  | { kind: 'unavailable'; description: string }
  | { kind: 'server-error'; description: string };

interface RequestContext {
  method: VerifiedBy | null;
  info?: VerifiedAuthInfo;
}

/**
 * mcp-auth's middleware only ever calls `response.set(...).status(...).json(...)`; we hand it this
 * recorder instead of the real response so its (non-RFC 6750) answer never reaches the wire.
 */
class CapturedResponse {
  status_ = 0;
  body: unknown;
  set(): this {
    return this;
  }
  status(code: number): this {
    this.status_ = code;
    return this;
  }
  json(body: unknown): this {
    this.body = body;
    return this;
  }
}

/** How many Authorization headers arrived (req.headers shows only the first). */
function authorizationHeaderCount(req: Request): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === 'authorization') count++;
  }
  return count;
}

function authorizationScheme(req: Request): string {
  return (req.headers.authorization ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
}

/** mcp-auth's error codes, translated to RFC 6750 §3.1 (and MCP's step-up on 403). */
function fromMcpAuth(captured: CapturedResponse, req: Request, opts: BearerOptions): Decision {
  const code = (captured.body as { error?: unknown } | undefined)?.error;
  switch (code) {
    case 'missing_auth_header':
      return { kind: 'no-credentials', reason: 'no Authorization header' };
    case 'invalid_auth_header_format':
      // RFC 6750 §3.1: a request without Bearer credentials gets a bare challenge, no error code.
      if (authorizationScheme(req) !== 'bearer') {
        return {
          kind: 'no-credentials',
          reason: 'Authorization header uses another scheme than Bearer',
        };
      }
      return {
        kind: 'challenge',
        status: 400,
        error: 'invalid_request',
        description: 'The Authorization header must be exactly: Bearer <access token>.',
      };
    case 'missing_bearer_token':
      return {
        kind: 'challenge',
        status: 400,
        error: 'invalid_request',
        description: 'The Authorization header has the Bearer scheme but no token.',
      };
    case 'invalid_issuer':
      return {
        kind: 'challenge',
        status: 401,
        error: 'invalid_token',
        description: `The token was not issued by ${opts.issuer}.`,
      };
    case 'invalid_audience':
      return {
        kind: 'challenge',
        status: 401,
        error: 'invalid_token',
        description: `The token was not issued for this resource; expected audience ${opts.resource}.`,
      };
    case 'missing_required_scopes':
      return {
        kind: 'challenge',
        status: 403,
        error: 'insufficient_scope',
        description: `The token lacks a required scope; this server requires: ${opts.requiredScopes.join(' ')}.`,
      };
    default:
      if (captured.status_ >= 500) {
        return { kind: 'server-error', description: 'The token could not be checked.' };
      }
      return {
        kind: 'challenge',
        status: 401,
        error: 'invalid_token',
        description: 'The token is not valid.',
      };
  }
}

function fromThrown(error: unknown): Decision {
  if (error instanceof TokenRejectedError) {
    return {
      kind: 'challenge',
      status: 401,
      error: 'invalid_token',
      description: error.description,
    };
  }
  if (error instanceof MalformedRequestError) {
    return {
      kind: 'challenge',
      status: 400,
      error: 'invalid_request',
      description: error.description,
    };
  }
  if (error instanceof IssuerUnavailableError) {
    return {
      kind: 'unavailable',
      description: `${error.message.replace(/\.+$/, '')}. The token was not rejected; try again once the issuer answers.`,
    };
  }
  console.error('Unexpected error while verifying a bearer token:', error);
  return { kind: 'server-error', description: 'The token could not be checked (internal error).' };
}

function statusOf(decision: Decision): number {
  switch (decision.kind) {
    case 'no-credentials':
      return 401;
    case 'challenge':
      return decision.status;
    case 'unavailable':
      return 503;
    case 'server-error':
      return 500;
  }
}

function write(res: Response, decision: Decision, opts: BearerOptions): void {
  // RFC 6750 §3 / RFC 9111: an auth error must not be replayed from a cache to someone else.
  res.set('Cache-Control', 'no-store');
  const supported = opts.scopesSupported.join(' ') || undefined;
  switch (decision.kind) {
    case 'no-credentials':
      res.set(
        'WWW-Authenticate',
        buildBearerChallenge({
          resourceMetadata: opts.resourceMetadataUrl,
          ...(supported ? { scope: supported } : {}),
        }),
      );
      res.status(401).json({
        error: 'unauthorized',
        error_description: `This MCP server needs an OAuth access token: send Authorization: Bearer <token>. How to get one: ${opts.resourceMetadataUrl}`,
      });
      return;
    case 'challenge': {
      const scope =
        decision.error === 'insufficient_scope' ? opts.requiredScopes.join(' ') : supported;
      res.set(
        'WWW-Authenticate',
        buildBearerChallenge({
          error: decision.error,
          errorDescription: decision.description,
          resourceMetadata: opts.resourceMetadataUrl,
          ...(scope ? { scope } : {}),
        }),
      );
      res
        .status(decision.status)
        .json({ error: decision.error, error_description: decision.description });
      return;
    }
    case 'unavailable':
      res.set('Retry-After', '5');
      res
        .status(503)
        .json({ error: 'temporarily_unavailable', error_description: decision.description });
      return;
    case 'server-error':
      res.status(500).json({ error: 'server_error', error_description: decision.description });
      return;
  }
}

function reasonOf(decision: Decision): string {
  return decision.kind === 'no-credentials' ? decision.reason : decision.description;
}

/**
 * The edge adapter: mcp-auth decides (header parsing, our verifier, issuer check, required
 * scopes), we answer in RFC 6750 terms and report every decision as a VerificationEvent.
 */
export function createBearerMiddleware(opts: BearerOptions): RequestHandler {
  const context = new AsyncLocalStorage<RequestContext>();

  const verifyForMcpAuth = async (token: string): Promise<VerifiedAuthInfo> => {
    const ctx = context.getStore();
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new MalformedRequestError(
        `The bearer token is longer than ${MAX_TOKEN_LENGTH} characters.`,
      );
    }
    if (!B64TOKEN.test(token)) {
      throw new MalformedRequestError(
        'The bearer token contains characters a token cannot hold (RFC 6750 §2.1 b64token).',
      );
    }
    try {
      const info = await opts.verify(token);
      if (ctx) {
        ctx.method = info.extra.verifiedBy;
        ctx.info = info;
      }
      return info;
    } catch (error) {
      if (ctx && (error instanceof TokenRejectedError || error instanceof IssuerUnavailableError)) {
        ctx.method = error.method;
      }
      throw error;
    }
  };

  const mcpAuthMiddleware = opts.mcpAuth.bearerAuth(verifyForMcpAuth, {
    resource: opts.resource,
    requiredScopes: opts.requiredScopes,
    showErrorDetails: false,
  });

  return async (req: Request, res: Response, next: NextFunction) => {
    const at = new Date().toISOString();
    const started = performance.now();
    const ctx: RequestContext = { method: null };
    let decision: Decision | undefined;

    const emit = (status: number, verdict: VerificationEvent['verdict'], reason?: string) => {
      const info = ctx.info;
      const event: VerificationEvent = {
        type: 'verification',
        at,
        httpMethod: req.method,
        path: new URL(req.originalUrl, 'http://path.invalid').pathname,
        method: ctx.method,
        verdict,
        status,
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
        ...(info ? { subject: info.subject } : {}),
        ...(info?.clientId ? { clientId: info.clientId } : {}),
        ...(reason ? { reason } : {}),
        ...(info ? { cached: info.extra.cached } : {}),
      };
      opts.events.emit('verification', event);
    };

    if (authorizationHeaderCount(req) > 1) {
      // Node keeps only the first Authorization header and drops the rest; a proxy in front may
      // pick another one. RFC 6750 §3.1 invalid_request: never guess which credential counts.
      decision = {
        kind: 'challenge',
        status: 400,
        error: 'invalid_request',
        description: 'The request carries more than one Authorization header; send exactly one.',
      };
    } else if (typeof req.query.access_token !== 'undefined') {
      // RFC 6750 §2.3 tokens in URLs end up in logs; our metadata says bearer_methods_supported: header.
      decision = {
        kind: 'challenge',
        status: 400,
        error: 'invalid_request',
        description:
          'This server accepts the access token only in the Authorization header, not in the URL.',
      };
    } else {
      // RFC 6750 §2.1 allows 1*SP after "Bearer"; mcp-auth splits on single spaces.
      const header = req.headers.authorization;
      if (header && /^bearer {2,}\S+$/i.test(header)) {
        req.headers.authorization = header.replace(/^(bearer) +/i, '$1 ');
      }
      const captured = new CapturedResponse();
      let passed = false;
      try {
        await context.run(ctx, () =>
          mcpAuthMiddleware(req, captured as unknown as Response, () => {
            passed = true;
          }),
        );
        if (!passed) decision = fromMcpAuth(captured, req, opts);
      } catch (error) {
        decision = fromThrown(error);
      }
    }

    if (!decision) {
      // RFC 9211 Cache-Status: whether the verdict came from the verification cache, and how many
      // seconds it still stands (a revoked opaque token keeps working that long).
      const remaining = ctx.info?.extra.cacheRemainingMs;
      res.set(
        'Cache-Status',
        remaining === undefined
          ? `${CACHE_STATUS_NAME}; fwd=miss`
          : `${CACHE_STATUS_NAME}; hit; ttl=${Math.ceil(remaining / 1000)}`,
      );
      emit(200, 'allowed');
      next();
      return;
    }
    const status = statusOf(decision);
    write(res, decision, opts);
    emit(status, status >= 500 ? 'error' : 'rejected', reasonOf(decision));
  };
}
