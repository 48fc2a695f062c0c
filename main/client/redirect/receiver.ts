/**
 * Receives the authorization response of RFC 8252 native-app sign-ins and hands it to the flow
 * that is waiting for it. Responses come in through a private-use URI scheme (§7.1, deep links the
 * Electron host feeds in) or a loopback HTTP listener (§7.3); both call `deliver()`.
 *
 * A flow is keyed by its `state`. Anything that cannot be matched to a waiting flow with certainty
 * (unknown or reused state, no code, a foreign link) is refused without touching any flow, and
 * every outcome carries a sentence for the user and, where useful, what to do next.
 */
import { APP_REDIRECT_URI, APP_SCHEME } from '../../shared/app-identity';
import { oauthErrorEntry } from '../oauth-error-catalogue';

/** Longer callback URLs are refused outright: real ones are a few hundred bytes. */
export const MAX_CALLBACK_URL_LENGTH = 8 * 1024;
export const DEFAULT_REDIRECT_TIMEOUT_MS = 5 * 60_000;
/** How many ended states are remembered to recognise a replayed response. */
const REMEMBERED_ENDED_FLOWS = 1000;

export type RedirectSource = 'deep-link' | 'loopback';

/** A successful authorization response (RFC 6749 §4.1.2). */
export interface AuthorizationCallback {
  code: string;
  state: string;
  /** RFC 9207 issuer identifier, when the issuer sent one. */
  iss?: string;
  source: RedirectSource;
  /** The redirect URI this flow registered; the token request must repeat it exactly. */
  redirectUri: string;
  /** The callback exactly as it arrived (it holds the code: redact it before showing it). */
  url: string;
  /** The names of the parameters the issuer put in the redirect, in order. */
  parameters: string[];
}

export interface ExpectOptions {
  state: string;
  redirectUri: string;
  /** Default 5 minutes. */
  timeoutMs?: number;
  /**
   * Set when the issuer's metadata has `authorization_response_iss_parameter_supported: true`:
   * the response must then carry exactly this `iss` (RFC 9207), or it is rejected.
   */
  expectedIssuer?: string;
  /**
   * Called when a bare callback (no parameters) reaches this flow's address: Logto's consent
   * Cancel looks exactly like that, but so does any web page's `<img src=".../callback">`, so the
   * flow is not ended; the engine asks the person whether to try again or stop.
   */
  onCancelSuspected?: () => void;
}

export interface PendingRedirect {
  promise: Promise<AuthorizationCallback>;
  /** Ends the flow with a FlowCancelledError; does nothing once the flow has ended. */
  cancel(reason?: string): void;
  /** The person confirmed they cancelled on the consent page: ends it with ConsentCancelledError. */
  decline(): void;
}

/** How the sign-in a callback completed really ended: told to the browser page after the token exchange. */
export type SignInOutcome =
  | { ok: true }
  | { ok: false; title: string; message: string; hint?: string }
  /** Step through: the exchange waits for the person's Continue in the app, not for the page. */
  | { ok: 'waiting-in-app' };

// ---------------------------------------------------------------------------------------------
// How a flow can fail

export type RedirectFailureKind =
  'authorization-error' | 'consent-cancelled' | 'issuer-mismatch' | 'timeout' | 'cancelled';

export abstract class RedirectFlowError extends Error {
  abstract readonly kind: RedirectFailureKind;

  constructor(
    /** A short heading, e.g. for the browser page. */
    readonly title: string,
    message: string,
    /** What the user can do about it. */
    readonly hint: string | undefined,
  ) {
    super(message);
  }
}

const RETRY = 'Start the sign-in again from MCP Auth Desktop.';

/** Strips control characters and caps the length of issuer-supplied text before showing it. */
export function cleanText(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const visible = text.replace(/[\x00-\x1F\x7F]+/g, ' ').trim();
  return visible.length > max ? `${visible.slice(0, max)}…` : visible;
}

/** The issuer redirected back with `error` (RFC 6749 §4.1.2.1). */
export class AuthorizationResponseError extends RedirectFlowError {
  readonly kind = 'authorization-error' as const;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;

  constructor(
    readonly error: string,
    errorDescription: string | undefined,
    errorUri: string | undefined,
  ) {
    const code = cleanText(error, 80);
    const description = errorDescription === undefined ? undefined : cleanText(errorDescription);
    const uri = errorUri === undefined ? undefined : cleanText(errorUri, 500);
    const guide = oauthErrorEntry(error) ?? {
      title: 'The sign-in failed',
      cause: 'the issuer reported an error',
      fix: `See the trace for details, then ${RETRY.charAt(0).toLowerCase()}${RETRY.slice(1)}`,
    };
    const detail = description ? `${description} (${code})` : `${guide.cause} (${code})`;
    super(guide.title, `${guide.title}: ${detail}.`, uri ? `${guide.fix} More: ${uri}` : guide.fix);
    this.name = 'AuthorizationResponseError';
    this.errorDescription = description;
    this.errorUri = uri;
  }
}

