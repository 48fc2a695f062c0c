import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpExchange } from '../../main/trace';
import { createHttpTap, createTracedFetch, fingerprint, TraceRecorder } from '../../main/trace';

const CODE = 'ac_7Yh2Kq9Lm4Np8Rs1Tv6Wx3Za5Bc0De';
const PASSWORD = 'correct horse battery staple';

const recorder = new TraceRecorder();
let server: Server;
let base: string;

beforeAll(async () => {
  // A tiny issuer: the tap runs first, the handler reads the body late (like oidc-provider).
  const tap = createHttpTap({ recorder, party: 'issuer', skip: (req) => req.url === '/health' });
  server = createServer((req, res) => {
    tap(req, res, () => {
      if (req.url === '/sign-in' && req.method === 'POST') {
        setTimeout(() => {
          let body = '';
          req.setEncoding('utf8');
          req.on('data', (chunk: string) => (body += chunk));
          req.on('end', () => {
            const form = new URLSearchParams(body);
            const ok = form.get('password') === PASSWORD;
            res.statusCode = 303;
            res.setHeader('set-cookie', ['_session=issuer-session-0123456789; Path=/; HttpOnly']);
            res.setHeader('location', `http://127.0.0.1:5173/callback?code=${CODE}&state=s-1`);
            res.end(ok ? '' : 'wrong password');
          });
        }, 20);
        return;
      }
      // Other routes read the body (as a token endpoint would), then answer in two writes.
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('ok ');
        res.end(Buffer.from('done'));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const waitForExchanges = async (count: number, party: string): Promise<HttpExchange[]> => {
  for (let i = 0; i < 100; i += 1) {
    const found = recorder
      .events()
      .flatMap((e) => (e.type === 'http' && e.exchange.party === party ? [e.exchange] : []));
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`expected ${count} ${party} exchanges`);
};

describe('createHttpTap', () => {
  it('records what the issuer received and answered, masking the password, cookie and code', async () => {
    const response = await fetch(`${base}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: PASSWORD }),
      redirect: 'manual',
    });
    expect(response.status).toBe(303); // the handler got the whole body, untouched
    const [exchange] = await waitForExchanges(1, 'issuer');
    expect(exchange).toMatchObject({
      party: 'issuer',
      request: {
        method: 'POST',
        url: `${base}/sign-in`,
        body: { form: { username: 'alice', password: '«redacted password»' } },
      },
      response: {
        status: 303,
        statusText: 'See Other',
        headers: {
          location: `http://127.0.0.1:5173/callback?code=«redacted code ${fingerprint(CODE)}»&state=s-1`,
          'set-cookie': `_session=«redacted cookie ${fingerprint('issuer-session-0123456789')}»; Path=/; HttpOnly`,
        },
      },
    });
    const exported = recorder.export();
    expect(exported).not.toContain(CODE);
    expect(exported).not.toContain('issuer-session-0123456789');
    expect(exported).not.toContain('horse');
  });

  it("correlates the issuer's code with the client's token request by fingerprint", async () => {
    const tracedFetch = createTracedFetch({ recorder, party: 'client' });
    await (
      await tracedFetch(`${base}/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', code: CODE }),
      })
    ).text();
    const [client] = await waitForExchanges(1, 'client');
    const issuerSide = await waitForExchanges(2, 'issuer');
    const form = client?.request.body?.form;
    expect(form?.['code']).toBe(`«redacted code ${fingerprint(CODE)}»`);
    // The issuer saw the same request, and its response body as written in two pieces.
    expect(issuerSide[1]?.request.body?.form?.['code']).toBe(form?.['code']);
    expect(issuerSide[1]?.response?.body).toMatchObject({ text: 'ok done', bytes: 7 });
  });

  it('skips what it is told to skip', async () => {
    const before = recorder.size;
    await (await fetch(`${base}/health`)).text();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(recorder.size).toBe(before);
  });
});
