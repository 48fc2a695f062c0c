/**
 * The sandbox issuer with one thing changed, on its own loopback port: every request is passed
 * through to the real sandbox, its origin rewritten, except what `alter` changes (a discovery
 * field removed, an answer Logto gives that the sandbox does not). For checks whose trigger the
 * sandbox cannot be configured into.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '../../main/shared/listen';

export interface Alteration {
  /** Changes the discovery document (already rewritten to this origin). */
  discovery?: (doc: Record<string, unknown>) => Record<string, unknown>;
  /** Answers a request itself instead of passing it on; return false to pass it on. */
  answer?: (url: URL, res: ServerResponse) => boolean;
}

export async function startAlteredIssuer(sandboxIssuer: string, alter: Alteration) {
  const target = new URL(sandboxIssuer).origin;
  let origin = '';
  const server = await listen(
    async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', origin);
      if (alter.answer?.(url, res)) return;
      const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
        redirect: 'manual',
        headers: { accept: req.headers.accept ?? '*/*' },
      });
      let body = (await upstream.text()).replaceAll(target, origin);
      if (alter.discovery && url.pathname.endsWith('/.well-known/openid-configuration')) {
        body = JSON.stringify(alter.discovery(JSON.parse(body) as Record<string, unknown>));
      }
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'date', 'location', 'www-authenticate']) {
        const value = upstream.headers.get(name);
        if (value) headers[name] = value.replaceAll(target, origin);
      }
      res.writeHead(upstream.status, headers).end(body);
    },
    { host: '127.0.0.1', port: 0, label: 'altered issuer', howToChange: '' },
  );
  origin = `http://127.0.0.1:${server.port}`;
  return { issuer: sandboxIssuer.replace(target, origin), close: () => server.close() };
}