/**
 * The user pressed Cancel on the issuer's consent screen. Logto (v1.37) then redirects with no
 * parameters at all: no code, no state, no error (docs/logto.md). Not a protocol error.
 */
export class ConsentCancelledError extends RedirectFlowError {
  readonly kind = 'consent-cancelled' as const;

  constructor() {
    super(
      'Sign-in was cancelled',
      'Sign-in was cancelled on the consent screen, so no permission was granted.',
      'To connect, sign in again and choose Authorize on the consent screen.',
    );
    this.name = 'ConsentCancelledError';
  }
}

/** RFC 9207: the response's `iss` is missing or names another issuer than the one we asked. */
export class IssuerMismatchError extends RedirectFlowError {
  readonly kind = 'issuer-mismatch' as const;

  constructor(
    readonly expectedIssuer: string,
    readonly receivedIssuer: string | undefined,
  ) {
    super(
      'The sign-in response came from the wrong issuer',
      receivedIssuer === undefined
        ? `The sign-in response has no iss parameter although ${expectedIssuer} announces ` +
            'authorization_response_iss_parameter_supported; it was rejected (RFC 9207 mix-up attack protection).'
        : `The sign-in response names the issuer "${cleanText(receivedIssuer, 200)}" but this sign-in ` +
            `went to ${expectedIssuer}; it was rejected (RFC 9207 mix-up attack protection).`,
      `Sign in again. If it happens again, another issuer is answering for this application: check the profile's issuer against the one the MCP server's metadata names.`,
    );
    this.name = 'IssuerMismatchError';
  }
}

export class RedirectTimeoutError extends RedirectFlowError {
  readonly kind = 'timeout' as const;

  constructor(readonly timeoutMs: number) {
    super(
      'The sign-in timed out',
      `The sign-in was not completed within ${formatDuration(timeoutMs)}.`,
      'Start the sign-in again and finish it in the browser; if no browser opened, open the sign-in link it showed yourself.',
    );
    this.name = 'RedirectTimeoutError';
  }
}

/** The engine (or the user, in the app) gave up on the flow. */
export class FlowCancelledError extends RedirectFlowError {
  readonly kind = 'cancelled' as const;

  constructor(readonly reason: string | undefined) {
    super('Sign-in stopped', reason ?? 'The sign-in was cancelled in MCP Auth Desktop.', undefined);
    this.name = 'FlowCancelledError';
  }
}

export type RedirectFailure =
  | AuthorizationResponseError
  | ConsentCancelledError
  | IssuerMismatchError
  | RedirectTimeoutError
  | FlowCancelledError;

export function formatDuration(ms: number): string {
  if (ms >= 60_000) {
    const minutes = ms / 60_000;
    const shown = Number.isInteger(minutes) ? String(minutes) : minutes.toFixed(1);
    return `${shown} minute${shown === '1' ? '' : 's'}`;
  }
  if (ms >= 1000) {
    const seconds = Math.round(ms / 1000);
    return `${seconds} second${seconds === 1 ? '' : 's'}`;
  }
  return `${ms} ms`;
}

// ---------------------------------------------------------------------------------------------
// What a delivery did

export type RejectionReason =
  | 'oversized'
  | 'malformed'
  | 'foreign-url'
  | 'duplicate-parameter'
  | 'fragment-response'
  | 'missing-state'
  | 'unknown-state'
  | 'replayed-state'
  | 'expired-state'
  | 'redirect-uri-mismatch'
  | 'missing-code'
  | 'no-pending-flow'
  | 'cancel-suspected';

interface DeliveryText {
  source: RedirectSource;
  title: string;
  message: string;
  hint?: string;
}

export type DeliveryResult =
  /**
   * The waiting flow received its code. `outcome` settles once the engine has exchanged it (or
   * failed to), so a page can say "Signed in" only when it is true.
   */
  | (DeliveryText & { status: 'completed'; state: string; outcome: Promise<SignInOutcome> })
  /** The waiting flow ended with this error (its promise rejects with it). */
  | (DeliveryText & {
      status: 'failed';
      state: string;
      kind: 'authorization-error' | 'issuer-mismatch';
      error: AuthorizationResponseError | IssuerMismatchError;
    })
  /** Refused; no flow was completed or disturbed. */
  | (DeliveryText & { status: 'rejected'; reason: RejectionReason; state?: string });

