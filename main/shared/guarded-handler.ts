/**
 * What every listener of the app does before and around its own handler, so that no single
 * request can end the process (the web host, the bundled server, the sandbox issuer and any
 * sign-in in progress share it): refuse request targets that are not well-formed, mark every
 * response `nosniff`, and answer an unexpected error with a 500 that is logged, never thrown.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** RFC 9112 §3.2: a request target is visible US-ASCII only. */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Why a request target is refused, or undefined when it is fine. Only origin-form
 * (`/path?query`, RFC 9112 §3.2.1) is served: absolute-form is for proxies, asterisk-form for
 * server-wide OPTIONS, and `//host/...` would parse as another host in `new URL(target, base)`.
 * The path's percent-escapes must be complete and decode to UTF-8 (RFC 3986 §2.1, §2.5). The
 * query is left to the handler: the loopback listener answers a damaged callback with a page
 * that tells the user what went wrong.
 */
export function requestTargetProblem(target: string | undefined): string | undefined {
  if (!target || !VISIBLE_ASCII.test(target)) {
    return 'The request target must be visible ASCII characters.';
  }
  if (!target.startsWith('/') || target.startsWith('//')) {
    return 'The request target must be a path starting with a single "/".';
  }
  try {
    decodeURIComponent(target.split('?', 1)[0] ?? '');
  } catch {
    return 'The request target has a malformed percent-escape in its path (% must be followed by two hex digits that encode UTF-8).';
  }
  return undefined;
}

function answer(res: ServerResponse, status: number, error: string, description: string): void {
  const body = JSON.stringify({ error, error_description: description });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** The path without its query, which may carry codes or tokens and must not reach a log. */
const pathOf = (req: IncomingMessage) => (req.url ?? '').split('?')[0]?.slice(0, 200);

/**
 * Wraps a listener's handler (sync, async or an express app). A handler that throws or rejects
 * gets a 500 if nothing was sent yet, else its connection is cut; either way the error is logged
 * under `label` and the server keeps running.
 */
export function guardHandler(
  handler: RequestListener,
  label: string,
  log: (message: string, error: unknown) => void = (message, error) =>
    console.error(message, error),
): RequestListener {
  return (req, res) => {
    // JSON error bodies and pages alike must never be sniffed into something executable.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const problem = requestTargetProblem(req.url);
    if (problem) {
      answer(res, 400, 'invalid_request', problem);
      return;
    }
    const fail = (error: unknown) => {
      log(`The ${label} failed on ${req.method} ${pathOf(req)}:`, error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      answer(res, 500, 'server_error', `The ${label} hit an internal error; see the app's log.`);
    };
    try {
      const result = handler(req, res) as unknown;
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}
