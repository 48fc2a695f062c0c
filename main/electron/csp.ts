/**
 * The Content Security Policy of the app's own page. It is sent as a response header (which alone
 * can carry frame-ancestors) by the app:// handler (app-protocol.ts) and, for the dev server, by
 * `secureSession`; and as the `<meta>` tag in renderer/index.html, a second line of defence.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  // Only the bundled scripts: no inline script, no eval, no remote code.
  'script-src': ["'self'"],
  // Relaxation: 'unsafe-inline' for styles only. React's `style={...}` attributes and Vite's
  // injected <style> tags need it; CSS cannot run script, and the page shows no third-party HTML.
  'style-src': ["'self'", "'unsafe-inline'"],
  // Relaxation: data: for inline icons; https: because a signed-in user's avatar (the `picture`
  // claim) is a remote picture on the identity provider's or a CDN's host, unknown in advance.
  // Images cannot run script; plain http: stays blocked.
  'img-src': ["'self'", 'data:', 'https:'],
  // The renderer makes no network calls of its own: everything goes through the preload's IPC.
  'connect-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'object-src': ["'none'"],
};

/** Directives a browser ignores (with a console warning) when the policy comes from a <meta> tag. */
const HEADER_ONLY = new Set(['frame-ancestors']);

/** The policy as a response header value. */
export function contentSecurityPolicy(): string {
  return Object.entries(CSP_DIRECTIVES)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** The same policy for renderer/index.html's `<meta http-equiv="Content-Security-Policy">`. */
export function metaContentSecurityPolicy(): string {
  return Object.entries(CSP_DIRECTIVES)
    .filter(([name]) => !HEADER_ONLY.has(name))
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}
