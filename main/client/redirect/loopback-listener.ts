/**
 * RFC 8252 §7.3 loopback redirect: a tiny HTTP server on 127.0.0.1 that receives the browser's
 * redirect at `/callback`, hands it to the RedirectReceiver and shows the user a self-contained
 * page saying what happened. One listener serves any number of sign-ins, one after another or at
 * the same time (the receiver tells them apart by state).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '../../shared/listen';
import type { DeliveryResult, RedirectReceiver, SignInOutcome } from './receiver';

export const LOOPBACK_HOST = '127.0.0.1';
export const LOOPBACK_CALLBACK_PATH = '/callback';

export interface LoopbackListenerOptions {
  receiver: RedirectReceiver;
  /** 127.0.0.1 by default (RFC 8252 §8.3 prefers the IP literal over "localhost"). */
  host?: '127.0.0.1' | '::1';
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  path?: string;
  /** How long the page waits for the token exchange before saying it is still finishing; 15 s. */
  outcomeWaitMs?: number;
}

export interface LoopbackListener {
  /** The exact redirect URI to send in the authorization and token requests. */
  redirectUri: string;
  port: number;
  close(): Promise<void>;
}

export async function startLoopbackListener(
  opts: LoopbackListenerOptions,
): Promise<LoopbackListener> {
  const host = opts.host ?? LOOPBACK_HOST;
  const path = opts.path ?? LOOPBACK_CALLBACK_PATH;
  if (!path.startsWith('/') || /[?#]/.test(path)) {
    throw new TypeError(
      `The callback path must start with "/" and have no query or fragment: ${path}`,
    );
  }
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  // Filled in once the port is known; no request can arrive before that.
  let authority = '';
  let redirectUri = '';

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example.
    if ((req.headers.host ?? '').toLowerCase() !== authority) {
      send(res, 403, {
        tone: 'error',
        title: 'Wrong address',
        message: `This sign-in receiver only answers at ${redirectUri}.`,
      });
      return;
    }
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      send(res, 405, {
        tone: 'error',
        title: 'Method not allowed',
        message: 'This sign-in receiver only accepts the browser’s GET redirect.',
      });
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${authority}`);
    } catch {
      send(res, 400, { tone: 'error', title: 'Bad request', message: 'The address is not valid.' });
      return;
    }
    if (url.pathname !== path) {
      send(res, 404, {
        tone: 'error',
        title: 'Not found',
        message: `Nothing here. MCP Auth Desktop receives sign-ins at ${redirectUri}.`,
      });
      return;
    }
    const result = opts.receiver.deliver(`${redirectUri}${url.search}`, 'loopback');
    if (result.status !== 'completed') {
      send(res, statusFor(result), pageFor(result));
      return;
    }
    // "Signed in" only once the code has become tokens (issue: a page must not claim success the
    // token exchange then denies).
    void settledPage(result.outcome, opts.outcomeWaitMs ?? 15_000).then((page) =>
      send(res, 200, page),
    );
  };

  const listening = await listen(handler, {
    host,
    port: opts.port ?? 0,
    label: 'sign-in callback receiver',
    howToChange: 'Choose another loopback port, or 0 to let the system pick a free one.',
  });
  authority = `${hostInUrl}:${listening.port}`;
  redirectUri = `http://${authority}${path}`;
  return { redirectUri, port: listening.port, close: () => listening.close() };
}

async function settledPage(outcome: Promise<SignInOutcome>, waitMs: number): Promise<PageContent> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
    timer.unref();
  });
  const settled = await Promise.race([outcome, late]);
  clearTimeout(timer);
  if (!settled) {
    return {
      tone: 'cancelled',
      title: 'Finishing the sign-in',
      message:
        'MCP Auth Desktop received the code and is still exchanging it for tokens. Return to the app to see how it ends.',
    };
  }
  if (settled.ok === 'waiting-in-app') {
    return {
      tone: 'cancelled',
      title: 'Code received — continue in MCP Auth Desktop',
      message:
        'The app received the code. Step through is waiting for you to exchange it for tokens there. You can close this tab.',
    };
  }
  if (settled.ok) {
    return {
      tone: 'success',
      title: 'Signed in — you can return to MCP Auth Desktop',
      message:
        'The sign-in is complete: the code was exchanged for tokens. You can close this tab.',
    };
  }
  return {
    tone: 'error',
    title: settled.title,
    message: settled.message,
    ...(settled.hint !== undefined && { hint: settled.hint }),
  };
}

/** 200 when the response reached its flow (whatever the outcome), 4xx when it was refused. */
function statusFor(result: DeliveryResult): number {
  if (result.status !== 'rejected' || result.reason === 'cancel-suspected') return 200;
  return result.reason === 'oversized' ? 414 : 400;
}

type Tone = 'success' | 'cancelled' | 'error';

interface PageContent {
  tone: Tone;
  title: string;
  message: string;
  hint?: string;
}

function pageFor(result: DeliveryResult): PageContent {
  const tone: Tone =
    result.status === 'completed'
      ? 'success'
      : result.status === 'rejected' && result.reason === 'cancel-suspected'
        ? 'cancelled'
        : 'error';
  return {
    tone,
    title: result.title,
    message: result.message,
    ...(result.hint === undefined ? {} : { hint: result.hint }),
  };
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

const MARKS: Record<Tone, string> = { success: '✓', cancelled: '–', error: '!' };

/** A complete page with no external assets; all text passes through escapeHtml. */
export function renderCallbackPage(content: PageContent): string {
  const { tone, title, message, hint } = content;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · MCP Auth Desktop</title>
<style>
:root{--bg:#f6f7f9;--card:#fff;--text:#1d2129;--muted:#5c6370;--border:#e3e6eb;--success:#1a7f37;--cancelled:#8a6d00;--error:#c62828}
@media (prefers-color-scheme:dark){:root{--bg:#15171b;--card:#1f2228;--text:#e8eaed;--muted:#a0a6b1;--border:#30343c;--success:#4ac26b;--cancelled:#e3b341;--error:#ff7b72}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:24px}
main{max-width:520px;width:100%;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:32px}
.mark{width:44px;height:44px;border-radius:50%;display:grid;place-items:center;font-size:24px;font-weight:700;color:#fff;margin-bottom:16px}
.success .mark{background:var(--success)}.cancelled .mark{background:var(--cancelled)}.error .mark{background:var(--error)}
h1{font-size:1.25rem;margin:0 0 8px}
p{margin:0 0 12px;overflow-wrap:anywhere}
.hint{color:var(--muted)}
footer{margin-top:20px;font-size:.8rem;color:var(--muted)}
</style>
</head>
<body>
<main class="${tone}">
<div class="mark" aria-hidden="true">${MARKS[tone]}</div>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
${hint === undefined ? '' : `<p class="hint">${escapeHtml(hint)}</p>\n`}<footer>MCP Auth Desktop</footer>
</main>
</body>
</html>
`;
}

function send(res: ServerResponse, status: number, content: PageContent): void {
  const body = renderCallbackPage(content);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  res.end(body);
}
