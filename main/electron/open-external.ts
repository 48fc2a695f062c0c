/**
 * The only way anything leaves the app for the system browser. `shell.openExternal` hands a URL to
 * the operating system, which may run any registered handler: a page that could call it freely
 * could start programs. So it opens only http(s) URLs the API itself asked to open (a flow's
 * authorization or end-session URL), recently; the page can re-open one of those (a link, or
 * window.open), and nothing else.
 */
import { describeUrl, type HostLog } from './log';

export type OpenPurpose = 'sign-in' | 'sign-out';

export interface OpenExternalGate {
  /** The API's `openExternal` dependency: remembers the URL as allowed, then opens it. */
  open(url: string, purpose: OpenPurpose): Promise<void>;
  /** A URL the page wants opened: only one the API asked to open recently. Resolves whether it was. */
  openIfAllowed(url: string): Promise<boolean>;
  isAllowed(url: string): boolean;
}

export interface OpenExternalGateOptions {
  log: HostLog;
  /** How long the API's URLs stay allowed; a sign-in waits at most 5 minutes by default. */
  ttlMs?: number;
  /** At most this many URLs are remembered (the oldest go first). */
  maxEntries?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 15 * 60_000;
const DEFAULT_MAX_ENTRIES = 32;

function httpUrl(input: unknown): string | undefined {
  if (typeof input !== 'string' || !URL.canParse(input)) return undefined;
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return url.href;
}

export function createOpenExternalGate(
  openExternal: (url: string) => Promise<void>,
  opts: OpenExternalGateOptions,
): OpenExternalGate {
  const ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const now = opts.now ?? Date.now;
  /** href → when it stops being allowed; Map order is insertion order, oldest first. */
  const allowed = new Map<string, number>();

  const prune = () => {
    const time = now();
    for (const [href, until] of allowed) if (until <= time) allowed.delete(href);
    while (allowed.size > maxEntries) {
      const oldest = allowed.keys().next();
      if (oldest.done) break;
      allowed.delete(oldest.value);
    }
  };

  const isAllowed = (url: string): boolean => {
    prune();
    const href = httpUrl(url);
    return href !== undefined && allowed.has(href);
  };

  return {
    async open(url, purpose) {
      const href = httpUrl(url);
      if (href === undefined) {
        opts.log.warn(`Refused to open ${describeUrl(url)} for ${purpose}: not an http(s) URL.`);
        throw new Error(
          `The ${purpose === 'sign-in' ? 'sign-in' : 'sign-out'} page address is not an http(s) URL, so it was not opened.`,
        );
      }
      allowed.delete(href);
      allowed.set(href, now() + ttlMs);
      prune();
      await openExternal(href);
    },
    async openIfAllowed(url) {
      if (!isAllowed(url)) {
        opts.log.warn(
          `Refused to open ${describeUrl(url)} in the browser: only sign-in and sign-out pages of a flow are opened.`,
        );
        return false;
      }
      try {
        await openExternal(httpUrl(url) as string);
        return true;
      } catch {
        opts.log.warn(`The browser could not be opened for ${describeUrl(url)}.`);
        return false;
      }
    },
    isAllowed,
  };
}
