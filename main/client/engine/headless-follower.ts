/**
 * For authorization servers that approve without a person (test servers, the conformance suite's
 * mock): follow the authorization URL's redirects ourselves, with a small cookie jar, until the
 * issuer sends the browser to our redirect URI, then hand that URL to the receiver as the
 * browser would. A page that needs a person (a sign-in form) is an error that says so.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RedirectReceiver } from '../redirect/receiver';

export async function followAuthorizationUrl(
  url: URL,
  opts: { redirectUri: string; receiver: RedirectReceiver; fetchFn: FetchLike; maxHops?: number },
): Promise<void> {
  const jar = new Map<string, string>();
  const target = new URL(opts.redirectUri);
  let current = url;
  for (let hop = 0; hop < (opts.maxHops ?? 15); hop++) {
    const cookies = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await opts.fetchFn(current, {
      redirect: 'manual',
      ...(cookies && { headers: { cookie: cookies } }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    const location = response.headers.get('location');
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(
        `The issuer answered ${response.status} at ${current.origin}${current.pathname} instead of redirecting back: this sign-in needs a person. Run without --auto to sign in in the browser.`,
      );
    }
    const next = new URL(location, current);
    if (next.origin === target.origin && next.pathname === target.pathname) {
      opts.receiver.deliver(next, target.protocol.startsWith('http') ? 'loopback' : 'deep-link');
      return;
    }
    current = next;
  }
  throw new Error('The issuer kept redirecting without returning to the app.');
}
