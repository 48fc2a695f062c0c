/**
 * The session the app's page lives in: our CSP on every document it loads, every permission
 * refused (one narrow exception below), no downloads but the page's own exports.
 */
import { contentSecurityPolicy } from './csp';
import { describeUrl, type HostLog } from './log';

type Headers = Record<string, string | string[]>;

/** The parts of an Electron Session secureSession uses (a real one, or a test's fake). */
export interface SessionLike {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { url: string; resourceType: string; responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Headers }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl?: string },
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (
      webContents: unknown,
      permission: string,
      requestingOrigin: string,
      details: { requestingUrl?: string },
    ) => boolean,
  ): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  on(
    event: 'will-download',
    listener: (event: { preventDefault(): void }, item: { getURL(): string }) => void,
  ): unknown;
}

/**
 * The one permission the app's own page keeps: writing plain text to the clipboard, for the
 * "Copy" buttons next to redirect URIs and client snippets (navigator.clipboard.writeText asks
 * for it). Reading the clipboard, and everything else, stays refused.
 */
const APP_PAGE_PERMISSIONS = new Set(['clipboard-sanitized-write']);

const DOCUMENTS = new Set(['mainFrame', 'subFrame']);

export function secureSession(
  session: SessionLike,
  opts: { isAppUrl: (url: string) => boolean; log: HostLog },
): void {
  const policy = contentSecurityPolicy();
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!DOCUMENTS.has(details.resourceType)) {
      callback({});
      return;
    }
    // Any CSP the dev server might send is replaced, in whatever case it spelled the header.
    const headers: Headers = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });

  const allowed = (permission: string, url: string | undefined) =>
    APP_PAGE_PERMISSIONS.has(permission) && url !== undefined && opts.isAppUrl(url);

  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = allowed(permission, details.requestingUrl);
    if (!granted) {
      opts.log.warn(
        `Refused the "${permission}" permission asked by ${describeUrl(details.requestingUrl)}.`,
      );
    }
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    allowed(permission, details.requestingUrl),
  );
  // USB, HID, serial and Bluetooth devices: never.
  session.setDevicePermissionHandler(() => false);

  // "Export trace" may save a blob the page made itself; nothing is downloaded from the network.
  session.on('will-download', (event, item) => {
    const url = item.getURL();
    if (url.startsWith('blob:') || url.startsWith('data:')) return;
    event.preventDefault();
    opts.log.warn(`Blocked a download of ${describeUrl(url)}.`);
  });
}
