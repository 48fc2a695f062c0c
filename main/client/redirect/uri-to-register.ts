/**
 * Which redirect URI to tell a person to register for the one this app sends. A loopback URI goes
 * without its port: the port changes at every launch, and a Logto Native app matches a portless
 * loopback URI on any port (RFC 8252 §7.3; docs/logto.md). A profile's fixed port is kept, since
 * SPA and Traditional web apps match exactly. Anything else is registered as it is.
 */
export function uriToRegister(redirectUri: string, fixedPort?: number): string {
  const url = loopbackUrl(redirectUri);
  if (!url) return redirectUri;
  const port = fixedPort === undefined ? '' : `:${fixedPort}`;
  return `${url.protocol}//${url.hostname}${port}${url.pathname}`;
}

/** The redirect URI as a URL when it is an http loopback one, which RFC 8252 §7.3 lets vary by port. */
export function loopbackUrl(redirectUri: string | undefined): URL | undefined {
  const url = redirectUri ? URL.parse(redirectUri) : null;
  return url?.protocol === 'http:' && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname)
    ? url
    : undefined;
}
