/**
 * Callback fuzzing against a live engine flow that waits at the sign-in step (nobody at the
 * browser): stray, replayed, malformed and hostile redirects through the loopback listener and
 * through the deep-link path (argv → parseDeepLink → receiver). A stray never disturbs the waiting
 * flow, which then still completes with the genuine callback; a response that does end a flow
 * (an error; Logto's parameterless Cancel only after the person confirms it) ends it with one
 * clear sentence. Nothing crashes.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Flow, FlowResult, FlowSettings } from '../../main/client/engine/flow';
import { FlowStepError } from '../../main/client/engine/notes';
import { parseDeepLink } from '../../main/client/redirect/deep-link';
import { APP_REDIRECT_URI } from '../../main/shared/app-identity';
import { startEngineHost } from '../support/engine-host';
import { startTestSandbox } from '../support/sandbox';
import { signIn } from '../support/sign-in';

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
type Host = Awaited<ReturnType<typeof startEngineHost>>;

const ALICE = { username: 'alice', password: 'alice-sandbox' };

let sandbox: Sandbox;
let host: Host | undefined;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.close());
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function settings(): FlowSettings {
  return {
    profileId: `fuzz-${Math.random().toString(36).slice(2)}`,
    serverUrl: sandbox.server.url,
    transport: 'streamable-http',
    clientId: 'sandbox-native',
    scopes: [],
    resource: { mode: 'auto' },
    extraParams: {},
    refreshTokens: false,
  };
}

interface Waiting {
  flow: Flow;
  run: Promise<FlowResult>;
  /** The authorization URL the app opened (the host hook), and the state it carries. */
  url: URL;
  state: string;
}

/** Starts a flow and returns once it waits for the browser at the sign-in step. */
async function waitingFlow(h: Host): Promise<Waiting> {
  let opened!: (url: URL) => void;
  const authorizationUrl = new Promise<URL>((resolve) => (opened = resolve));
  const flow = h.flow(settings(), { openAuthorizationUrl: (url) => opened(url) });
  const run = flow.run();
  run.catch(() => undefined); // observed by each test
  const url = await authorizationUrl;
  const state = url.searchParams.get('state') ?? '';
  // The step's findings name the same URL the host was asked to open.
  const request = flow.steps.find((s) => s.id === 'authorization-request');
  expect(request?.findings.map((f) => f.message)).toContain(`Authorization URL: ${url.href}`);
  expect(state.length).toBeGreaterThanOrEqual(32);
  expectStillWaiting(h, flow, state);
  return { flow, run, url, state };
}

function expectStillWaiting(h: Host, flow: Flow, state: string): void {
  expect(h.receiver.isPending(state)).toBe(true);
  expect(h.receiver.pendingCount).toBe(1);
  expect(flow.steps.find((s) => s.id === 'sign-in')?.status).toMatch(/running|waiting/);
  expect(flow.steps.find((s) => s.id === 'token-exchange')?.status).toBe('pending');
}

/** What a person sees on the loopback listener's page. */
interface Page {
  status: number;
  title: string;
  message: string;
  html: string;
}

function readPage(status: number, html: string): Page {
  const text = (pattern: RegExp) =>
    (pattern.exec(html)?.[1] ?? '')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return { status, html, title: text(/<h1>([^<]*)<\/h1>/), message: text(/<p>([^<]*)<\/p>/) };
}

