import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * DNS-rebinding protection (the MCP transport spec's "Security Warning"): a page on evil.example
 * that rebinds its name to 127.0.0.1 still sends `Host: evil.example`, and a browser always sends
 * its page's Origin. We answer only our own names and loopback (or configured) origins.
 */

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

/** host[:port] as URL.host spells it: lower case, default port dropped, IPv6 bracketed. */
export function normalizeHost(value: string): string | undefined {
  try {
    const url = new URL(`http://${value.trim()}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash)
      return undefined;
    return url.host;
  } catch {
    return undefined;
  }
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

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Any loopback origin, any port: the MCP Inspector runs in a browser at localhost:6274. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK.has(url.hostname);
  } catch {
    return false;
  }
}

export function allowedHostSet(policy: OriginPolicy): Set<string> {
  const bound =
    policy.host.includes(':') && !policy.host.startsWith('[') ? `[${policy.host}]` : policy.host;
  const entries = [
    `localhost:${policy.port}`,
    `127.0.0.1:${policy.port}`,
    `[::1]:${policy.port}`,
    `${bound}:${policy.port}`,
    new URL(policy.resource).host,
    new URL(policy.origin).host,
    ...policy.allowedHosts,
  ];
  return new Set(entries.map(normalizeHost).filter((h): h is string => Boolean(h)));
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
  const hostList = [...hosts].join(', ');
  return (req: Request, res: Response, next: NextFunction) => {
    const rawHost = req.headers.host ?? '';
    const host = normalizeHost(rawHost);
    if (!host || !hosts.has(host)) {
      forbid(
        res,
        'host_not_allowed',
        `Host ${JSON.stringify(rawHost)} is not one of this server's names (${hostList}). This protects against DNS rebinding; add the name to allowedHosts if you put a proxy in front.`,
      );
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
