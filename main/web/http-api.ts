/**
 * The web host's HTTP face: the renderer's files and the same API the Electron preload exposes,
 * on 127.0.0.1 only. Every API call carries the per-launch token (the URL printed at start);
 * Host is checked against DNS rebinding and Origin against cross-site requests.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestOf, type ApiResult } from '../../preload/api';
import { toApiError, type AppApi } from '../api';
import { readStaticFile } from '../shared/static-files';

const MAX_BODY_BYTES = 1_048_576;

/** The page may load only its own scripts and styles and talk only to its own origin. */
export const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

const SECURITY_HEADERS = {
  'content-security-policy': WEB_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export interface OpenLinks {
  /** A one-time path on this host that redirects to `url`. */
  create(url: string): string;
  take(nonce: string): string | undefined;
}

/**
 * The page must open sign-in and end-session pages, but the end-session URL carries the ID token
 * as id_token_hint and the page holds no tokens: it gets an unguessable one-time path on this host
 * instead, which redirects the new tab (RP-initiated logout needs the browser to go there).
 */
export function createOpenLinks(ttlMs = 5 * 60_000): OpenLinks {
  const links = new Map<string, { url: string; until: number }>();
  return {
    create(url) {
      for (const [nonce, link] of links) if (link.until < Date.now()) links.delete(nonce);
      const nonce = randomBytes(32).toString('base64url');
      links.set(nonce, { url, until: Date.now() + ttlMs });
      return `/open/${nonce}`;
    },
    take(nonce) {
      const link = links.get(nonce);
      links.delete(nonce);
      return link && link.until >= Date.now() ? link.url : undefined;
    },
  };
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

class BodyTooLargeError extends Error {}

/**
 * The body as text, or BodyTooLargeError past MAX_BODY_BYTES. The rest of an oversized body is
 * still read and dropped, so the 413 reaches the client instead of a reset connection.
 */
function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
    return Promise.reject(new BodyTooLargeError());
  }
  return new Promise((resolve, reject) => {
    let size = 0;
    let chunks: Buffer[] | undefined = [];
    req.on('data', (chunk: Buffer) => {
      if (!chunks) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      chunks = undefined;
      reject(new BodyTooLargeError());
    });
    req.on('end', () => chunks && resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface HttpApiOptions {
  api: AppApi;
  /** One-time links to external pages (see `createOpenLinks`). */
  links: OpenLinks;
  token: string;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  /** Filled in once listening: the Host values and the Origin this page is served from. */
  origin: () => { hosts: string[]; origin: string };
}

export function createHttpApiHandler(opts: HttpApiOptions) {
  const serveFile = async (res: ServerResponse, path: string) => {
    const found = await readStaticFile(opts.rendererDir, path);
    if (found.status !== 200) {
      return json(res, found.status, {
        error: found.status === 400 ? 'The path is not valid.' : 'not found',
      });
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': found.contentType,
      'cache-control': found.file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    res.end(found.body);
  };

  const events = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = opts.api.subscribe((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  };

  const call = async (req: IncomingMessage, res: ServerResponse, method: string) => {
    const request = requestOf(opts.api, method);
    if (!request) return json(res, 404, { error: `no API method ${method}` });
    let text: string;
    try {
      text = await readBody(req);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return json(res, 413, {
        error: `Request bodies are limited to ${MAX_BODY_BYTES / 1_048_576} MB.`,
      });
    }
    let args: unknown[];
    try {
      const body = JSON.parse(text || '{}') as { args?: unknown };
      args = Array.isArray(body.args) ? body.args : [];
    } catch {
      return json(res, 400, { error: 'The request body must be JSON: {"args": [...]}' });
    }
    let result: ApiResult<unknown>;
    try {
      result = { ok: true, value: await request(...args) };
    } catch (error) {
      result = { ok: false, error: toApiError(error) };
    }
    json(res, 200, result);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { hosts, origin } = opts.origin();
    if (!hosts.includes(req.headers.host ?? '')) {
      return json(res, 403, { error: 'This address is served only as 127.0.0.1 or localhost.' });
    }
    const target = req.url ?? '/';
    if (!URL.canParse(target, origin))
      return json(res, 400, { error: 'The address is not valid.' });
    const url = new URL(target, origin);
    if (url.pathname.startsWith('/open/') && req.method === 'GET') {
      const target = opts.links.take(url.pathname.slice('/open/'.length));
      if (!target) return json(res, 404, { error: 'This link was already used or has expired.' });
      res.writeHead(302, { ...SECURITY_HEADERS, location: target, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.headers.origin && req.headers.origin !== origin) {
        return json(res, 403, { error: 'Cross-site requests are refused.' });
      }
      if (url.pathname === '/api/events' && req.method === 'GET') {
        if (!sameToken(url.searchParams.get('token'), opts.token)) {
          return json(res, 401, { error: 'Wrong or missing access token.' });
        }
        return events(req, res);
      }
      if (req.method !== 'POST') return json(res, 405, { error: 'API calls are POST requests.' });
      if (!sameToken(req.headers['x-api-token'] as string | undefined, opts.token)) {
        return json(res, 401, { error: 'Wrong or missing access token.' });
      }
      return call(req, res, url.pathname.slice('/api/'.length));
    }
    if (req.method !== 'GET') return json(res, 405, { error: 'Only GET here.' });
    return serveFile(res, url.pathname);
  };
}
