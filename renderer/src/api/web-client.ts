/**
 * The DesktopApi over HTTP, for the web host (`npm run web`): every method is
 * `POST /api/<group>.<method>` with the page's access token, events arrive over Server-Sent Events.
 * Built generically from API_ROUTES, so a method added to the contract needs no change here.
 */
import {
  buildRequests,
  type ApiMethod,
  type ApiResult,
  type AppEvent,
  type DesktopApi,
} from '../../../preload/api';
import { createConnectionMonitor, type ConnectionMonitor } from './connection';
import { ApiError } from './errors';

const TOKEN_KEY = 'mcp-auth-desktop:web-token';

export const TOKEN_INVALID =
  "This page's access token is no longer valid: open the URL printed by npm run web again.";
const TOKEN_FIX =
  'Copy the http://127.0.0.1:<port>/?token=… line from the terminal running npm run web.';
const HOST_REFUSED =
  'The app refused this page’s address: open the exact URL printed by npm run web (http://127.0.0.1:<port>/?token=…).';

/**
 * Reads the access token once: from `?token=` in the address (then removed from the address bar,
 * so it does not end up in bookmarks or screenshots), else from this tab's sessionStorage.
 */
export function takeAccessToken(win: Window = window): string | null {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage disabled: the token lives for this page load only.
    }
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return win.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export interface WebClient {
  api: DesktopApi;
  connection: ConnectionMonitor;
  /** Stops the event stream (tests, hot reload). */
  close(): void;
}

export interface WebClientOptions {
  token: string;
  /** Opens a URL the app asks for (default: a new tab). */
  openUrl?: (url: string) => void;
}

const RETRY_MS = [1_000, 2_000, 4_000, 8_000];

export function createWebClient({ token, openUrl = openInNewTab }: WebClientOptions): WebClient {
  const connection = createConnectionMonitor('connecting');
  const listeners = new Set<(event: AppEvent) => void>();

  async function call(method: ApiMethod, args: unknown[]): Promise<unknown> {
    // JSON turns a trailing `undefined` argument into null; drop them so optional parameters stay absent.
    const sent = [...args];
    while (sent.length > 0 && sent[sent.length - 1] === undefined) sent.pop();
    let response: Response;
    try {
      response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-token': token },
        body: JSON.stringify({ args: sent }),
      });
    } catch {
      throw new ApiError({
        message: 'MCP Auth Desktop does not answer: has npm run web stopped?',
        fix: 'Start it again with npm run web and open the URL it prints.',
        code: 'unreachable',
      });
    }
    if (response.status === 401) {
      connection.set('unauthorized');
      throw new ApiError({ message: TOKEN_INVALID, fix: TOKEN_FIX, code: 'unauthorized' });
    }
    if (response.status === 403) {
      throw new ApiError({ message: HOST_REFUSED, code: 'forbidden' });
    }
    if (!response.ok) {
      throw new ApiError({
        message: `The app answered ${response.status} ${response.statusText} to ${method}.`,
        code: `http_${response.status}`,
      });
    }
    const result = (await response.json()) as ApiResult<unknown>;
    if (result.ok) return result.value;
    throw new ApiError(result.error);
  }

  // --- events -----------------------------------------------------------------------------------
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let closed = false;

  function dispatch(event: AppEvent): void {
    if (event.type === 'open-url') openUrl(event.url);
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('An event listener failed', error);
      }
    }
  }

  function open(): void {
    if (closed) return;
    const es = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source = es;
    es.onopen = () => {
      attempt = 0;
      connection.set('open');
    };
    es.onmessage = (message: MessageEvent<string>) => {
      let event: AppEvent;
      try {
        event = JSON.parse(message.data) as AppEvent;
      } catch {
        console.warn('Ignored an event that is not JSON', message.data);
        return;
      }
      dispatch(event);
    };
    es.onerror = () => {
      if (closed) return;
      if (connection.get() !== 'unauthorized') connection.set('reconnecting');
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (an HTTP error): we retry.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        void scheduleRetry();
      }
    };
  }

  async function scheduleRetry(): Promise<void> {
    // A refused token never comes back: say so instead of retrying forever.
    const check = await fetch('/api/app.info', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-token': token },
      body: '{"args":[]}',
    }).catch(() => undefined);
    if (check?.status === 401) {
      connection.set('unauthorized');
      return;
    }
    const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 8_000;
    attempt += 1;
    retry = setTimeout(open, delay);
  }

  open();

  const api: DesktopApi = {
    ...buildRequests(call),
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };

  return {
    api,
    connection,
    close() {
      closed = true;
      if (retry) clearTimeout(retry);
      source?.close();
    },
  };
}

function openInNewTab(url: string): void {
  // A popup blocker may refuse an open that no click started; the flow view always offers a link.
  window.open(url, '_blank', 'noopener');
}
