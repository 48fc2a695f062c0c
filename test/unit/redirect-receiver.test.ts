import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AuthorizationResponseError,
  ConsentCancelledError,
  FlowCancelledError,
  formatDuration,
  IssuerMismatchError,
  MAX_CALLBACK_URL_LENGTH,
  RedirectReceiver,
  RedirectTimeoutError,
  type DeliveryResult,
} from '../../main/client/redirect/receiver';
import { APP_REDIRECT_URI } from '../../main/shared/app-identity';

const LOOPBACK = 'http://127.0.0.1:53682/callback';
const cb = (base: string, params: Record<string, string>) =>
  `${base}?${new URLSearchParams(params).toString()}`;

/** Settles the promise into a value or the error, so tests can assert on either. */
const outcome = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

afterEach(() => {
  vi.useRealTimers();
});

describe('RedirectReceiver: success', () => {
  it('hands the code to the flow waiting for its state (deep link)', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's1', redirectUri: APP_REDIRECT_URI });
    const result = receiver.deliver(
      cb(APP_REDIRECT_URI, { code: 'c1', state: 's1', iss: 'https://t.logto.app/oidc' }),
      'deep-link',
    );
    expect(result).toMatchObject({
      status: 'completed',
      state: 's1',
      source: 'deep-link',
      title: 'Code received — finishing the sign-in in MCP Auth Desktop',
    });
    await expect(flow.promise).resolves.toEqual({
      code: 'c1',
      state: 's1',
      iss: 'https://t.logto.app/oidc',
      source: 'deep-link',
      redirectUri: APP_REDIRECT_URI,
      url: cb(APP_REDIRECT_URI, { code: 'c1', state: 's1', iss: 'https://t.logto.app/oidc' }),
      parameters: ['code', 'state', 'iss'],
    });
    expect(receiver.pendingCount).toBe(0);
  });

  it('the completed delivery says how the sign-in ended only once the engine settles it', async () => {
    const receiver = new RedirectReceiver();
    receiver.expect({ state: 's1', redirectUri: LOOPBACK });
    const result = receiver.deliver(cb(LOOPBACK, { code: 'c1', state: 's1' }), 'loopback');
    if (result.status !== 'completed') throw new Error(`not completed: ${result.status}`);
    let settled: unknown;
    void result.outcome.then((o) => (settled = o));
    await Promise.resolve();
    expect(settled).toBeUndefined();
    receiver.settle('s1', { ok: false, title: 'Token exchange failed', message: 'invalid_grant' });
    await expect(result.outcome).resolves.toEqual({
      ok: false,
      title: 'Token exchange failed',
      message: 'invalid_grant',
    });
  });

  it('accepts a URL object and leaves out iss when the issuer sent none', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's1', redirectUri: LOOPBACK });
    receiver.deliver(new URL(cb(LOOPBACK, { code: 'c1', state: 's1' })), 'loopback');
    const value = await flow.promise;
    expect(value).toMatchObject({
      code: 'c1',
      state: 's1',
      source: 'loopback',
      redirectUri: LOOPBACK,
    });
    expect(value).not.toHaveProperty('iss');
  });

  it('never crosses two concurrent flows', async () => {
    const receiver = new RedirectReceiver();
    const one = receiver.expect({ state: 'one', redirectUri: LOOPBACK });
    const two = receiver.expect({ state: 'two', redirectUri: LOOPBACK });
    expect(receiver.pendingCount).toBe(2);
    receiver.deliver(cb(LOOPBACK, { code: 'code-two', state: 'two' }), 'loopback');
    expect(receiver.isPending('one')).toBe(true);
    receiver.deliver(cb(LOOPBACK, { code: 'code-one', state: 'one' }), 'loopback');
    expect((await one.promise).code).toBe('code-one');
    expect((await two.promise).code).toBe('code-two');
  });

  it('reports every delivery to an observer, and an observer that throws changes nothing', async () => {
    const seen: DeliveryResult[] = [];
    const receiver = new RedirectReceiver({
      onDelivery: (result) => {
        seen.push(result);
        throw new Error('observer bug');
      },
    });
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK });
    receiver.deliver(cb(LOOPBACK, { state: 'other', code: 'x' }), 'loopback');
    receiver.deliver(cb(LOOPBACK, { state: 's', code: 'x' }), 'loopback');
    expect(seen.map((result) => result.status)).toEqual(['rejected', 'completed']);
    await expect(flow.promise).resolves.toMatchObject({ code: 'x' });
  });
});

