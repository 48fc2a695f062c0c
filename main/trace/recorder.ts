/**
 * The trace recorder: where every party's events meet. Each input passes through redaction before
 * it is stored or published; nothing raw is kept. Memory is bounded (events and bytes), oldest
 * first out, and what was dropped is counted.
 */
import { randomUUID } from 'node:crypto';
import type {
  HttpExchange,
  RawHttpExchange,
  RecordedEvent,
  ServerDecision,
  TraceEvent,
  TraceExport,
  TraceInput,
} from './events';
import {
  createRedactionContext,
  mapStrings,
  redactBody,
  redactHeaders,
  redactText,
  redactUrl,
  type RedactionContext,
} from './redact';
import { SecretRegistry } from './secret-registry';

export interface TraceRecorderOptions {
  /** Keep at most this many events (default 5,000). */
  maxEvents?: number;
  /** Keep at most about this many bytes of serialised events (default 64 MiB). */
  maxBytes?: number;
  /** Known secrets; shared with whoever handles them. A new registry by default. */
  secrets?: SecretRegistry;
  /** Clock for `at` (tests). */
  now?: () => Date;
}

export type TraceListener = (event: RecordedEvent) => void;

/** Anything events can be recorded into (a TraceRecorder, or a test's collector). */
export interface TraceSink {
  record(input: TraceInput): unknown;
}

interface Stored {
  event: RecordedEvent;
  size: number;
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
};

function redactExchange(raw: RawHttpExchange, ctx: RedactionContext): HttpExchange {
  const text = (value: string): string => redactText(value, ctx);
  const exchange: HttpExchange = {
    id: raw.id ?? randomUUID(),
    party: raw.party,
    startedAt: raw.startedAt,
    durationMs: raw.durationMs,
    request: {
      method: raw.request.method.toUpperCase(),
      url: redactUrl(raw.request.url, ctx),
      headers: redactHeaders(raw.request.headers, ctx),
      ...(raw.request.body === undefined ? {} : { body: redactBody(raw.request.body, ctx) }),
    },
  };
  if (raw.flowId !== undefined) exchange.flowId = text(raw.flowId);
  if (raw.stepId !== undefined) exchange.stepId = text(raw.stepId);
  if (raw.response) {
    const r = raw.response;
    exchange.response = {
      status: r.status,
      statusText: text(r.statusText),
      headers: redactHeaders(r.headers, ctx),
      ...(r.body === undefined ? {} : { body: redactBody(r.body, ctx) }),
      ...(r.url === undefined ? {} : { url: redactUrl(r.url, ctx) }),
    };
  }
  if (raw.error !== undefined) exchange.error = text(raw.error);
  return exchange;
}

function redactDecision(d: ServerDecision, ctx: RedactionContext): ServerDecision {
  // Copy only the known fields: a producer's extra fields (e.g. `type`) are not part of the trace.
  const text = (value: string): string => redactText(value, ctx);
  const out: ServerDecision = {
    httpMethod: d.httpMethod,
    path: redactUrl(d.path, ctx),
    method: d.method,
    verdict: d.verdict,
    status: d.status,
    latencyMs: d.latencyMs,
  };
  if (d.subject !== undefined) out.subject = text(d.subject);
  if (d.clientId !== undefined) out.clientId = text(d.clientId);
  if (d.reason !== undefined) out.reason = text(d.reason);
  if (d.cached !== undefined) out.cached = d.cached;
  return out;
}

function redactInput(input: TraceInput, at: string, ctx: RedactionContext): TraceEvent {
  const text = (value: string): string => redactText(value, ctx);
  switch (input.type) {
    case 'http':
      return { type: 'http', at, exchange: redactExchange(input.exchange, ctx) };
    case 'step':
      return {
        type: 'step',
        at,
        flowId: text(input.flowId),
        stepId: text(input.stepId),
        status: input.status,
        title: text(input.title),
        ...(input.detail === undefined ? {} : { detail: text(input.detail) }),
      };
    case 'note':
      return {
        type: 'note',
        at,
        level: input.level,
        message: text(input.message),
        ...(input.flowId === undefined ? {} : { flowId: text(input.flowId) }),
        ...(input.party === undefined ? {} : { party: input.party }),
        ...(input.specRef === undefined ? {} : { specRef: text(input.specRef) }),
      };
    case 'server-decision':
      return { type: 'server-decision', at, decision: redactDecision(input.decision, ctx) };
  }
}

