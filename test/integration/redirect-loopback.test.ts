import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startLoopbackListener,
  type LoopbackListener,
} from '../../main/client/redirect/loopback-listener';
import {
  AuthorizationResponseError,
  ConsentCancelledError,
  RedirectReceiver,
} from '../../main/client/redirect/receiver';

let receiver: RedirectReceiver;
let listener: LoopbackListener;

beforeEach(async () => {
  receiver = new RedirectReceiver();
  listener = await startLoopbackListener({ receiver });
});
afterEach(async () => {
  receiver.cancelAll();
  await listener.close();
});

const callback = (params: Record<string, string>) =>
  `${listener.redirectUri}?${new URLSearchParams(params).toString()}`;

async function get(url: string) {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** A request with a Host header of our choosing (fetch always sends the real one). */
function rawRequest(opts: {
  method?: string;
  path?: string;
  host?: string;
}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: listener.port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/callback',
        headers: { host: opts.host ?? `127.0.0.1:${listener.port}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The page must not load anything: no scripts, and every href/src is a data: URL. */
function expectSelfContained(html: string) {
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain('<link rel="icon" href="data:,">');
  expect(html).toContain('<meta name="color-scheme" content="light dark">');
  expect(html).toContain('prefers-color-scheme:dark');
  expect(html).not.toMatch(/<script/i);
  for (const match of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    expect(match[1]).toMatch(/^data:/);
  }
}

describe('loopback listener (RFC 8252 §7.3)', () => {
  it('listens on 127.0.0.1 at an ephemeral port', () => {
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.redirectUri).toBe(`http://127.0.0.1:${listener.port}/callback`);
  });

  it('completes a sign-in and shows a clean success page once the token exchange succeeded', async () => {
    const flow = receiver.expect({ state: 's1', redirectUri: listener.redirectUri });
    const pending = get(callback({ code: 'c1', state: 's1' }));
    await flow.promise;
    receiver.settle('s1', { ok: true });
    const page = await pending;
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none';/);
    expect(page.html).toContain('<h1>Signed in — you can return to MCP Auth Desktop</h1>');
    expect(page.html).toContain('<main class="success">');
    expectSelfContained(page.html);
    await expect(flow.promise).resolves.toMatchObject({
      code: 'c1',
      state: 's1',
      source: 'loopback',
      redirectUri: listener.redirectUri,
    });
  });

  it('step through: the page answers at once that the app has the code, without "Signed in"', async () => {
    const flow = receiver.expect({ state: 's-guided', redirectUri: listener.redirectUri });
    const pending = get(callback({ code: 'c-guided', state: 's-guided' }));
    await flow.promise;
    receiver.settle('s-guided', { ok: 'waiting-in-app' });
    const page = await pending;
    expect(page.status).toBe(200);
    expect(page.html).toContain('Code received — continue in MCP Auth Desktop');
    expect(page.html).not.toContain('Signed in');
  });

  it('never says "Signed in" when the token exchange then fails', async () => {
    const flow = receiver.expect({ state: 's1', redirectUri: listener.redirectUri });
    const pending = get(callback({ code: 'c1', state: 's1' }));
    await flow.promise;
    receiver.settle('s1', {
      ok: false,
      title: 'The sign-in failed at the token exchange',
      message: 'The issuer rejects the grant.',
      hint: 'Sign in again.',
    });
    const page = await pending;
    expect(page.html).toContain('<h1>The sign-in failed at the token exchange</h1>');
    expect(page.html).toContain('<main class="error">');
    expect(page.html).not.toContain('Signed in');
  });

  it('says the sign-in is still finishing when the exchange takes longer than the page waits', async () => {
    const slow = await startLoopbackListener({ receiver, outcomeWaitMs: 50 });
    try {
      const flow = receiver.expect({ state: 's2', redirectUri: slow.redirectUri });
      const page = await get(`${slow.redirectUri}?code=c2&state=s2`);
      await flow.promise;
      expect(page.html).toContain('<h1>Finishing the sign-in</h1>');
      expect(page.html).not.toContain('Signed in');
    } finally {
      await slow.close();
    }
  });

  it('shows the denial with the issuer’s words, HTML-escaped', async () => {
    const flow = receiver.expect({ state: 's1', redirectUri: listener.redirectUri });
    const page = await get(
      callback({
        error: 'access_denied',
        error_description: '<script>alert("x")</script> & <b>bold</b>',
        state: 's1',
      }),
    );
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>The sign-in was denied</h1>');
    expect(page.html).toContain(
      '<p>The sign-in was denied: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; (access_denied).</p>',
    );
    expect(page.html).toContain('<main class="error">');
    expectSelfContained(page.html);
    await expect(flow.promise).rejects.toBeInstanceOf(AuthorizationResponseError);
  });

  it('Logto’s parameterless consent Cancel is understood, and ends nothing (any page could send it)', async () => {
    let asked = 0;
    const flow = receiver.expect({
      state: 's1',
      redirectUri: listener.redirectUri,
      onCancelSuspected: () => asked++,
    });
    const page = await get(listener.redirectUri);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>It looks like you pressed Cancel on the consent page</h1>');
    expect(page.html).toContain('<main class="cancelled">');
    expect(asked).toBe(1);
    expect(receiver.isPending('s1')).toBe(true);
    flow.decline();
    await expect(flow.promise).rejects.toBeInstanceOf(ConsentCancelledError);
  });

  it('answers a replay, an unknown state and a missing code with 400 and a specific page', async () => {
    const flow = receiver.expect({ state: 's1', redirectUri: listener.redirectUri });
    const url = callback({ code: 'c1', state: 's1' });
    expect((await get(url)).status).toBe(200);
    await flow.promise;

    const replay = await get(url);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('<h1>This sign-in link was already used</h1>');

    const unknown = await get(callback({ code: 'c', state: 'nobody' }));
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain(
      '<h1>This sign-in link does not belong to a sign-in in progress</h1>',
    );

    receiver.expect({ state: 's2', redirectUri: listener.redirectUri });
    const noCode = await get(callback({ state: 's2' }));
    expect(noCode.status).toBe(400);
    expect(noCode.html).toContain('<h1>The sign-in response has no code</h1>');
    expect(receiver.isPending('s2')).toBe(true);
  });

  it('refuses an oversized callback with 414', async () => {
    receiver.expect({ state: 's1', redirectUri: listener.redirectUri });
    const page = await get(callback({ code: 'x'.repeat(9000), state: 's1' }));
    expect(page.status).toBe(414);
    expect(page.html).toContain('<h1>This sign-in link is too long</h1>');
    expect(receiver.isPending('s1')).toBe(true);
  });

  it('serves many flows, one after another and side by side, without crossing them', async () => {
    // As the engine does: each sign-in settles once its code is exchanged.
    const expectSettled = (state: string) => {
      const flow = receiver.expect({ state, redirectUri: listener.redirectUri });
      void flow.promise.then((cb) => receiver.settle(cb.state, { ok: true }));
      return flow;
    };
    for (let i = 0; i < 3; i++) {
      const flow = expectSettled(`seq${i}`);
      expect((await get(callback({ code: `code${i}`, state: `seq${i}` }))).status).toBe(200);
      expect((await flow.promise).code).toBe(`code${i}`);
    }
    const flows = ['a', 'b', 'c'].map(expectSettled);
    await Promise.all(
      ['c', 'a', 'b'].map((state) => get(callback({ code: `code-${state}`, state }))),
    );
    expect(await Promise.all(flows.map(async (flow) => (await flow.promise).code))).toEqual([
      'code-a',
      'code-b',
      'code-c',
    ]);
  });

  it('answers other paths with 404 and other methods with 405', async () => {
    const notFound = await get(`http://127.0.0.1:${listener.port}/favicon.ico`);
    expect(notFound.status).toBe(404);
    expect(notFound.html).toContain(
      `MCP Auth Desktop receives sign-ins at ${listener.redirectUri}.`,
    );
    expect((await get(`http://127.0.0.1:${listener.port}/callback/extra`)).status).toBe(404);

    const post = await rawRequest({ method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });

  it('refuses requests whose Host is not the loopback address (DNS rebinding)', async () => {
    const flow = receiver.expect({ state: 's1', redirectUri: listener.redirectUri });
    for (const host of [
      'evil.example',
      `evil.example:${listener.port}`,
      `localhost:${listener.port}`,
      '127.0.0.1',
    ]) {
      const page = await rawRequest({ path: '/callback?code=stolen&state=s1', host });
      expect(page.status).toBe(403);
      expect(page.body).toContain(`This sign-in receiver only answers at ${listener.redirectUri}.`);
    }
    expect(receiver.isPending('s1')).toBe(true);
    const ok = await rawRequest({ path: '/callback?code=c1&state=s1' });
    expect(ok.status).toBe(200);
    expect((await flow.promise).code).toBe('c1');
  });

  it('shows that a timed-out sign-in has ended', async () => {
    const flow = receiver.expect({ state: 's1', redirectUri: listener.redirectUri, timeoutMs: 20 });
    await expect(flow.promise).rejects.toThrow('The sign-in was not completed within 20 ms.');
    const page = await get(callback({ code: 'c1', state: 's1' }));
    expect(page.status).toBe(400);
    expect(page.html).toContain('<h1>This sign-in has already ended</h1>');
  });

  it('stops answering once closed', async () => {
    const other = await startLoopbackListener({ receiver });
    expect(other.port).not.toBe(listener.port);
    await other.close();
    await expect(fetch(`http://127.0.0.1:${other.port}/callback`)).rejects.toThrow();
  });
});
