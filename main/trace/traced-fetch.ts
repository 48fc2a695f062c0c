/**
 * A `fetch` that records each exchange in the trace. Hand it to the MCP SDK (transports and
 * `auth()` accept a custom fetch) or use it directly: the caller gets the real Response, still
 * unread. Bodies are captured from a clone, capped; event streams are never buffered.
 */
import { randomUUID } from 'node:crypto';
import {
  ByteCapture,
  DEFAULT_MAX_BODY_BYTES,
  describeUncaptured,
  readCapped,
} from './body-capture';
import type { Party, RawHeaders, RawHttpBody, RawHttpExchange } from './events';
import type { TraceSink } from './recorder';
import { redactText } from './redact';

/** What `fetch` looks like to callers (assignable to the SDK's FetchLike and to `typeof fetch`). */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

export interface TracedFetchOptions {
  recorder: TraceSink;
  party: Party;
  /** The flow the exchanges belong to; a function is asked at each request. */
  flowId?: string | (() => string | undefined);
  /** The step in progress, asked at each request. */
  stepId?: () => string | undefined;
  /** The fetch that does the work (default: the global fetch at call time). */
  fetch?: FetchFunction;
  /** Keep at most this many bytes of each body (default 64 KiB); the rest is marked truncated. */
  maxBodyBytes?: number;
  /**
   * How long to wait for a response body before returning what arrived (default 5 s). The caller
   * gets the Response after its body was captured, so the trace keeps the order things happened.
   */
  bodyTimeoutMs?: number;
}

type RawRequest = RawHttpExchange['request'];
type RawResponse = NonNullable<RawHttpExchange['response']>;

export function headersToRaw(headers: Headers): RawHeaders {
  const out: RawHeaders = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}

const urlOf = (input: string | URL | Request): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

const contentLength = (headers: Headers): number | undefined => {
  const value = Number(headers.get('content-length') ?? Number.NaN);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
};

const isReadableStream = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  (body instanceof ReadableStream || Symbol.asyncIterator in body);

function captureBytes(bytes: Uint8Array, contentType: string | null, max: number): RawHttpBody {
  const c = new ByteCapture(max);
  c.add(bytes);
  return c.toBody(contentType);
}

/** A request body from RequestInit, without consuming anything the real request needs. */
async function bodyFromInit(
  body: NonNullable<RequestInit['body']>,
  headers: Headers,
  max: number,
): Promise<RawHttpBody> {
  const declared = headers.get('content-type');
  if (typeof body === 'string') {
    return captureBytes(
      new TextEncoder().encode(body),
      declared ?? 'text/plain;charset=UTF-8',
      max,
    );
  }
  if (body instanceof URLSearchParams) {
    const type = declared ?? 'application/x-www-form-urlencoded;charset=UTF-8';
    return captureBytes(new TextEncoder().encode(body.toString()), type, max);
  }
  if (body instanceof FormData) {
    // Shown as `name=value` lines so the redactor's key rules apply (passwords, secrets).
    const lines: string[] = [];
    for (const [name, value] of body) {
      lines.push(
        typeof value === 'string'
          ? `${name}=${encodeURIComponent(value)}`
          : `${name}=(file ${JSON.stringify(value.name)}, ${value.size} bytes)`,
      );
    }
    const text = lines.join('\n');
    return { contentType: declared ?? 'multipart/form-data', text, bytes: text.length };
  }
  if (body instanceof Blob) {
    const type = declared ?? (body.type === '' ? null : body.type);
    return (
      describeUncaptured(type, body.size) ??
      captureBytes(new Uint8Array(await body.arrayBuffer()), type, max)
    );
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const bytes =
      body instanceof ArrayBuffer
        ? new Uint8Array(body)
        : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return describeUncaptured(declared, bytes.byteLength) ?? captureBytes(bytes, declared, max);
  }
  if (isReadableStream(body)) {
    return { contentType: declared, note: 'streamed upload: not recorded' };
  }
  return { contentType: declared, note: 'body of an unknown kind: not recorded' };
}

