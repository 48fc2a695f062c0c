/**
 * The server side of the trace: a connect/express-style middleware that records what a party
 * (the sandbox issuer, the MCP server) received and answered — including the requests a browser
 * makes (authorization, sign-in, consent), which no traced fetch sees.
 *
 * It never changes how a request is handled: the request body is seen only as its consumer reads
 * it (no body parser runs early, which oidc-provider forbids), the response as it is written.
 * Plain node:http types, so it fits express, a bare http.Server or oidc-provider's koa app.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { ByteCapture, DEFAULT_MAX_BODY_BYTES, describeUncaptured } from './body-capture';
import type { Party, RawHeaders, RawHttpBody } from './events';
import type { TraceSink } from './recorder';
import { redactText } from './redact';

export interface HttpTapOptions {
  recorder: TraceSink;
  party: Party;
  flowId?: string | (() => string | undefined);
  /** Keep at most this many bytes of each body (default 64 KiB). */
  maxBodyBytes?: number;
  /** Requests not to record (health checks, static assets). */
  skip?: (req: IncomingMessage) => boolean;
}

export type HttpTap = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

const toBytes = (chunk: unknown, encoding?: unknown): Uint8Array | undefined => {
  if (typeof chunk === 'string') {
    return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  return chunk instanceof Uint8Array ? chunk : undefined;
};

const headerText = (
  value: number | string | string[] | undefined,
): string | string[] | undefined => (typeof value === 'number' ? String(value) : value);

function bodyOf(
  capture: ByteCapture,
  contentType: string | null,
  encoding: string | undefined,
): RawHttpBody | undefined {
  if (capture.total === 0) return undefined;
  const uncaptured = describeUncaptured(contentType, capture.total);
  if (uncaptured) return uncaptured;
  if (encoding !== undefined && encoding !== 'identity') {
    return { contentType, bytes: capture.total, note: `${encoding}-encoded: not decoded` };
  }
  return capture.toBody(contentType);
}

/** A middleware recording each request/response pair once the response is finished or aborted. */
export function createHttpTap(options: HttpTapOptions): HttpTap {
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return (req, res, next) => {
    if (options.skip?.(req)) {
      next?.();
      return;
    }
    const started = performance.now();
    const startedAt = new Date().toISOString();
    const flowId = typeof options.flowId === 'function' ? options.flowId() : options.flowId;
    const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
    const path = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const url = `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}${path}`;
    const method = req.method ?? 'GET';
    const requestHeaders: RawHeaders = { ...req.headers };

    // The request body, as whoever consumes it reads it ('data' is emitted by read() too).
    const requestBody = new ByteCapture(max);
    const emit = req.emit;
    req.emit = function (this: IncomingMessage, event: string | symbol, ...args: unknown[]) {
      if (event === 'data') {
        const bytes = toBytes(args[0]);
        if (bytes) requestBody.add(bytes);
      }
      return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
    } as typeof req.emit;

    // The response body, as it is written.
    const responseBody = new ByteCapture(max);
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, ...args: unknown[]) {
      const bytes = toBytes(args[0], args[1]);
      if (bytes) responseBody.add(bytes);
      return write.apply(this, args as Parameters<typeof write>);
    } as typeof res.write;
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      const bytes = typeof args[0] === 'function' ? undefined : toBytes(args[0], args[1]);
      if (bytes) responseBody.add(bytes);
      return end.apply(this, args as Parameters<typeof end>);
    } as typeof res.end;

    let recorded = false;
    const finish = (error?: string): void => {
      if (recorded) return;
      recorded = true;
      req.emit = emit;
      res.write = write;
      res.end = end;
      const responseHeaders: RawHeaders = {};
      for (const [name, value] of Object.entries(res.getHeaders())) {
        responseHeaders[name] = headerText(value);
      }
      const contentType = (name: string, headers: RawHeaders): string | null => {
        const value = headers[name];
        return typeof value === 'string' ? value : null;
      };
      const reqBody = bodyOf(
        requestBody,
        contentType('content-type', requestHeaders),
        contentType('content-encoding', requestHeaders) ?? undefined,
      );
      const resBody = bodyOf(
        responseBody,
        contentType('content-type', responseHeaders),
        contentType('content-encoding', responseHeaders) ?? undefined,
      );
      try {
        options.recorder.record({
          type: 'http',
          exchange: {
            id: randomUUID(),
            party: options.party,
            startedAt,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
            ...(flowId === undefined ? {} : { flowId }),
            request: {
              method,
              url,
              headers: requestHeaders,
              ...(reqBody === undefined ? {} : { body: reqBody }),
            },
            ...(res.headersSent
              ? {
                  response: {
                    status: res.statusCode,
                    statusText: res.statusMessage || STATUS_CODES[res.statusCode] || '',
                    headers: responseHeaders,
                    ...(resBody === undefined ? {} : { body: resBody }),
                  },
                }
              : {}),
            ...(error === undefined ? {} : { error }),
          },
        });
      } catch (e) {
        console.error(
          'Could not record an HTTP exchange in the trace:',
          redactText(e instanceof Error ? e.message : String(e)),
        );
      }
    };
    res.once('finish', () => finish());
    res.once('close', () =>
      finish(
        res.writableFinished ? undefined : 'connection closed before the response was complete',
      ),
    );
    next?.();
  };
}