describe('RedirectReceiver: error responses (RFC 6749 §4.1.2.1)', () => {
  const cases: [string, string, string][] = [
    ['access_denied', 'The sign-in was denied', 'the user or the issuer refused the request'],
    [
      'invalid_request',
      'The issuer rejected the sign-in request',
      'a parameter is missing, invalid or repeated',
    ],
    [
      'unauthorized_client',
      'This application may not sign in this way',
      'the client is not allowed to use the authorization code flow',
    ],
    [
      'unsupported_response_type',
      'The issuer does not support this kind of sign-in',
      'it does not accept response_type=code',
    ],
    [
      'invalid_scope',
      'The issuer rejected the requested scopes',
      'a requested scope is unknown or not allowed',
    ],
    ['server_error', 'The issuer had an internal error', 'something went wrong on the issuer'],
    [
      'temporarily_unavailable',
      'The issuer is temporarily unavailable',
      'it is overloaded or under maintenance',
    ],
    [
      'invalid_target',
      'The issuer does not know the requested resource',
      'the resource indicator is missing or unknown (RFC 8707)',
    ],
    [
      'login_required',
      'You need to sign in',
      'prompt=none was requested but there is no sign-in session',
    ],
    [
      'consent_required',
      'Consent is needed',
      'prompt=none was requested but the user has not consented yet',
    ],
    [
      'interaction_required',
      'The issuer needs you to interact',
      'prompt=none was requested but the issuer must show a page',
    ],
    ['some_vendor_error', 'The sign-in failed', 'the issuer reported an error'],
  ];

  it.each(cases)(
    '%s without a description ends that flow with a plain explanation',
    async (error, title, explain) => {
      const receiver = new RedirectReceiver();
      const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK });
      const bystander = receiver.expect({ state: 'other', redirectUri: LOOPBACK });
      const result = receiver.deliver(cb(LOOPBACK, { error, state: 's' }), 'loopback');

      const { error: thrown } = (await outcome(flow.promise)) as {
        error: AuthorizationResponseError;
      };
      expect(thrown).toBeInstanceOf(AuthorizationResponseError);
      expect(thrown.kind).toBe('authorization-error');
      expect(thrown.error).toBe(error);
      expect(thrown.errorDescription).toBeUndefined();
      expect(thrown.title).toBe(title);
      expect(thrown.message).toBe(`${title}: ${explain} (${error}).`);
      expect(thrown.hint).toBeTruthy();
      expect(result).toMatchObject({
        status: 'failed',
        kind: 'authorization-error',
        state: 's',
        title,
        message: thrown.message,
      });
      expect(receiver.isPending('other')).toBe(true);
      bystander.cancel();
    },
  );

  it.each(cases)('%s with a description shows the issuer’s words', async (error, title) => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK });
    receiver.deliver(
      cb(LOOPBACK, { error, error_description: 'End-User aborted interaction', state: 's' }),
      'loopback',
    );
    const { error: thrown } = (await outcome(flow.promise)) as {
      error: AuthorizationResponseError;
    };
    expect(thrown.errorDescription).toBe('End-User aborted interaction');
    expect(thrown.message).toBe(`${title}: End-User aborted interaction (${error}).`);
  });

  it('adds error_uri to the hint and strips control characters from issuer text', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK });
    receiver.deliver(
      cb(LOOPBACK, {
        error: 'access_denied',
        error_description: 'line one\r\nline\u0000two',
        error_uri: 'https://docs.logto.io/errors#access_denied',
        state: 's',
      }),
      'loopback',
    );
    const { error: thrown } = (await outcome(flow.promise)) as {
      error: AuthorizationResponseError;
    };
    expect(thrown.message).toBe('The sign-in was denied: line one line two (access_denied).');
    expect(thrown.errorUri).toBe('https://docs.logto.io/errors#access_denied');
    expect(thrown.hint).toMatch(/ More: https:\/\/docs\.logto\.io\/errors#access_denied$/);
  });

  it('refuses an error without state: it cannot be matched, and no flow is ended', () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK });
    const result = receiver.deliver(
      cb(LOOPBACK, { error: 'access_denied', error_description: 'nope' }),
      'loopback',
    );
    expect(result).toMatchObject({
      status: 'rejected',
      reason: 'missing-state',
      message:
        'The issuer reported "access_denied" ("nope") without the state parameter, so it cannot be matched to a sign-in in progress; it was ignored.',
    });
    expect(receiver.isPending('s')).toBe(true);
    flow.cancel();
  });
});