/** Method, URL, headers and body as they will be sent (init overrides a Request's own). */
async function describeRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
  max: number,
  timeoutMs: number,
): Promise<RawRequest> {
  const request = input instanceof Request ? input : undefined;
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  // As in fetch: init.headers, when given, replace the Request's headers.
  const headers = new Headers(init?.headers ?? request?.headers);
  const described: RawRequest = { method, url: urlOf(input), headers: headersToRaw(headers) };
  if (init?.body !== undefined && init.body !== null) {
    described.body = await bodyFromInit(init.body, headers, max);
  } else if (request?.body) {
    const type = headers.get('content-type');
    const uncaptured = describeUncaptured(type, contentLength(headers));
    if (uncaptured) {
      described.body = uncaptured;
    } else {
      // Read a clone: the Request itself stays unread for the real fetch.
      const copy = request.clone();
      if (copy.body) {
        const { capture: c, problem } = await readCapped(copy.body, max, timeoutMs);
        described.body = c.toBody(type, problem);
      }
    }
  }
  return described;
}

/** Status, headers and (from a clone, capped) body. Event streams are left unread. */
async function describeResponse(
  response: Response,
  method: string,
  max: number,
  timeoutMs: number,
): Promise<RawResponse> {
  const described: RawResponse = {
    status: response.status,
    statusText: response.statusText,
    headers: headersToRaw(response.headers),
  };
  if (response.redirected && response.url !== '') described.url = response.url;
  if (method === 'HEAD' || response.body === null) return described;
  const type = response.headers.get('content-type');
  const uncaptured = describeUncaptured(type, contentLength(response.headers));
  if (uncaptured) {
    described.body = uncaptured;
    return described;
  }
  const copy = response.clone();
  if (copy.body) {
    const { capture: c, problem } = await readCapped(copy.body, max, timeoutMs);
    // An empty body (a redirect, a 202) is no body.
    if (c.total > 0 || problem !== undefined) described.body = c.toBody(type, problem);
  }
  return described;
}

/** An error's message with its causes ('fetch failed (ECONNREFUSED: connect ECONNREFUSED …)'). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let text = `${error.name}: ${error.message}`;
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 5 && cause !== undefined && cause !== null; depth += 1) {
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      text += ` (${typeof code === 'string' && !cause.message.includes(code) ? `${code}: ` : ''}${cause.message})`;
      cause = cause.cause;
    } else {
      text += ` (${String(cause)})`;
      break;
    }
  }
  return text;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * A fetch-compatible function that performs each request with `options.fetch` and records it as
 * an HttpExchange in `options.recorder`. Network errors are recorded and rethrown unchanged.
 * Recording never breaks a request: if it fails, the failure is logged and the request goes on.
 */
export function createTracedFetch(options: TracedFetchOptions): FetchFunction {
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.bodyTimeoutMs ?? 5_000;
  const doFetch: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  const record = (exchange: RawHttpExchange): void => {
    try {
      options.recorder.record({ type: 'http', exchange });
    } catch (error) {
      // Even a log line about a failure goes through redaction.
      console.error(
        'Could not record an HTTP exchange in the trace:',
        redactText(describeError(error)),
      );
    }
  };

  return async function tracedFetch(input, init) {
    const started = performance.now();
    const startedAt = new Date().toISOString();
    const flowId = typeof options.flowId === 'function' ? options.flowId() : options.flowId;
    const stepId = options.stepId?.();
    const id = randomUUID();

    let request: RawRequest;
    try {
      request = await describeRequest(input, init, max, timeoutMs);
    } catch (error) {
      request = {
        method: (init?.method ?? 'GET').toUpperCase(),
        url: urlOf(input),
        headers: {},
        body: { contentType: null, note: `could not be described: ${describeError(error)}` },
      };
    }
    const base = {
      id,
      party: options.party,
      startedAt,
      request,
      ...(flowId === undefined ? {} : { flowId }),
      ...(stepId === undefined ? {} : { stepId }),
    };

    let response: Response;
    try {
      response = await doFetch(input, init);
    } catch (error) {
      record({
        ...base,
        durationMs: round(performance.now() - started),
        error: describeError(error),
      });
      throw error;
    }

    let described: RawResponse;
    try {
      described = await describeResponse(response, request.method, max, timeoutMs);
    } catch (error) {
      described = {
        status: response.status,
        statusText: response.statusText,
        headers: {},
        body: {
          contentType: response.headers.get('content-type'),
          note: `could not be read: ${describeError(error)}`,
        },
      };
    }
    record({ ...base, durationMs: round(performance.now() - started), response: described });
    return response;
  };
}
