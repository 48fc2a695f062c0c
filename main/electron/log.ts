/**
 * How the Electron host reports what it refused or could not do: one sentence per event, never a
 * secret. URLs are shortened to their origin and path (queries carry OAuth state, codes, tokens).
 */
export interface HostLog {
  warn(message: string): void;
}

export const consoleLog: HostLog = {
  warn: (message) => console.warn(`[MCP Auth Desktop] ${message}`),
};

const MAX_LOGGED_URL = 200;

/** Enough of a URL to recognise it in a log line: scheme, host and path; never query or fragment. */
export function describeUrl(input: unknown): string {
  if (typeof input !== 'string') return 'a non-text URL';
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return 'a malformed URL';
  }
  const text = ['http:', 'https:', 'file:', 'app:'].includes(url.protocol)
    ? `${url.protocol}//${url.host}${url.pathname}`
    : `a ${url.protocol} URL`;
  return text.length > MAX_LOGGED_URL ? `${text.slice(0, MAX_LOGGED_URL)}…` : text;
}
