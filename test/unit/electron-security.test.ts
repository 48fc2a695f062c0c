// The Electron binary cannot be downloaded on this project's machines, so the session guard is
// driven with a small hand-written fake of Electron's Session (webRequest, permission handlers,
// will-download). That fake is the only one here; test/electron/ runs the real thing.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  CSP_DIRECTIVES,
  metaContentSecurityPolicy,
} from '../../main/electron/csp';
import { secureSession, type SessionLike } from '../../main/electron/session';

const APP = 'app://renderer/index.html';

type HeadersListener = Parameters<SessionLike['webRequest']['onHeadersReceived']>[0];
type RequestHandler = Parameters<SessionLike['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<SessionLike['setPermissionCheckHandler']>[0];

class FakeSession extends EventEmitter {
  headers: HeadersListener | undefined;
  request: RequestHandler | undefined;
  check: CheckHandler | undefined;
  device: ((details: unknown) => boolean) | undefined;
  webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headers = listener;
    },
  };
  setPermissionRequestHandler(handler: RequestHandler) {
    this.request = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler) {
    this.check = handler;
  }
  setDevicePermissionHandler(handler: (details: unknown) => boolean) {
    this.device = handler;
  }
}

function setup() {
  const session = new FakeSession();
  const logged: string[] = [];
  secureSession(session, {
    isAppUrl: (url) => url.startsWith(APP),
    log: { warn: (message) => logged.push(message) },
  });
  const headersFor = (resourceType: string, responseHeaders?: Record<string, string[]>) => {
    let response: { responseHeaders?: Record<string, string | string[]> } | undefined;
    session.headers?.(
      { url: 'http://localhost:5173/', resourceType, ...(responseHeaders && { responseHeaders }) },
      (r) => (response = r),
    );
    return response;
  };
  const request = (permission: string, requestingUrl = APP) => {
    let granted: boolean | undefined;
    session.request?.({}, permission, (g) => (granted = g), { requestingUrl });
    return granted;
  };
  return { session, logged, headersFor, request };
}

describe('contentSecurityPolicy', () => {
  const directives = new Map(
    contentSecurityPolicy()
      .split('; ')
      .map((part) => {
        const [name = '', ...values] = part.split(' ');
        return [name, values.join(' ')];
      }),
  );

  it.each([
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self' 'unsafe-inline'"],
    ['img-src', "'self' data: https:"],
    ['connect-src', "'self'"],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['object-src', "'none'"],
  ])('%s is %s', (name, value) => {
    expect(directives.get(name)).toBe(value);
  });

  it('has exactly those directives, and no unsafe script source anywhere', () => {
    expect(directives.size).toBe(9);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
    expect(contentSecurityPolicy()).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'",
    );
  });

  it('the <meta> form drops only frame-ancestors (ignored in a meta tag)', () => {
    expect(metaContentSecurityPolicy()).toBe(
      contentSecurityPolicy().replace("frame-ancestors 'none'; ", ''),
    );
    expect(Object.keys(CSP_DIRECTIVES)).toContain('frame-ancestors');
  });

  it('renderer/index.html carries a CSP meta tag at least as strict for scripts', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });
});

describe('secureSession', () => {
  it('sends the CSP header with every document, replacing any other CSP', () => {
    const { headersFor } = setup();
    const main = headersFor('mainFrame', {
      'content-type': ['text/html'],
      'content-security-policy': ['default-src *'],
    });
    expect(main?.responseHeaders).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': [contentSecurityPolicy()],
    });
    expect(headersFor('subFrame')?.responseHeaders?.['Content-Security-Policy']).toEqual([
      contentSecurityPolicy(),
    ]);
  });

  it('leaves other responses (scripts, images) alone', () => {
    const { headersFor } = setup();
    expect(headersFor('script', { 'content-type': ['text/javascript'] })).toEqual({});
    expect(headersFor('image')).toEqual({});
  });

  it('denies every permission request and logs it', () => {
    const { request, logged } = setup();
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'hid',
      'unknown',
    ]) {
      expect(request(permission)).toBe(false);
    }
    expect(logged).toHaveLength(8);
    expect(logged[0]).toBe('Refused the "media" permission asked by app://renderer/index.html.');
  });

  it('lets only the app page write to the clipboard (Copy buttons)', () => {
    const { request, session } = setup();
    expect(request('clipboard-sanitized-write')).toBe(true);
    expect(request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(
      session.check?.({}, 'clipboard-sanitized-write', 'app://renderer', { requestingUrl: APP }),
    ).toBe(true);
    expect(session.check?.({}, 'clipboard-read', 'app://renderer', { requestingUrl: APP })).toBe(
      false,
    );
    expect(session.check?.({}, 'media', 'app://renderer', { requestingUrl: APP })).toBe(false);
    expect(session.check?.({}, 'clipboard-sanitized-write', 'https://evil.example', {})).toBe(
      false,
    );
  });

  it('denies device access and network downloads; the page may save its own exports', () => {
    const { session, logged } = setup();
    expect(session.device?.({ deviceType: 'usb' })).toBe(false);
    const download = (url: string) => {
      let prevented = false;
      session.emit(
        'will-download',
        { preventDefault: () => (prevented = true) },
        { getURL: () => url },
      );
      return prevented;
    };
    expect(download('https://evil.example/payload.exe?token=secret')).toBe(true);
    expect(download('blob:file:///4b6f-9a')).toBe(false);
    expect(logged).toEqual(['Blocked a download of https://evil.example/payload.exe.']);
  });
});