describe('RedirectReceiver: consent cancelled (Logto redirects with no parameters)', () => {
  it('a bare callback ends no sign-in: the flows waiting at that address are asked instead', async () => {
    const receiver = new RedirectReceiver();
    const asked: string[] = [];
    const loopback = receiver.expect({
      state: 'l',
      redirectUri: LOOPBACK,
      onCancelSuspected: () => asked.push('l'),
    });
    const deepLink = receiver.expect({
      state: 'd',
      redirectUri: APP_REDIRECT_URI,
      onCancelSuspected: () => asked.push('d'),
    });
    const result = receiver.deliver(APP_REDIRECT_URI, 'deep-link');
    expect(result).toMatchObject({
      status: 'rejected',
      reason: 'cancel-suspected',
      title: 'It looks like you pressed Cancel on the consent page',
    });
    expect(asked).toEqual(['d']);
    expect(receiver.isPending('d')).toBe(true);
    expect(receiver.deliver(`${LOOPBACK}?`, 'loopback')).toMatchObject({
      reason: 'cancel-suspected',
    });
    expect(asked).toEqual(['d', 'l']);
    expect(receiver.pendingCount).toBe(2);

    // The person confirms (Stop): then it ends as cancelled on the consent screen.
    deepLink.decline();
    const { error } = (await outcome(deepLink.promise)) as { error: ConsentCancelledError };
    expect(error).toBeInstanceOf(ConsentCancelledError);
    expect(error.message).toMatch(/cancelled on the consent screen/);
    // Or the real answer still arrives afterwards (Try again, then Authorize).
    receiver.deliver(cb(LOOPBACK, { code: 'c', state: 'l' }), 'loopback');
    await expect(loopback.promise).resolves.toMatchObject({ code: 'c' });
  });

  it('several flows at the same address are all asked, and none is ended', () => {
    const receiver = new RedirectReceiver();
    let asked = 0;
    receiver.expect({ state: 'a', redirectUri: LOOPBACK, onCancelSuspected: () => asked++ });
    receiver.expect({ state: 'b', redirectUri: LOOPBACK, onCancelSuspected: () => asked++ });
    const result = receiver.deliver(LOOPBACK, 'loopback');
    expect(result).toMatchObject({ status: 'rejected', reason: 'cancel-suspected' });
    expect(asked).toBe(2);
    expect(receiver.pendingCount).toBe(2);
    receiver.cancelAll();
  });

  it('says nothing is waiting when no flow is pending', () => {
    const receiver = new RedirectReceiver();
    expect(receiver.deliver(LOOPBACK, 'loopback')).toMatchObject({
      status: 'rejected',
      reason: 'no-pending-flow',
      title: 'No sign-in is waiting',
    });
  });
});