type EndedHow = 'completed' | 'failed' | 'timed out' | 'cancelled';

interface Flow {
  state: string;
  redirectUri: string;
  base: string;
  expectedIssuer: string | undefined;
  timer: NodeJS.Timeout;
  onCancelSuspected: (() => void) | undefined;
  resolve(callback: AuthorizationCallback): void;
  reject(error: RedirectFailure): void;
}

/** Scheme, authority and path: what must match between a callback and its redirect URI. */
function redirectBase(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function tryParseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Enough of a URL to recognise it in a message, without its query (which may hold secrets). */
function describeUrl(url: URL): string {
  return cleanText(redirectBase(url).replace(/^([a-z][a-z0-9+.-]*:)\/\/(?=\/)/i, '$1'), 120);
}

export interface RedirectReceiverOptions {
  /** Called with every delivery's result, e.g. to record it in the trace. */
  onDelivery?: (result: DeliveryResult) => void;
  /** Redirect URIs deep links may target; default [APP_REDIRECT_URI]. */
  deepLinkRedirectUris?: readonly string[];
}

export class RedirectReceiver {
  private readonly flows = new Map<string, Flow>();
  private readonly ended = new Map<string, { how: EndedHow; base: string }>();
  private readonly unsettled = new Map<string, (outcome: SignInOutcome) => void>();
  private readonly deepLinkBases: Set<string>;
  private readonly onDelivery: (result: DeliveryResult) => void;

  constructor(opts: RedirectReceiverOptions = {}) {
    this.onDelivery = opts.onDelivery ?? (() => undefined);
    this.deepLinkBases = new Set(
      (opts.deepLinkRedirectUris ?? [APP_REDIRECT_URI]).map((uri) => {
        const url = tryParseUrl(uri);
        if (!url) throw new TypeError(`Not a valid redirect URI: ${uri}`);
        return redirectBase(url);
      }),
    );
  }

  /** Number of flows waiting for their response. */
  get pendingCount(): number {
    return this.flows.size;
  }

  isPending(state: string): boolean {
    return this.flows.has(state);
  }

  /** Registers a flow that waits for the response carrying `state`. */
  expect(opts: ExpectOptions): PendingRedirect {
    const { state, redirectUri, expectedIssuer } = opts;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_REDIRECT_TIMEOUT_MS;
    if (typeof state !== 'string' || state === '') {
      throw new TypeError('A sign-in needs a non-empty state.');
    }
    if (this.flows.has(state) || this.ended.has(state)) {
      throw new Error(
        'This state was already used for a sign-in; every sign-in needs a fresh one.',
      );
    }
    const url = tryParseUrl(redirectUri);
    if (!url) throw new TypeError(`Not a valid redirect URI: ${redirectUri}`);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new RangeError(
        `timeoutMs must be a positive number of milliseconds, not ${timeoutMs}.`,
      );
    }

    let resolve!: (callback: AuthorizationCallback) => void;
    let reject!: (error: RedirectFailure) => void;
    const promise = new Promise<AuthorizationCallback>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A flow the caller stops caring about (cancel, timeout) must not become an unhandled rejection.
    promise.catch(() => undefined);

    const timer = setTimeout(() => {
      const flow = this.flows.get(state);
      if (flow) this.end(flow, 'timed out').reject(new RedirectTimeoutError(timeoutMs));
    }, timeoutMs);
    timer.unref();

    const flow: Flow = {
      state,
      redirectUri,
      base: redirectBase(url),
      expectedIssuer,
      timer,
      onCancelSuspected: opts.onCancelSuspected,
      resolve,
      reject,
    };
    this.flows.set(state, flow);
    return {
      promise,
      cancel: (reason?: string) => {
        if (this.flows.get(state) === flow) {
          this.end(flow, 'cancelled').reject(new FlowCancelledError(reason));
        }
      },
      decline: () => {
        if (this.flows.get(state) === flow) {
          this.end(flow, 'cancelled').reject(new ConsentCancelledError());
        }
      },
    };
  }

  /** Tells the page of a completed callback how the sign-in ended (after the token exchange). */
  settle(state: string, outcome: SignInOutcome): void {
    this.unsettled.get(state)?.(outcome);
    this.unsettled.delete(state);
  }

  /** Ends every waiting flow, e.g. when the app quits. */
  cancelAll(reason?: string): void {
    for (const flow of [...this.flows.values()]) {
      this.end(flow, 'cancelled').reject(new FlowCancelledError(reason));
    }
  }

  /** Hands in a callback URL; never throws. */
  deliver(input: string | URL, source: RedirectSource): DeliveryResult {
    const result = this.process(typeof input === 'string' ? input : input.href, source);
    try {
      this.onDelivery(result);
    } catch {
      // An observer's failure must not change the outcome of a sign-in.
    }
    return result;
  }

  private process(href: string, source: RedirectSource): DeliveryResult {
    const reject = (
      reason: RejectionReason,
      title: string,
      message: string,
      hint?: string,
      state?: string,
    ): DeliveryResult => ({
      status: 'rejected',
      reason,
      source,
      title,
      message,
      ...(hint === undefined ? {} : { hint }),
      ...(state === undefined ? {} : { state }),
    });

    if (href.length > MAX_CALLBACK_URL_LENGTH) {
      return reject(
        'oversized',
        'This sign-in link is too long',
        `The sign-in response is ${href.length} characters long; MCP Auth Desktop accepts at most ${MAX_CALLBACK_URL_LENGTH}, so it was ignored.`,
        RETRY,
      );
    }
    const url = tryParseUrl(href);
    if (!url) {
      return reject(
        'malformed',
        'This sign-in link is not valid',
        'The sign-in response is not a valid URL, so it was ignored.',
        RETRY,
      );
    }
    const base = redirectBase(url);

    if (source === 'deep-link') {
      if (url.protocol !== `${APP_SCHEME}:`) {
        return reject(
          'foreign-url',
          'Not a link for MCP Auth Desktop',
          `Ignored a link with the scheme "${cleanText(url.protocol.slice(0, -1), 40)}": MCP Auth Desktop only handles ${APP_SCHEME}: links.`,
        );
      }
      const known =
        this.deepLinkBases.has(base) ||
        [...this.flows.values()].some((flow) => flow.base === base) ||
        [...this.ended.values()].some((ended) => ended.base === base);
      if (!known) {
        return reject(
          'foreign-url',
          'Not a sign-in link',
          `Ignored ${describeUrl(url)}: it is not the sign-in address (${APP_REDIRECT_URI}) MCP Auth Desktop is waiting on.`,
        );
      }
    }

    // URLSearchParams decodes "%ZZ" or "%C3%28" into something without complaint; an issuer never
    // sends them, so such a response is refused before it can reach (and end) a waiting sign-in.
    if (!wellEncoded(url.search)) {
      return reject(
        'malformed',
        'This sign-in link is not valid',
        'The sign-in response has broken percent-encoding, so it was ignored.',
        RETRY,
      );
    }

    const names = [...url.searchParams.keys()];
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) {
      return reject(
        'duplicate-parameter',
        'This sign-in link is not valid',
        `The sign-in response repeats the "${cleanText(repeated, 40)}" parameter, which OAuth forbids (RFC 6749 §3.1), so it was ignored.`,
        RETRY,
      );
    }

    if (names.length === 0) {
      if (url.hash.length > 1) {
        return reject(
          'fragment-response',
          'This sign-in link is not valid',
          'The sign-in response carries its parameters after "#", but MCP Auth Desktop asks for them in the query (response_mode=query); it was ignored.',
          "Check the issuer's response mode, then start the sign-in again.",
        );
      }
      // Logto's consent Cancel: no parameters at all (docs/logto.md). Any page that knows the
      // address can send the same, so nothing ends here: the waiting sign-ins ask the person.
      const candidates = [...this.flows.values()].filter((flow) => flow.base === base);
      if (candidates.length === 0) {
        return reject(
          'no-pending-flow',
          'No sign-in is waiting',
          'A sign-in ended without a result (Logto does this when Cancel is pressed on the consent screen), but no sign-in is in progress here; nothing was changed.',
          RETRY,
        );
      }
      for (const flow of candidates) {
        try {
          flow.onCancelSuspected?.();
        } catch {
          // The question is a courtesy; a failing observer must not change the sign-in.
        }
      }
      return reject(
        'cancel-suspected',
        'It looks like you pressed Cancel on the consent page',
        'The sign-in came back without a result, which is what Logto sends when Cancel is pressed on the consent page. The sign-in is still open: nothing was granted and nothing was ended.',
        'Return to MCP Auth Desktop and choose Try again or Stop.',
      );
    }

    const param = (name: string): string | undefined => {
      const value = url.searchParams.get(name);
      return value === null || value === '' ? undefined : value;
    };
    const state = param('state');
    const error = param('error');

    if (state === undefined) {
      return reject(
        'missing-state',
        error === undefined ? 'This sign-in link is not valid' : 'The sign-in failed',
        error === undefined
          ? 'The sign-in response has no state, so it cannot be matched to a sign-in in progress; it was ignored.'
          : `The issuer reported "${cleanText(error, 80)}"${describeErrorDescription(param('error_description'))} without the state parameter, so it cannot be matched to a sign-in in progress; it was ignored.`,
        RETRY,
      );
    }

    const flow = this.flows.get(state);
    if (!flow) {
      const ended = this.ended.get(state);
      if (ended?.how === 'completed' || ended?.how === 'failed') {
        return reject(
          'replayed-state',
          'This sign-in link was already used',
          'This sign-in response was already received; a response is accepted only once, so it was ignored.',
          'Return to MCP Auth Desktop; to sign in again, start a new sign-in there.',
          state,
        );
      }
      if (ended) {
        return reject(
          'expired-state',
          'This sign-in has already ended',
          `The sign-in this response belongs to has already ${ended.how === 'cancelled' ? 'been cancelled' : ended.how}; the response was ignored.`,
          RETRY,
          state,
        );
      }
      return reject(
        'unknown-state',
        'This sign-in link does not belong to a sign-in in progress',
        'No sign-in in progress is waiting for this response (unknown state), so it was ignored.',
        `${RETRY} A sign-in started before MCP Auth Desktop was restarted cannot be finished.`,
        state,
      );
    }

    if (flow.base !== base) {
      return reject(
        'redirect-uri-mismatch',
        'This sign-in response arrived at the wrong address',
        `The sign-in expects its response at ${describeUrl(new URL(flow.redirectUri))}, but it arrived at ${describeUrl(url)}; it was ignored.`,
        'Finish the sign-in in the browser window it opened, or start it again.',
        state,
      );
    }

    const code = param('code');
    const missingCode = () =>
      reject(
        'missing-code',
        'The sign-in response has no code',
        'The issuer redirected back without an authorization code or an error; the response was ignored and the sign-in is still waiting.',
        "Finish the sign-in in the browser, or start it again; if this repeats, check the issuer's configuration.",
        state,
      );
    // Neither a code nor an error is no authorization response at all, whatever its iss says:
    // ignore it before the RFC 9207 check, which would end the sign-in as a mix-up.
    if (code === undefined && error === undefined) return missingCode();

    const iss = param('iss');
    if (flow.expectedIssuer !== undefined && iss !== flow.expectedIssuer) {
      return this.fail(flow, new IssuerMismatchError(flow.expectedIssuer, iss), source);
    }

    if (error !== undefined) {
      return this.fail(
        flow,
        new AuthorizationResponseError(error, param('error_description'), param('error_uri')),
        source,
      );
    }

    if (code === undefined) return missingCode();

    const outcome = new Promise<SignInOutcome>((resolve) => this.unsettled.set(state, resolve));
    if (this.unsettled.size > REMEMBERED_ENDED_FLOWS) {
      const oldest = this.unsettled.keys().next();
      if (!oldest.done) this.unsettled.delete(oldest.value);
    }
    this.end(flow, 'completed').resolve({
      code,
      state,
      ...(iss === undefined ? {} : { iss }),
      source,
      redirectUri: flow.redirectUri,
      url: url.href,
      parameters: names,
    });
    return {
      status: 'completed',
      state,
      source,
      outcome,
      title: 'Code received — finishing the sign-in in MCP Auth Desktop',
      message:
        'The issuer sent the authorization code back; MCP Auth Desktop now exchanges it for tokens.',
    };
  }

  private fail(
    flow: Flow,
    error: AuthorizationResponseError | IssuerMismatchError,
    source: RedirectSource,
  ): DeliveryResult {
    this.end(flow, 'failed').reject(error);
    return {
      status: 'failed',
      state: flow.state,
      kind: error.kind,
      error,
      source,
      title: error.title,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    };
  }

  /** Removes the flow, stops its timer and remembers its state so a replay is recognised. */
  private end(flow: Flow, how: EndedHow): Flow {
    clearTimeout(flow.timer);
    this.flows.delete(flow.state);
    this.ended.set(flow.state, { how, base: flow.base });
    if (this.ended.size > REMEMBERED_ENDED_FLOWS) {
      const oldest = this.ended.keys().next();
      if (!oldest.done) this.ended.delete(oldest.value);
    }
    return flow;
  }
}

/** Every %-escape in the query is complete and the escapes decode to valid UTF-8. */
function wellEncoded(search: string): boolean {
  try {
    decodeURIComponent(search);
    return true;
  } catch {
    return false;
  }
}

function describeErrorDescription(description: string | undefined): string {
  return description === undefined ? '' : ` ("${cleanText(description, 200)}")`;
}
