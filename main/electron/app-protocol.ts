/**
 * The app's own page comes from `app://renderer/`, a privileged custom scheme, not from file://
 * (Electron security checklist item 18): a file:// page may read any file:// URL the user can,
 * while this handler serves only the built renderer's folder, refuses everything else, and sends
 * the CSP as a real response header (frame-ancestors included).
 */
import type { CustomScheme } from 'electron';
import { readStaticFile } from '../shared/static-files';
import { contentSecurityPolicy } from './csp';

export const APP_PAGE_SCHEME = 'app';
export const APP_PAGE_HOST = 'renderer';
export const APP_PAGE_URL = `${APP_PAGE_SCHEME}://${APP_PAGE_HOST}/index.html`;

/**
 * For protocol.registerSchemesAsPrivileged, before the app is ready. `standard` gives the page a
 * real origin (app://renderer) so 'self' and relative URLs work; `secure` makes it a secure
 * context (the clipboard API needs one); `corsEnabled` and `supportFetchAPI` let the bundle's
 * `<script type="module" crossorigin>` load from its own origin. Nothing bypasses the CSP.
 */
export const APP_PAGE_PRIVILEGES: CustomScheme = {
  scheme: APP_PAGE_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
};

function refuse(status: number, reason: string): Response {
  return new Response(reason, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

/** The handler for protocol.handle(APP_PAGE_SCHEME, ...): files of `root` (out/renderer), GET only. */
export function createAppPageHandler(opts: {
  root: string;
}): (request: Request) => Promise<Response> {
  const policy = contentSecurityPolicy();
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(405, 'The app page is read-only.');
    }
    const url = URL.canParse(request.url) ? new URL(request.url) : undefined;
    if (!url || url.host !== APP_PAGE_HOST) return refuse(404, 'Not part of the app.');
    const found = await readStaticFile(opts.root, url.pathname);
    if (found.status !== 200) return refuse(found.status, 'Not part of the app.');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(found.body), {
      status: 200,
      headers: {
        'content-type': found.contentType,
        'content-security-policy': policy,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  };
}
