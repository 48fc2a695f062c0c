/**
 * DNS-rebinding protection shared by every listener (the MCP transport spec's "Security
 * Warning"): a page on evil.example that rebinds its name to 127.0.0.1 still sends
 * `Host: evil.example`, so a listener answers only the names it is really reached by.
 */

/** host[:port] as URL.host spells it: lower case, default port dropped, IPv6 bracketed. */
export function normalizeHost(value: string): string | undefined {
  try {
    const url = new URL(`http://${value.trim()}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash)
      return undefined;
    return url.host;
  } catch {
    return undefined;
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Any loopback origin, any port: the MCP Inspector runs in a browser at localhost:6274. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK.has(url.hostname);
  } catch {
    return false;
  }
}

/**
 * The Host values a listener on `bound`:`port` answers: the loopback names on its port, its bound
 * address, and `extra` (host[:port] values or URLs, e.g. an advertised origin or a proxy's name).
 */
export function allowedHosts(opts: { bound: string; port: number; extra?: string[] }): Set<string> {
  const bound =
    opts.bound.includes(':') && !opts.bound.startsWith('[') ? `[${opts.bound}]` : opts.bound;
  const entries = [
    `localhost:${opts.port}`,
    `127.0.0.1:${opts.port}`,
    `[::1]:${opts.port}`,
    `${bound}:${opts.port}`,
    ...(opts.extra ?? []).map((entry) => (entry.includes('://') ? new URL(entry).host : entry)),
  ];
  return new Set(entries.map(normalizeHost).filter((h): h is string => Boolean(h)));
}

/**
 * Undefined when `rawHost` is one of `hosts`, else the sentence to answer with: what was refused,
 * what is answered, and what to do about it.
 */
export function hostRefusal(
  rawHost: string | undefined,
  hosts: Set<string>,
  opts: { what: string; remedy: string },
): string | undefined {
  const host = normalizeHost(rawHost ?? '');
  if (host && hosts.has(host)) return undefined;
  return `Host ${JSON.stringify(rawHost ?? '')} is not one of the ${opts.what}'s names (${[...hosts].join(', ')}). This protects against DNS rebinding; ${opts.remedy}`;
}