describe('RedirectReceiver: responses that match no flow', () => {
  it('refuses an unknown state without disturbing the pending flow', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 'mine', redirectUri: LOOPBACK });
    const result = receiver.deliver(cb(LOOPBACK, { code: 'evil', state: 'forged' }), 'loopback');
    expect(result).toMatchObject({
      status: 'rejected',
      reason: 'unknown-state',
      state: 'forged',
      message:
        'No sign-in in progress is waiting for this response (unknown state), so it was ignored.',
    });
    receiver.deliver(cb(LOOPBACK, { code: 'good', state: 'mine' }), 'loopback');
    expect((await flow.promise).code).toBe('good');
  });

  it('refuses a replayed response', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK });
    const url = cb(LOOPBACK, { code: 'c', state: 's' });
    expect(receiver.deliver(url, 'loopback').status).toBe('completed');
    expect(receiver.deliver(url, 'loopback')).toMatchObject({
      status: 'rejected',
      reason: 'replayed-state',
      title: 'This sign-in link was already used',
    });
    // A replay of a state that ended in an error is also a replay.
    const failed = receiver.expect({ state: 'f', redirectUri: LOOPBACK });
    receiver.deliver(cb(LOOPBACK, { error: 'access_denied', state: 'f' }), 'loopback');
    await expect(failed.promise).rejects.toThrow();
    expect(receiver.deliver(cb(LOOPBACK, { code: 'c', state: 'f' }), 'loopback')).toMatchObject({
      reason: 'replayed-state',
    });
    expect((await flow.promise).code).toBe('c');
    expect(() => receiver.expect({ state: 's', redirectUri: LOOPBACK })).toThrow(/fresh one/);
  });

  it('refuses a response without code and keeps the flow waiting', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK });
    expect(receiver.deliver(cb(LOOPBACK, { state: 's' }), 'loopback')).toMatchObject({
      status: 'rejected',
      reason: 'missing-code',
      title: 'The sign-in response has no code',
    });
    expect(receiver.deliver(cb(LOOPBACK, { state: 's', code: '' }), 'loopback')).toMatchObject({
      reason: 'missing-code',
    });
    expect(receiver.isPending('s')).toBe(true);
    receiver.deliver(cb(LOOPBACK, { state: 's', code: 'late' }), 'loopback');
    expect((await flow.promise).code).toBe('late');
  });

  it('refuses a response without state', () => {
    const receiver = new RedirectReceiver();
    expect(receiver.deliver(cb(LOOPBACK, { code: 'c' }), 'loopback')).toMatchObject({
      status: 'rejected',
      reason: 'missing-state',
    });
  });

  it('refuses a response that arrives at another redirect URI than its flow registered', () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK });
    const result = receiver.deliver(cb(APP_REDIRECT_URI, { state: 's', code: 'c' }), 'deep-link');
    expect(result).toMatchObject({ status: 'rejected', reason: 'redirect-uri-mismatch' });
    expect(result.message).toBe(
      'The sign-in expects its response at http://127.0.0.1:53682/callback, but it arrived at app.mcpauthdesktop:/oauth/callback; it was ignored.',
    );
    expect(receiver.isPending('s')).toBe(true);
    flow.cancel();
  });

  it('refuses repeated parameters (RFC 6749 §3.1) and fragment responses', () => {
    const receiver = new RedirectReceiver();
    receiver.expect({ state: 's', redirectUri: LOOPBACK });
    expect(receiver.deliver(`${LOOPBACK}?code=a&code=b&state=s`, 'loopback')).toMatchObject({
      reason: 'duplicate-parameter',
    });
    expect(receiver.deliver(`${LOOPBACK}#code=a&state=s`, 'loopback')).toMatchObject({
      reason: 'fragment-response',
    });
    expect(receiver.isPending('s')).toBe(true);
    receiver.cancelAll();
  });

  it('refuses oversized and malformed URLs', () => {
    const receiver = new RedirectReceiver();
    receiver.expect({ state: 's', redirectUri: LOOPBACK });
    const long = cb(LOOPBACK, { code: 'x'.repeat(MAX_CALLBACK_URL_LENGTH), state: 's' });
    expect(receiver.deliver(long, 'loopback')).toMatchObject({
      status: 'rejected',
      reason: 'oversized',
      title: 'This sign-in link is too long',
    });
    expect(receiver.deliver('not a url', 'deep-link')).toMatchObject({ reason: 'malformed' });
    expect(receiver.isPending('s')).toBe(true);
    receiver.cancelAll();
  });

  it('ignores deep links of another scheme, host or path', () => {
    const receiver = new RedirectReceiver();
    receiver.expect({ state: 's', redirectUri: APP_REDIRECT_URI });
    expect(
      receiver.deliver('https://evil.example/oauth/callback?code=c&state=s', 'deep-link'),
    ).toEqual({
      status: 'rejected',
      reason: 'foreign-url',
      source: 'deep-link',
      title: 'Not a link for MCP Auth Desktop',
      message:
        'Ignored a link with the scheme "https": MCP Auth Desktop only handles app.mcpauthdesktop: links.',
    });
    expect(
      receiver.deliver('app.mcpauthdesktop:/other/path?code=c&state=s', 'deep-link'),
    ).toMatchObject({
      reason: 'foreign-url',
      message:
        'Ignored app.mcpauthdesktop:/other/path: it is not the sign-in address (app.mcpauthdesktop:/oauth/callback) MCP Auth Desktop is waiting on.',
    });
    expect(
      receiver.deliver('app.mcpauthdesktop://evil/oauth/callback?code=c&state=s', 'deep-link'),
    ).toMatchObject({
      reason: 'foreign-url',
    });
    expect(receiver.deliver('app.mcpauthdesktop:/oauth/signed-out', 'deep-link')).toMatchObject({
      reason: 'foreign-url',
    });
    expect(receiver.isPending('s')).toBe(true);
    receiver.cancelAll();
  });
});

