/**
 * Private-use URI scheme redirects (RFC 8252 §7.1). The operating system hands our
 * `app.mcpauthdesktop:` links to the app in two ways, and the Electron host passes either here:
 * - Windows and Linux start a second instance whose argv contains the link somewhere among
 *   Chromium's own switches (`second-instance` event);
 * - macOS delivers the URL itself (`open-url` event).
 */
import { APP_REDIRECT_URI, APP_SCHEME } from '../../shared/app-identity';
import { LOOPBACK_CALLBACK_PATH, LOOPBACK_HOST } from './loopback-listener';
import { MAX_CALLBACK_URL_LENGTH } from './receiver';

export type DeepLinkParse = { ok: true; url: string } | { ok: false; reason: string };

const PREFIX = `${APP_SCHEME}:`;

const isOurs = (text: string) => text.slice(0, PREFIX.length).toLowerCase() === PREFIX;

/** Finds our link in an argv array, or checks a single URL; anything else is refused with a reason. */
export function parseDeepLink(argvOrUrl: readonly string[] | string | URL): DeepLinkParse {
  if (Array.isArray(argvOrUrl)) {
    const found = (argvOrUrl as readonly unknown[])
      .filter((arg): arg is string => typeof arg === 'string')
      .map((arg) => arg.trim().replace(/^"(.*)"$/, '$1'))
      .find(isOurs);
    if (found === undefined) {
      return { ok: false, reason: `No ${PREFIX} link among the command-line arguments.` };
    }
    return parseOne(found);
  }
  return parseOne(argvOrUrl instanceof URL ? argvOrUrl.href : String(argvOrUrl));
}

function parseOne(text: string): DeepLinkParse {
  if (text.length > MAX_CALLBACK_URL_LENGTH) {
    return {
      ok: false,
      reason: `Ignored a ${text.length}-character link: MCP Auth Desktop accepts at most ${MAX_CALLBACK_URL_LENGTH}.`,
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'Ignored a link that is not a valid URL.' };
  }
  if (url.protocol !== PREFIX) {
    return {
      ok: false,
      reason: `Ignored a ${url.protocol} link: MCP Auth Desktop only handles ${PREFIX} links.`,
    };
  }
  return { ok: true, url: url.href };
}

export type RedirectMode = 'loopback' | 'custom-scheme';

/**
 * The exact redirect URI for a sign-in. Loopback with a port gives the URI the listener answers
 * at; without one, the form to register at a Logto Native app, which matches any port.
 */
export function redirectUriFor(mode: RedirectMode, loopbackPort?: number): string {
  if (mode === 'custom-scheme') return APP_REDIRECT_URI;
  if (loopbackPort === undefined) return `http://${LOOPBACK_HOST}${LOOPBACK_CALLBACK_PATH}`;
  if (!Number.isInteger(loopbackPort) || loopbackPort < 1 || loopbackPort > 65535) {
    throw new RangeError(
      `A loopback port must be a whole number from 1 to 65535, not ${loopbackPort}.`,
    );
  }
  return `http://${LOOPBACK_HOST}:${loopbackPort}${LOOPBACK_CALLBACK_PATH}`;
}

/** What the UI tells the user to register at the issuer for a redirect mode. */
export function redirectRegistrationNote(mode: RedirectMode): { register: string; note: string } {
  if (mode === 'custom-scheme') {
    return {
      register: APP_REDIRECT_URI,
      note:
        `Add ${APP_REDIRECT_URI} to the application's redirect URIs. Only the desktop app can ` +
        'receive it; the web and command-line hosts use the loopback redirect.',
    };
  }
  const register = redirectUriFor('loopback');
  return {
    register,
    note:
      `Add ${register} to the application's redirect URIs. The app listens on a port the system ` +
      'picks; a Logto Native app accepts a loopback redirect URI on any port (RFC 8252 §7.3), so ' +
      `this one entry covers them all. Issuers that match exactly need http://${LOOPBACK_HOST}:<port>${LOOPBACK_CALLBACK_PATH} with a fixed port.`,
  };
}
