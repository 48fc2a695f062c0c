/** Every outbound call the app makes has a deadline: a hung issuer must never hang the user. */

export const DEFAULT_TIMEOUT_MS = 5_000;

export class FetchTimeoutError extends Error {
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`No answer from ${url} within ${timeoutMs / 1000} s.`);
    this.name = 'FetchTimeoutError';
  }
}

export class FetchNetworkError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    const reason = describeNetworkCause(cause);
    super(`Could not reach ${url}: ${reason}.`, { cause });
    this.name = 'FetchNetworkError';
  }
}

function describeNetworkCause(cause: unknown): string {
  const code = (cause as { cause?: { code?: string } } | undefined)?.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is it running?)';
    case 'ENOTFOUND':
      return 'host name not found';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return code ?? (cause instanceof Error ? cause.message : String(cause));
  }
}

export async function fetchWithTimeout(
  url: string | URL,
  init: RequestInit = {},
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Response> {
  const href = String(url);
  const signal = init.signal
    ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
    : AbortSignal.timeout(timeoutMs);
  try {
    return await fetch(url, { ...init, signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new FetchTimeoutError(href, timeoutMs);
    }
    throw new FetchNetworkError(href, error);
  }
}

/**
 * The error a failed fetch should have thrown: a TimeoutError naming the URL and the deadline, or
 * a TypeError naming the URL and the network cause (connection refused, host not found...). The
 * classes stay what fetch throws, so code that tells network failures apart by class still can.
 * Anything else (an abort by the caller, a bug) comes back unchanged.
 */
export function explainFetchFailure(url: string, timeoutMs: number, error: unknown): unknown {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new DOMException(`No answer from ${url} within ${timeoutMs / 1000} s.`, 'TimeoutError');
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    return new TypeError(`Could not reach ${url}: ${describeNetworkCause(error)}.`, {
      cause: error,
    });
  }
  return error;
}

type FetchFn = (url: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * `base` with a deadline on every call, for callers that bring their own fetch (a traced or test
 * fetch). Failures name the URL and the cause, as explainFetchFailure words them; an abort by the
 * caller's own signal passes through unchanged.
 */
export function withDeadline(
  base: FetchFn,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): (url: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return (url, init) => {
    const href = url instanceof Request ? url.url : url;
    const deadline = AbortSignal.timeout(timeoutMs);
    return base(href, {
      ...init,
      signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline,
    }).catch((error: unknown) => {
      // "fetch failed" / "aborted due to timeout" say neither where nor why: name both.
      if (init?.signal?.aborted) throw error;
      throw explainFetchFailure(String(href), timeoutMs, error);
    });
  };
}