/** A GET the browser would send to the loopback listener: path and query exactly as given. */
function loopbackGet(
  h: Host,
  pathAndQuery: string,
  opts: { method?: string; host?: string } = {},
): Promise<Page> {
  const target = new URL(h.redirectUri);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(target.port),
        method: opts.method ?? 'GET',
        path: pathAndQuery,
        headers: { host: opts.host ?? target.host },
        agent: false,
        timeout: 5_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(readPage(res.statusCode ?? 0, body)));
      },
    );
    req.on('timeout', () => req.destroy(new Error('loopback request timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Signs alice in at the issuer, as the browser would, and returns the genuine callback URL. */
async function genuineCallback(h: Host, waiting: Waiting): Promise<URL> {
  const { callback } = await signIn(
    waiting.url,
    { ...ALICE, redirectUri: h.redirectUri },
    h.browser,
  );
  expect(callback.searchParams.get('state')).toBe(waiting.state);
  return callback;
}

async function expectCompleted(waiting: Waiting): Promise<void> {
  const { tools } = await waiting.run;
  expect(tools.map((t) => t.name)).toContain('whoami');
  const result = await waiting.flow.callTool('whoami');
  expect(result.structuredContent).toMatchObject({ authenticated: true, verifiedBy: 'jwt' });
  await waiting.flow.close();
}

/** The flow ended at `stepId` with exactly this sentence, as the UI shows it. */
async function expectFailed(waiting: Waiting, stepId: string, message: string | RegExp) {
  const error = await waiting.run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlowStepError);
  const failed = waiting.flow.steps.filter((s) => s.status === 'failed');
  expect(failed.map((s) => s.id)).toEqual([stepId]);
  if (typeof message === 'string') expect(failed[0]?.error?.message).toBe(message);
  else expect(failed[0]?.error?.message).toMatch(message);
  // eslint-disable-next-line no-control-regex
  expect(failed[0]?.error?.message).not.toMatch(/[\x00-\x1f\x7f]/);
  expect(waiting.flow.steps.find((s) => s.id === 'mcp-connect')?.status).toBe('pending');
}

/** The issuer's RFC 9207 `iss`, which it adds to every authorization response, errors included. */
const issuer = () => sandbox.issuer.issuer;
const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

describe('the loopback listener, with a flow waiting at the sign-in step', () => {
  it('shrugs off stray callbacks, then completes with the genuine one, and refuses its replay', async () => {
    host = await startEngineHost();
    const h = host;
    const waiting = await waitingFlow(h);
    const { state } = waiting;
    const other = `${state.slice(0, -4)}XXXX`;
    const strays: { query: string; status: number; title: string; message: RegExp }[] = [
      {
        query: q({ code: 'stray-code', state: other }),
        status: 400,
        title: 'This sign-in link does not belong to a sign-in in progress',
        message: /No sign-in in progress is waiting for this response \(unknown state\)/,
      },
      {
        query: q({ code: 'stray-code', state: state.toUpperCase() }),
        status: 400,
        title: 'This sign-in link does not belong to a sign-in in progress',
        message: /unknown state/,
      },
      {
        query: q({ code: 'stray-code' }),
        status: 400,
        title: 'This sign-in link is not valid',
        message: /has no state, so it cannot be matched/,
      },
      {
        query: q({ state }),
        status: 400,
        title: 'The sign-in response has no code',
        message:
          /without an authorization code or an error; the response was ignored and the sign-in is still waiting/,
      },
      {
        query: q({ code: '', state }),
        status: 400,
        title: 'The sign-in response has no code',
        message: /still waiting/,
      },
      {
        query: q({ error: 'access_denied', state: other }),
        status: 400,
        title: 'This sign-in link does not belong to a sign-in in progress',
        message: /unknown state/,
      },
      {
        query: q({ error: 'access_denied', error_description: 'Nope' }),
        status: 400,
        title: 'The sign-in failed',
        message: /reported "access_denied" \("Nope"\) without the state parameter/,
      },
      {
        query: `?code=a&code=b&state=${state}`,
        status: 400,
        title: 'This sign-in link is not valid',
        message: /repeats the "code" parameter/,
      },
      {
        query: `?state=${state}&state=${state}&code=stray`,
        status: 400,
        title: 'This sign-in link is not valid',
        message: /repeats the "state" parameter/,
      },
      {
        query: `?code=%ZZ&state=${state}`,
        status: 400,
        title: 'This sign-in link is not valid',
        message: /broken percent-encoding/,
      },
      {
        query: `?code=stray&state=${state}%E0%A4%A`,
        status: 400,
        title: 'This sign-in link is not valid',
        message: /broken percent-encoding/,
      },
      {
        query: `?code=%C3%28&state=${state}`,
        status: 400,
        title: 'This sign-in link is not valid',
        message: /broken percent-encoding/,
      },
      {
        query: `?code=stray&state=${state}%00`,
        status: 400,
        title: 'This sign-in link does not belong to a sign-in in progress',
        message: /unknown state/,
      },
      {
        query: q({ code: 'x'.repeat(9_000), state }),
        status: 414,
        title: 'This sign-in link is too long',
        message: /accepts at most 8192/,
      },
    ];
    for (const stray of strays) {
      const page = await loopbackGet(h, `/callback${stray.query}`);
      expect({ status: page.status, title: page.title }, stray.query.slice(0, 80)).toEqual({
        status: stray.status,
        title: stray.title,
      });
      expect(page.message).toMatch(stray.message);
      expect(page.html).toContain('<main class="error">');
      expectStillWaiting(h, waiting.flow, state);
    }

    // Beyond Node's header limit the listener's own code never sees it; it keeps serving.
    expect(
      (await loopbackGet(h, `/callback?code=${'y'.repeat(20_000)}&state=${state}`)).status,
    ).toBe(431);
    // Not the callback: other paths, methods and Host names.
    expect((await loopbackGet(h, `/callback/x${q({ code: 'c', state })}`)).status).toBe(404);
    expect((await loopbackGet(h, `/CALLBACK${q({ code: 'c', state })}`)).status).toBe(404);
    expect(
      (await loopbackGet(h, `/callback${q({ code: 'c', state })}`, { method: 'POST' })).status,
    ).toBe(405);
    const rebound = await loopbackGet(h, `/callback${q({ code: 'c', state })}`, {
      host: 'evil.example',
    });
    expect(rebound.status).toBe(403);
    expect(rebound.title).toBe('Wrong address');
    expectStillWaiting(h, waiting.flow, state);

    // The genuine callback still completes the same flow.
    const callback = await genuineCallback(h, waiting);
    const done = await loopbackGet(h, `${callback.pathname}${callback.search}`);
    expect(done).toMatchObject({
      status: 200,
      title: 'Signed in — you can return to MCP Auth Desktop',
    });
    await expectCompleted(waiting);

    // Its replay is refused, and changes nothing.
    const replay = await loopbackGet(h, `${callback.pathname}${callback.search}`);
    expect(replay).toMatchObject({ status: 400, title: 'This sign-in link was already used' });
    expect(replay.message).toMatch(/already received; a response is accepted only once/);
    expect(waiting.flow.steps.every((s) => s.status === 'done')).toBe(true);
    expect(h.receiver.pendingCount).toBe(0);
  });

  const endings: {
    name: string;
    query: (state: string) => string;
    title: string;
    message: string;
  }[] = [
    {
      name: 'access_denied without a description',
      query: (state) => q({ error: 'access_denied', state, iss: issuer() }),
      title: 'The sign-in was denied',
      message:
        'The sign-in was denied: the user or the issuer refused the request (access_denied).',
    },
    {
      name: 'access_denied with a description',
      query: (state) =>
        q({ error: 'access_denied', error_description: 'The user said no', state, iss: issuer() }),
      title: 'The sign-in was denied',
      message: 'The sign-in was denied: The user said no (access_denied).',
    },
    {
      name: 'invalid_scope with a description',
      query: (state) =>
        q({
          error: 'invalid_scope',
          error_description: 'scope admin is unknown',
          state,
          iss: issuer(),
        }),
      title: 'The issuer rejected the requested scopes',
      message: 'The issuer rejected the requested scopes: scope admin is unknown (invalid_scope).',
    },
    {
      name: 'server_error without a description',
      query: (state) => q({ error: 'server_error', state, iss: issuer() }),
      title: 'The issuer had an internal error',
      message:
        'The issuer had an internal error: something went wrong on the issuer (server_error).',
    },
    {
      name: 'temporarily_unavailable with a description',
      query: (state) =>
        q({
          error: 'temporarily_unavailable',
          error_description: 'maintenance',
          state,
          iss: issuer(),
        }),
      title: 'The issuer is temporarily unavailable',
      message: 'The issuer is temporarily unavailable: maintenance (temporarily_unavailable).',
    },
    {
      name: 'an unknown error code',
      query: (state) => q({ error: 'quota_exhausted', state, iss: issuer() }),
      title: 'The sign-in failed',
      message: 'The sign-in failed: the issuer reported an error (quota_exhausted).',
    },
    {
      name: 'an unknown error code with control characters and markup',
      query: (state) =>
        q({
          error: 'weird\u0007error',
          error_description: '<b>bold</b>\u001b[31m red\r\nline',
          state,
          iss: issuer(),
        }),
      title: 'The sign-in failed',
      message: 'The sign-in failed: <b>bold</b> [31m red line (weird error).',
    },
  ];

  it("Logto's parameterless consent Cancel ends nothing: the sign-in asks, and Stop ends it as cancelled", async () => {
    host = await startEngineHost();
    const waiting = await waitingFlow(host);
    const page = await loopbackGet(host, '/callback');
    expect(page).toMatchObject({
      status: 200,
      title: 'It looks like you pressed Cancel on the consent page',
    });
    expectStillWaiting(host, waiting.flow, waiting.state);
    const signIn = waiting.flow.steps.find((s) => s.id === 'sign-in')!;
    expect(signIn.question).toMatchObject({ code: 'consent_cancel_suspected' });
    expect(signIn.question?.message).toMatch(
      /It looks like you pressed Cancel on the consent page/,
    );
    waiting.flow.cancel();
    await expectFailed(
      waiting,
      'sign-in',
      'Sign-in was cancelled on the consent screen, so no permission was granted.',
    );
    expect(waiting.flow.steps.find((s) => s.id === 'sign-in')?.error?.code).toBe(
      'consent_cancelled',
    );
  });

  it('a web page hitting the bare callback cannot cancel a sign-in: Try again, then the genuine answer completes it', async () => {
    host = await startEngineHost();
    const h = host;
    let opened = 0;
    const flow = h.flow(settings(), { openAuthorizationUrl: () => void opened++ });
    const run = flow.run();
    await vi.waitFor(() => expect(opened).toBe(1));
    // <img src="http://127.0.0.1:<port>/callback"> from any web page:
    await loopbackGet(h, '/callback');
    expect(flow.question?.code).toBe('consent_cancel_suspected');
    flow.retrySignIn();
    await vi.waitFor(() => expect(opened).toBe(2));
    expect(flow.question).toBeUndefined();
    const url = new URL(
      flow.steps
        .find((s) => s.id === 'authorization-request')!
        .findings.find((f) => f.message.startsWith('Authorization URL: '))!
        .message.slice('Authorization URL: '.length),
    );
    const callback = await genuineCallback(h, {
      flow,
      run,
      url,
      state: url.searchParams.get('state')!,
    });
    const done = await loopbackGet(h, `${callback.pathname}${callback.search}`);
    expect(done.title).toBe('Signed in — you can return to MCP Auth Desktop');
    await expectCompleted({ flow, run, url, state: url.searchParams.get('state')! });
  });

  it.each(endings)(
    '$name ends the flow at the sign-in step with one clear sentence',
    async (ending) => {
      host = await startEngineHost();
      const waiting = await waitingFlow(host);
      const page = await loopbackGet(host, `/callback${ending.query(waiting.state)}`);
      expect(page).toMatchObject({ status: 200, title: ending.title, message: ending.message });
      expect(page.html).not.toMatch(/<b>|<script/);
      await expectFailed(waiting, 'sign-in', ending.message);
      expect(host.receiver.pendingCount).toBe(0);
      // The genuine callback that arrives afterwards finds the sign-in over, and says so.
      const late = await loopbackGet(host, `/callback${q({ code: 'late', state: waiting.state })}`);
      expect(late).toMatchObject({ status: 400, title: 'This sign-in link was already used' });
    },
  );

  it('a forged code with the right state is caught at the token exchange, not accepted', async () => {
    host = await startEngineHost();
    const waiting = await waitingFlow(host);
    const page = await loopbackGet(
      host,
      `/callback${q({ code: 'forged-code', state: waiting.state, iss: issuer() })}`,
    );
    expect(page.status).toBe(200); // the receiver cannot tell: the issuer can
    // ...and the page waits for the exchange, so it never claims "Signed in".
    expect(page.title).toBe('The sign-in failed at the token exchange');
    await expectFailed(waiting, 'token-exchange', /grant/i);
  });

  it('a response naming another issuer (RFC 9207 iss) ends the flow as a mix-up', async () => {
    host = await startEngineHost();
    const waiting = await waitingFlow(host);
    const page = await loopbackGet(
      host,
      `/callback${q({ code: 'c', state: waiting.state, iss: 'https://evil.example/oidc' })}`,
    );
    expect(page.title).toBe('The sign-in response came from the wrong issuer');
    await expectFailed(
      waiting,
      'sign-in',
      /names the issuer "https:\/\/evil\.example\/oidc" but this sign-in went to http:\/\/127\.0\.0\.1:\d+\/oidc; it was rejected \(RFC 9207/,
    );
  });
});

describe('the deep-link path (argv → parseDeepLink → receiver), with a flow waiting', () => {
  it('refuses other schemes, hosts, paths and malformed links, then completes with the genuine link', async () => {
    host = await startEngineHost({ redirect: 'custom-scheme' });
    const h = host;
    const waiting = await waitingFlow(h);
    const { state } = waiting;
    /** What the Electron host does with a second instance's argv; returns what the user is told. */
    const open = (argv: string[]) => {
      const parsed = parseDeepLink(argv);
      if (!parsed.ok) return { refused: true, message: parsed.reason };
      const result = h.receiver.deliver(parsed.url, 'deep-link');
      return { refused: result.status === 'rejected', message: result.message };
    };
    const exe = '/opt/MCP Auth Desktop/mcp-auth-desktop';
    const strays: [string[], RegExp][] = [
      [[exe, '--no-sandbox'], /^No app\.mcpauthdesktop: link among the command-line arguments\.$/],
      [
        [exe, `https://evil.example/oauth/callback${q({ code: 'c', state })}`],
        /^No app\.mcpauthdesktop: link/,
      ],
      [[exe, 'javascript:alert(document.cookie)'], /^No app\.mcpauthdesktop: link/],
      [[exe, 'file:///etc/passwd'], /^No app\.mcpauthdesktop: link/],
      [
        [exe, `app.mcpauthdesktop.evil:/oauth/callback${q({ code: 'c', state })}`],
        /^No app\.mcpauthdesktop: link/,
      ],
      [
        [exe, `--url=${APP_REDIRECT_URI}${q({ code: 'c', state })}`],
        /^No app\.mcpauthdesktop: link/,
      ],
      [
        [exe, `app.mcpauthdesktop://evil.example/oauth/callback${q({ code: 'c', state })}`],
        /^Ignored app\.mcpauthdesktop:\/\/evil\.example\/oauth\/callback: it is not the sign-in address/,
      ],
      [
        [exe, `app.mcpauthdesktop:/oauth/other${q({ code: 'c', state })}`],
        /^Ignored app\.mcpauthdesktop:\/oauth\/other: it is not the sign-in address/,
      ],
      [
        [exe, `${APP_REDIRECT_URI}#code=c&state=${state}`],
        /carries its parameters after "#", but MCP Auth Desktop asks for them in the query/,
      ],
      [[exe, `${APP_REDIRECT_URI}${q({ code: 'c', state: 'someone-else' })}`], /unknown state/],
      [[exe, `${APP_REDIRECT_URI}?code=%ZZ&state=${state}`], /broken percent-encoding/],
      [[exe, `${APP_REDIRECT_URI}?code=a&code=b&state=${state}`], /repeats the "code" parameter/],
      [[exe, `"${APP_REDIRECT_URI}${q({ state })}"`], /without an authorization code or an error/],
      [[exe, `APP.MCPAUTHDESKTOP:/oauth/callback${q({ code: 'c' })}`], /has no state/],
      [
        [exe, `${APP_REDIRECT_URI}${q({ code: 'x'.repeat(9_000), state })}`],
        /accepts at most 8192/,
      ],
      [[exe, 'app.mcpauthdesktop://[::1'], /not a valid URL/],
    ];
    for (const [argv, message] of strays) {
      const outcome = open(argv);
      expect(outcome.refused, argv[1]?.slice(0, 80)).toBe(true);
      expect(outcome.message).toMatch(message);
      expectStillWaiting(h, waiting.flow, state);
    }
    // macOS hands the URL over directly (open-url): same checks.
    expect(parseDeepLink(`https://evil.example/cb${q({ code: 'c', state })}`)).toEqual({
      ok: false,
      reason: 'Ignored a https: link: MCP Auth Desktop only handles app.mcpauthdesktop: links.',
    });

    const callback = await genuineCallback(h, waiting);
    expect(callback.protocol).toBe('app.mcpauthdesktop:');
    expect(open([exe, '--', callback.href])).toEqual({
      refused: false,
      message:
        'The issuer sent the authorization code back; MCP Auth Desktop now exchanges it for tokens.',
    });
    await expectCompleted(waiting);
    expect(open([exe, callback.href])).toEqual({
      refused: true,
      message:
        'This sign-in response was already received; a response is accepted only once, so it was ignored.',
    });
  });

  it("Logto's parameterless Cancel arrives as a bare deep link: the sign-in asks, Stop ends it as cancelled", async () => {
    host = await startEngineHost({ redirect: 'custom-scheme' });
    const waiting = await waitingFlow(host);
    const parsed = parseDeepLink(['app', APP_REDIRECT_URI]);
    expect(parsed).toEqual({ ok: true, url: APP_REDIRECT_URI });
    const result = host.receiver.deliver(APP_REDIRECT_URI, 'deep-link');
    expect(result).toMatchObject({
      status: 'rejected',
      reason: 'cancel-suspected',
      title: 'It looks like you pressed Cancel on the consent page',
    });
    expectStillWaiting(host, waiting.flow, waiting.state);
    waiting.flow.cancel();
    await expectFailed(
      waiting,
      'sign-in',
      'Sign-in was cancelled on the consent screen, so no permission was granted.',
    );
  });
});