export class TraceRecorder implements TraceSink {
  /** The known secrets every recorded string is checked against. */
  readonly secrets: SecretRegistry;

  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #now: () => Date;
  readonly #listeners = new Set<TraceListener>();
  readonly #unhookRegistry: () => void;
  #stored: Stored[] = [];
  #bytes = 0;
  #dropped = 0;
  #seq = 0;
  #queue: RecordedEvent[] = [];
  #delivering = false;

  constructor(options: TraceRecorderOptions = {}) {
    this.#maxEvents = Math.max(1, options.maxEvents ?? 5_000);
    this.#maxBytes = Math.max(1, options.maxBytes ?? 64 * 1024 * 1024);
    this.#now = options.now ?? (() => new Date());
    this.secrets = options.secrets ?? new SecretRegistry();
    // A secret learnt now may sit in events stored before: scrub them too.
    this.#unhookRegistry = this.secrets.onRegister((added) => this.#rescrub(added.replaceKnown));
  }

  /**
   * Redacts `input`, stores it and publishes it to subscribers, in order. Secrets recognised by
   * their position (a `code` parameter, a token field...) are registered as known secrets, so later
   * appearances in free text are masked too. Returns the stored event.
   */
  record(input: TraceInput): RecordedEvent {
    const ctx = createRedactionContext(this.secrets);
    const at = input.at ?? this.#now().toISOString();
    let event = redactInput(input, at, ctx);
    if (this.secrets.registerAll(ctx.found) > 0) {
      // The same event may mention a secret, learnt just now, in another place.
      event = mapStrings(event, (s) =>
        this.secrets.replaceKnown(s, (t) => ctx.tokens.set(t.fingerprint, t)),
      );
    }
    if (event.type === 'http' && ctx.tokens.size > 0) {
      event = { ...event, exchange: { ...event.exchange, tokens: [...ctx.tokens.values()] } };
    }
    const json = JSON.stringify({ seq: ++this.#seq, ...event });
    const stored = deepFreeze(JSON.parse(json) as RecordedEvent);
    this.#stored.push({ event: stored, size: json.length });
    this.#bytes += json.length;
    this.#evict();
    this.#deliver(stored);
    return stored;
  }

  /** `listener` receives every event recorded from now on, in order. Returns the unsubscribe. */
  subscribe(listener: TraceListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** A snapshot of the stored events, oldest first. */
  events(): RecordedEvent[] {
    return this.#stored.map((s) => s.event);
  }

  /** Events dropped (oldest first) to stay within bounds since the last clear. */
  get dropped(): number {
    return this.#dropped;
  }

  get size(): number {
    return this.#stored.length;
  }

  /** Forgets the stored events (not the known secrets; `seq` keeps counting). */
  clear(): void {
    this.#stored = [];
    this.#bytes = 0;
    this.#dropped = 0;
  }

  /** The trace as a pretty JSON document (`TraceExport`), ready to save or share. */
  export(): string {
    const doc: TraceExport = {
      format: 'mcp-auth-desktop-trace',
      version: 1,
      exportedAt: this.#now().toISOString(),
      dropped: this.#dropped,
      // Already clean: each event was checked against every secret known when it was recorded,
      // and against each secret registered since (see the constructor).
      events: this.events(),
    };
    return JSON.stringify(doc, null, 2);
  }

  /** Stops listening to the secret registry (when it outlives this recorder). */
  dispose(): void {
    this.#unhookRegistry();
    this.#listeners.clear();
  }

  #evict(): void {
    while (
      this.#stored.length > 1 &&
      (this.#stored.length > this.#maxEvents || this.#bytes > this.#maxBytes)
    ) {
      const oldest = this.#stored.shift();
      if (!oldest) break;
      this.#bytes -= oldest.size;
      this.#dropped += 1;
    }
  }

  #rescrub(replace: (text: string) => string): void {
    for (const stored of this.#stored) {
      const scrubbed = mapStrings(stored.event, replace);
      if (scrubbed !== stored.event) stored.event = deepFreeze(scrubbed);
    }
  }

  #deliver(event: RecordedEvent): void {
    // A listener that records an event must not reorder delivery: queue, drain in order.
    this.#queue.push(event);
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        for (const listener of [...this.#listeners]) {
          if (!this.#listeners.has(listener)) continue;
          try {
            listener(next);
          } catch (error) {
            console.error('A trace listener threw:', error);
          }
        }
      }
    } finally {
      this.#delivering = false;
    }
  }
}