describe('RedirectReceiver: RFC 9207 issuer check', () => {
  const expectedIssuer = 'https://t.logto.app/oidc';

  it('rejects a response naming another issuer (mix-up attack protection)', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK, expectedIssuer });
    const result = receiver.deliver(
      cb(LOOPBACK, { code: 'c', state: 's', iss: 'https://evil.example/oidc' }),
      'loopback',
    );
    expect(result).toMatchObject({ status: 'failed', kind: 'issuer-mismatch' });
    const { error } = (await outcome(flow.promise)) as { error: IssuerMismatchError };
    expect(error).toBeInstanceOf(IssuerMismatchError);
    expect(error.message).toBe(
      'The sign-in response names the issuer "https://evil.example/oidc" but this sign-in went to https://t.logto.app/oidc; it was rejected (RFC 9207 mix-up attack protection).',
    );
    expect(error.receivedIssuer).toBe('https://evil.example/oidc');
  });

  it('rejects a response without iss when the issuer promised one, errors included', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK, expectedIssuer });
    receiver.deliver(cb(LOOPBACK, { error: 'access_denied', state: 's' }), 'loopback');
    const { error } = (await outcome(flow.promise)) as { error: IssuerMismatchError };
    expect(error).toBeInstanceOf(IssuerMismatchError);
    expect(error.message).toMatch(
      /has no iss parameter although https:\/\/t\.logto\.app\/oidc announces authorization_response_iss_parameter_supported/,
    );
  });

  it('accepts the exact issuer', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK, expectedIssuer });
    receiver.deliver(cb(LOOPBACK, { code: 'c', state: 's', iss: expectedIssuer }), 'loopback');
    await expect(flow.promise).resolves.toMatchObject({ code: 'c', iss: expectedIssuer });
  });
});

