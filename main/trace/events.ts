/**
 * The trace's vocabulary: one source of truth for the main process, the export file and (type-only)
 * the renderer. Everything here is plain JSON: no classes, no Dates, no undefined-valued keys.
 *
 * Two families of types live here:
 * - `TraceEvent` and what it holds: what the recorder STORES, publishes and exports. Already
 *   redacted; safe to show, log and share.
 * - `TraceInput` and `RawHttpExchange`: what producers hand to `TraceRecorder.record()`. These may
 *   carry secrets; they never leave the recorder unredacted.
 */

import type { VerificationEvent } from '../server/verification-event';

export type Party = 'client' | 'server' | 'issuer';

/** A token (access, refresh, ID, DPoP proof, assertion...) replaced by what is safe to show. */
export interface RedactedToken {
  redacted: 'token';
  kind: 'jwt' | 'opaque';
  /** 'sha256:' + the first 12 hex digits of SHA-256 over the raw token: equal tokens, equal prints. */
  fingerprint: string;
  /** Length of the raw token in characters. */
  length: number;
  /**
   * A JWT's decoded header and payload (iss, aud, scope, exp...). Without the signature they cannot
   * be replayed, and they are what a person debugging needs. Absent for opaque tokens.
   */
  jwt?: { header: Record<string, unknown>; payload: Record<string, unknown> };
}

/** A form field's value: plain text, a masked secret ('«redacted code …»'), or a token. */
export type FormValue = string | RedactedToken;

export interface HttpMessageBody {
  /** The Content-Type header as sent, or null when there was none. */
  contentType: string | null;
  /**
   * Size of the body in bytes. With `truncated`, at least this many. Absent when the body was not
   * read (an event stream, a streamed upload).
   */
  bytes?: number;
  /** A JSON body, parsed, with secrets replaced (tokens by RedactedToken, others by masks). */
  json?: unknown;
  /** A form-urlencoded body. A field sent several times (e.g. `resource`) holds an array. */
  form?: Record<string, FormValue | FormValue[]>;
  /** Any other textual body (or JSON/form that could not be parsed, e.g. truncated), redacted. */
  text?: string;
  /** Only the first `maxBodyBytes` were kept (or the body stopped arriving in time). */
  truncated?: boolean;
  /**
   * Why the content is missing or partial, in words: an event stream is not buffered, binary
   * content is not decoded, a body still arriving after the wait is cut.
   */
  note?: string;
}

export interface HttpRequestRecord {
  method: string;
  /** Secrets in the query and fragment are masked; everything else as sent. */
  url: string;
  /** Lower-case names; several Set-Cookie values are joined with '\n'. */
  headers: Record<string, string>;
  body?: HttpMessageBody;
}

export interface HttpResponseRecord {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body?: HttpMessageBody;
  /** The final URL when fetch followed redirects to get here. */
  url?: string;
}

export interface HttpExchange {
  id: string;
  /** Which of the three parties made (client) or answered (server, issuer) the request. */
  party: Party;
  flowId?: string;
  stepId?: string;
  /** ISO 8601 time the request started. */
  startedAt: string;
  /** From the request start until the response body was read (event streams: until headers). */
  durationMs: number;
  request: HttpRequestRecord;
  response?: HttpResponseRecord;
  /** The request failed without a response (network error, abort, timeout). */
  error?: string;
  /**
   * Every distinct token this exchange carried, anywhere (headers, URL, bodies), once each. Tokens
   * inside strings show only as '«redacted jwt sha256:…»'; this is where their claims are.
   */
  tokens?: RedactedToken[];
}

export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'skipped';

/**
 * What the bundled MCP server decided about one request's bearer token (never the token). The
 * server owns the shape; the trace only carries it.
 */
export type ServerDecision = Omit<VerificationEvent, 'type' | 'at'>;

export interface HttpEvent {
  type: 'http';
  at: string;
  exchange: HttpExchange;
}

export interface StepEvent {
  type: 'step';
  at: string;
  flowId: string;
  stepId: string;
  status: StepStatus;
  title: string;
  detail?: string;
}

export interface NoteEvent {
  type: 'note';
  at: string;
  flowId?: string;
  /** Who the note is about, when it is about one party (e.g. an issuer log line). */
  party?: Party;
  level: 'info' | 'warning' | 'error';
  message: string;
  /** e.g. 'RFC 9728 §3' or a URL. */
  specRef?: string;
}

export interface ServerDecisionEvent {
  type: 'server-decision';
  at: string;
  decision: ServerDecision;
}

/** One redacted event, as stored, published and exported. */
export type TraceEvent = HttpEvent | StepEvent | NoteEvent | ServerDecisionEvent;

/** A stored event with its place in the recorder: `seq` grows by one per event, never reused. */
export type RecordedEvent = TraceEvent & { seq: number };

/** The export file's top level (`TraceRecorder.export()`). */
export interface TraceExport {
  format: 'mcp-auth-desktop-trace';
  version: 1;
  exportedAt: string;
  /** How many older events the bounded buffer had dropped before this export. */
  dropped: number;
  events: RecordedEvent[];
}

// ---------------------------------------------------------------------------------------------
// Inputs: what producers give the recorder. May contain secrets; redacted on the way in.
// ---------------------------------------------------------------------------------------------

/** A body as it went over the wire, decoded to text (possibly cut at `maxBodyBytes`). */
export interface RawHttpBody {
  contentType: string | null;
  /** The body's text; absent when it was not captured (then `note` says why). */
  text?: string;
  bytes?: number;
  truncated?: boolean;
  note?: string;
}

export type RawHeaders = Record<string, string | string[] | undefined>;

export interface RawHttpExchange {
  /** Assigned by the recorder when absent. */
  id?: string;
  party: Party;
  flowId?: string;
  stepId?: string;
  startedAt: string;
  durationMs: number;
  request: { method: string; url: string; headers: RawHeaders; body?: RawHttpBody };
  response?: {
    status: number;
    statusText: string;
    headers: RawHeaders;
    body?: RawHttpBody;
    url?: string;
  };
  error?: string;
}

type WithOptionalAt<T extends { at: string }> = Omit<T, 'at'> & { at?: string };

/** What `TraceRecorder.record()` accepts; `at` defaults to now. */
export type TraceInput =
  | { type: 'http'; at?: string; exchange: RawHttpExchange }
  | WithOptionalAt<StepEvent>
  | WithOptionalAt<NoteEvent>
  | WithOptionalAt<ServerDecisionEvent>;
