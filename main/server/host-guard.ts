/**
 * DNS-rebinding protection (the Host check shared by every listener, main/shared/host-check.ts)
 * plus the Origin check: a browser always sends its page's Origin. We answer only our own names
 * and loopback (or configured) origins.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { allowedHosts, hostRefusal, isLoopbackOrigin } from '../shared/host-check';

export { isLoopbackOrigin, normalizeHost } from '../shared/host-check';

export interface OriginPolicy {
  port: number;
  /** Bound interface, e.g. 127.0.0.1. */
  host: string;
  resource: string;
  /** Origin advertised to clients (url/sseUrl). */
  origin: string;
  allowedHosts: string[];
  allowedOrigins: string[];
}

export function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export function allowedHostSet(policy: OriginPolicy): Set<string> {
  return allowedHosts({
    bound: policy.host,
    port: policy.port,
    extra: [policy.resource, policy.origin, ...policy.allowedHosts],
  });
}

export function isOriginAllowed(origin: string, allowedOrigins: Set<string>): boolean {
  if (isLoopbackOrigin(origin)) return true;
  const normalized = normalizeOrigin(origin);
  return normalized !== undefined && allowedOrigins.has(normalized);
}

function forbid(res: Response, error: string, description: string): void {
  res.set('Cache-Control', 'no-store').status(403).json({ error, error_description: description });
}

export function createHostGuard(policy: OriginPolicy): RequestHandler {
  const hosts = allowedHostSet(policy);
  const origins = new Set(
    policy.allowedOrigins.map(normalizeOrigin).filter((o): o is string => Boolean(o)),
  );
  return (req: Request, res: Response, next: NextFunction) => {
    const refusal = hostRefusal(req.headers.host, hosts, {
      what: 'MCP server',
      remedy: 'add the name to allowedHosts if you put a proxy in front.',
    });
    if (refusal) {
      forbid(res, 'host_not_allowed', refusal);
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !isOriginAllowed(origin, origins)) {
      forbid(
        res,
        'origin_not_allowed',
        `Requests from the web page at ${JSON.stringify(origin)} are not allowed; only loopback origins${origins.size ? ` and ${[...origins].join(', ')}` : ''} may call this server. Add it to allowedOrigins to permit it.`,
      );
      return;
    }
    next();
  };
}

const ALLOWED_REQUEST_HEADERS =
  'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID';
/** Browser clients must read the challenge (to start OAuth) and the session id (to continue). */
const EXPOSED_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version';

/** CORS for origins the host guard let through (it runs first, so every Origin here is allowed). */
export function createCors(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (!origin) {
      next();
      return;
    }
    res.vary('Origin');
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      // Preflights carry no credentials: answer before the bearer check.
      res.set('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
      res.set('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS);
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