describe('RedirectReceiver: time-outs and cancellation', () => {
  it('times out with a message that says how long and how to retry', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK, timeoutMs: 30 });
    const { error } = (await outcome(flow.promise)) as { error: RedirectTimeoutError };
    expect(error).toBeInstanceOf(RedirectTimeoutError);
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('The sign-in was not completed within 30 ms.');
    expect(error.hint).toMatch(
      /^Start the sign-in again and finish it in the browser; if no browser opened/,
    );
    expect(receiver.pendingCount).toBe(0);
    expect(receiver.deliver(cb(LOOPBACK, { code: 'c', state: 's' }), 'loopback')).toMatchObject({
      reason: 'expired-state',
      message:
        'The sign-in this response belongs to has already timed out; the response was ignored.',
    });
  });

  it('counts the default time-out in minutes', () => {
    expect(new RedirectTimeoutError(5 * 60_000).message).toBe(
      'The sign-in was not completed within 5 minutes.',
    );
    expect(formatDuration(60_000)).toBe('1 minute');
    expect(formatDuration(90_000)).toBe('1.5 minutes');
    expect(formatDuration(10_000)).toBe('10 seconds');
  });

  it('clears its timer when a flow ends, and uses the 5-minute default', async () => {
    vi.useFakeTimers();
    const receiver = new RedirectReceiver();
    const done = receiver.expect({ state: 'a', redirectUri: LOOPBACK });
    const waiting = receiver.expect({ state: 'b', redirectUri: LOOPBACK });
    expect(vi.getTimerCount()).toBe(2);
    receiver.deliver(cb(LOOPBACK, { code: 'c', state: 'a' }), 'loopback');
    await done.promise;
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(5 * 60_000 - 1);
    expect(receiver.isPending('b')).toBe(true);
    vi.advanceTimersByTime(1);
    await expect(waiting.promise).rejects.toThrow(
      'The sign-in was not completed within 5 minutes.',
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cancel() ends the flow once; later responses are refused', async () => {
    const receiver = new RedirectReceiver();
    const flow = receiver.expect({ state: 's', redirectUri: LOOPBACK });
    flow.cancel('The user closed the sign-in panel.');
    flow.cancel('again');
    const { error } = (await outcome(flow.promise)) as { error: FlowCancelledError };
    expect(error).toBeInstanceOf(FlowCancelledError);
    expect(error.message).toBe('The user closed the sign-in panel.');
    expect(receiver.deliver(cb(LOOPBACK, { code: 'c', state: 's' }), 'loopback')).toMatchObject({
      reason: 'expired-state',
      message:
        'The sign-in this response belongs to has already been cancelled; the response was ignored.',
    });
  });

  it('a flow nobody awaits does not cause an unhandled rejection', async () => {
    const receiver = new RedirectReceiver();
    receiver.expect({ state: 's', redirectUri: LOOPBACK, timeoutMs: 5 }).cancel();
    receiver.expect({ state: 't', redirectUri: LOOPBACK, timeoutMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(receiver.pendingCount).toBe(0);
  });

  it('checks its arguments', () => {
    const receiver = new RedirectReceiver();
    expect(() => receiver.expect({ state: '', redirectUri: LOOPBACK })).toThrow(/non-empty state/);
    expect(() => receiver.expect({ state: 's', redirectUri: 'nope' })).toThrow(
      /Not a valid redirect URI/,
    );
    expect(() => receiver.expect({ state: 's', redirectUri: LOOPBACK, timeoutMs: 0 })).toThrow(
      RangeError,
    );
    receiver.expect({ state: 's', redirectUri: LOOPBACK });
    expect(() => receiver.expect({ state: 's', redirectUri: LOOPBACK })).toThrow(/fresh one/);
    receiver.cancelAll();
  });
});
