/**
 * The sequence diagram of a sign-in, derived from the trace: a pure function of the recorded
 * (already redacted) events, the bundled server's verification decisions and the steps' final
 * state. Four lanes: the person at the browser, the MCP client (this app), the issuer, the MCP
 * server. Every request/response arrow is one real HTTP exchange; the browser's part (sign-in,
 * consent, redirect) comes from the step events, since the browser is not traced; the server's
 * decisions sit on its lane. The live view (renderer) and the report (main) draw this same model.
 */
import type { StepState } from '../client/engine/types';
import { SESSION_STEPS, STEPS, type AnyStepId } from '../client/engine/steps';
import type { VerificationEvent } from '../server/verification-event';
import type { HttpExchange, RecordedEvent } from '../trace/events';

/** Every step the engine records, sign-in and session alike (refresh, revoke, sign-out). */
const ALL_STEPS: Record<AnyStepId, SequenceStepInfo> = { ...STEPS, ...SESSION_STEPS };

export type Lane = 'browser' | 'client' | 'issuer' | 'server';

export const LANES: readonly { id: Lane; title: string }[] = [
  { id: 'browser', title: 'Person (browser)' },
  { id: 'client', title: 'MCP client (this app)' },
  { id: 'issuer', title: 'Issuer' },
  { id: 'server', title: 'MCP server' },
];

export type ArrowKind = 'request' | 'response' | 'browser' | 'decision' | 'failure';

/** How an arrow went: as expected, refused on purpose (a 401 that starts a sign-in), or failed. */
export type ArrowOutcome = 'ok' | 'refused' | 'failed';

export interface SequenceArrow {
  /** Position in the diagram, from 0. */
  index: number;
  kind: ArrowKind;
  from: Lane;
  to: Lane;
  /** Plain words: "asks for the server's metadata", "401: sign in first". */
  label: string;
  at: string;
  outcome: ArrowOutcome;
  stepId?: AnyStepId;
  /** The trace event this arrow comes from (its `seq`). */
  seq: number;
  /** The exchange this arrow draws (a request and its response share it). */
  exchangeId?: string;
  status?: number;
  /** Where the step failed: the cause and the fix, drawn beside the arrow. */
  failure?: { cause: string; fix?: string };
}

/** What clicking an arrow opens: the step's explanation and spec reference. */
export interface SequenceStepInfo {
  id: AnyStepId;
  title: string;
  explanation: string;
  specRef: string;
}

export interface SequenceDiagram {
  lanes: readonly { id: Lane; title: string }[];
  arrows: SequenceArrow[];
  /** The steps the arrows refer to (from the engine's step table). */
  steps: Partial<Record<AnyStepId, SequenceStepInfo>>;
  /** The exchanges the arrows refer to, redacted as in the trace. */
  exchanges: Record<string, HttpExchange>;
}

export interface SequenceInput {
  /** The trace, in order; only the events of `flowId` (when given) are drawn. */
  events: readonly RecordedEvent[];
  flowId?: string;
  /** The MCP server's URL: exchanges to its origin go to the server lane, others to the issuer. */
  serverUrl: string;
  /** The bundled server's verification decisions (any order); matched to the exchanges. */
  decisions?: readonly VerificationEvent[];
  /** The steps' final state, for the cause and fix of a failure. */
  steps?: readonly StepState[];
  /** Whether the sign-in was a third-party app's (the browser arrow then mentions consent). */
  consent?: boolean;
}

const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
};
const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

function rpcMethod(exchange: HttpExchange): string | undefined {
  const json = exchange.request.body?.json;
  const one = Array.isArray(json) ? json[0] : json;
  const method = (one as { method?: unknown } | undefined)?.method;
  return typeof method === 'string' ? method : undefined;
}

function toolName(exchange: HttpExchange): string | undefined {
  const json = exchange.request.body?.json as { params?: { name?: unknown } } | undefined;
  return typeof json?.params?.name === 'string' ? json.params.name : undefined;
}

function formField(exchange: HttpExchange, name: string): string | undefined {
  const value = exchange.request.body?.form?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The app's own checks of an old access token (after refresh, after sign-out) name themselves in
 * the MCP initialize's clientInfo; drawn as what they are, not as a new session.
 */
function tokenCheckOf(exchange: HttpExchange): 'signout' | 'demo' | undefined {
  const json = exchange.request.body?.json as { params?: { clientInfo?: { name?: unknown } } };
  const name = json?.params?.clientInfo?.name;
  const kind = typeof name === 'string' ? /-(signout|demo)-check$/.exec(name)?.[1] : undefined;
  return kind as 'signout' | 'demo' | undefined;
}
const isOldTokenCheck = (exchange: HttpExchange): boolean => tokenCheckOf(exchange) !== undefined;

/** What the client asks, in the words a room understands. */
export function requestLabel(exchange: HttpExchange, toServer: boolean): string {
  const { method } = exchange.request;
  const path = pathOf(exchange.request.url);
  const bearer = 'authorization' in exchange.request.headers;
  if (toServer) {
    if (path.includes('/.well-known/oauth-protected-resource'))
      return "asks for the server's metadata";
    const rpc = rpcMethod(exchange);
    if (!bearer && rpc === 'initialize') return 'asks the MCP server, without a token';
    const check = tokenCheckOf(exchange);
    // The demo's checks show a token the app kept: an expired one, or one the flow never used.
    if (check === 'demo') return 'shows the server the access token it kept';
    if (check) return 'shows the server the old access token';
    if (rpc === 'initialize') return 'opens an MCP session with the token';
    if (rpc === 'notifications/initialized') return 'says the session is ready';
    if (rpc === 'tools/list') return 'asks which tools there are';
    if (rpc === 'tools/call') return `calls ${toolName(exchange) ?? 'a tool'}`;
    if (method === 'GET') return 'opens the event stream';
    if (method === 'DELETE') return 'closes the MCP session';
    return `${method} ${path}`;
  }
  if (/\/\.well-known\/(openid-configuration|oauth-authorization-server)/.test(path))
    return "asks for the issuer's metadata";
  if (/\/auth$/.test(path)) return 'checks the sign-in request';
  if (/\/token\/revocation$/.test(path)) {
    const hint = formField(exchange, 'token_type_hint');
    return hint === 'refresh_token' ? 'revokes the refresh token' : 'revokes the access token';
  }
  if (/\/token$/.test(path)) {
    const grant = formField(exchange, 'grant_type');
    if (grant === 'refresh_token') return 'refresh token for a new access token';
    if (grant === 'authorization_code') return 'code for tokens';
    return 'asks for tokens';
  }
  if (/\/reg$/.test(path)) return 'registers itself as a client';
  if (/\/me$|userinfo/.test(path)) return 'asks who the token belongs to';
  return `${method} ${path}`;
}

/** What came back, in the same words. */
export function responseLabel(exchange: HttpExchange, toServer: boolean): string {
  const response = exchange.response;
  if (!response) return `no answer: ${exchange.error ?? 'the request failed'}`;
  const { status } = response;
  const path = pathOf(exchange.request.url);
  const json = response.body?.json as { error?: unknown } | undefined;
  const oauthError = typeof json?.error === 'string' ? json.error : undefined;
  if (toServer) {
    if (isOldTokenCheck(exchange))
      return status < 300
        ? `${status}: still accepted`
        : `${status}: rejected${oauthError ? ` (${oauthError})` : ''}`;
    if (status === 401) {
      return 'authorization' in exchange.request.headers
        ? '401: this token is not accepted'
        : '401: sign in first';
    }
    if (status === 403) return '403: the token lacks a permission';
    if (path.includes('/.well-known/oauth-protected-resource') && status === 200)
      return '200: my resource indicator and the issuer I trust';
    const rpc = rpcMethod(exchange);
    if (status < 300 && rpc === 'tools/call') return '200: here is who you are';
    if (status < 300 && rpc === 'tools/list') return '200: the tools';
    if (status < 300 && rpc === 'initialize') return '200: session open';
    if (status < 300) return `${status}: OK`;
    return `${status}${oauthError ? `: ${oauthError}` : ''}`;
  }
  if (status === 404 && /\.well-known/.test(path)) return '404: try the next address';
  if (/\.well-known/.test(path) && status === 200) return '200: endpoints and features';
  if (/\/auth$/.test(path) && status >= 300 && status < 400) return `${status}: go to sign-in`;
  if (/\/token$/.test(path) && status === 200) {
    const body = response.body?.json as Record<string, unknown> | undefined;
    const extras = [body?.id_token && 'ID', body?.refresh_token && 'refresh'].filter(Boolean);
    return `200: ${['access', ...extras].join(' + ')} token${extras.length ? 's' : ''}`;
  }
  if (/\/token\/revocation$/.test(path) && status === 200) return '200: revoked';
  return `${status}${oauthError ? `: ${oauthError}` : status < 300 ? ': OK' : ''}`;
}

/** A server decision in words: "checked the JWT's signature and audience: allowed". */
export function decisionLabel(d: VerificationEvent): string {
  const how =
    d.method === 'jwt'
      ? "checked the JWT's signature and audience"
      : d.method === 'userinfo'
        ? `asked the issuer's userinfo who the token belongs to${d.cached ? ' (cached)' : ''}`
        : 'no token';
  // RFC 6750 §3.1: a 403 is insufficient_scope, so the token itself passed; only its scope fell short.
  if (d.status === 403 && d.method) {
    const passed =
      d.method === 'jwt' ? 'JWT signature and audience fine' : 'userinfo knows the user';
    return `${passed}, a required scope missing: refused${d.reason ? ` (${d.reason})` : ''}`;
  }
  const verdict =
    d.verdict === 'allowed' ? 'allowed' : d.verdict === 'rejected' ? 'rejected' : 'could not check';
  return `${how}: ${verdict}${d.reason && d.verdict !== 'allowed' && d.method ? ` (${d.reason})` : ''}`;
}

/**
 * Pairs each exchange to the server with the decision about it: same method and path, a token
 * sent exactly when the server saw one, decided while the exchange was open (one clock: both
 * run in this process), the closest in time, each decision used once.
 */
function pairDecisions(
  toServer: readonly HttpExchange[],
  decisions: readonly VerificationEvent[],
): Map<string, VerificationEvent> {
  const paired = new Map<string, VerificationEvent>();
  const used = new Set<VerificationEvent>();
  const SLACK_MS = 5;
  for (const x of toServer) {
    if (pathOf(x.request.url).includes('/.well-known/')) continue;
    const start = Date.parse(x.startedAt);
    const bearer = 'authorization' in x.request.headers;
    let best: VerificationEvent | undefined;
    for (const d of decisions) {
      if (used.has(d) || d.httpMethod !== x.request.method) continue;
      if (d.path !== pathOf(x.request.url) || (d.method !== null) !== bearer) continue;
      const at = Date.parse(d.at);
      if (at < start - SLACK_MS || at > start + x.durationMs + SLACK_MS) continue;
      if (!best || Math.abs(at - start) < Math.abs(Date.parse(best.at) - start)) best = d;
    }
    if (best) {
      used.add(best);
      paired.set(x.id, best);
    }
  }
  return paired;
}

const outcomeOf = (status: number | undefined, planned: boolean): ArrowOutcome =>
  status === undefined ? 'failed' : status < 400 ? 'ok' : planned ? 'refused' : 'failed';

/**
 * Where something that began at `iso` (a wait) goes in the diagram: before the first arrow at or
 * after that time. By time, not by count: an exchange that was still open then lands later.
 */
export function arrowsBefore(arrows: readonly SequenceArrow[], iso: string): number {
  const from = Date.parse(iso);
  const index = arrows.findIndex((arrow) => Date.parse(arrow.at) >= from);
  return index < 0 ? arrows.length : index;
}

/** The diagram for one flow (or a whole trace). Pure: same input, same diagram. */
export function deriveSequence(input: SequenceInput): SequenceDiagram {
  const serverOrigin = originOf(input.serverUrl);
  const events = input.flowId
    ? input.events.filter((e) =>
        e.type === 'http'
          ? e.exchange.flowId === input.flowId
          : e.type === 'step' || e.type === 'note'
            ? e.flowId === input.flowId
            : false,
      )
    : input.events;
  const exchanges = events.flatMap((e) => (e.type === 'http' ? [e.exchange] : []));
  const decisions = pairDecisions(
    exchanges.filter((x) => originOf(x.request.url) === serverOrigin),
    input.decisions ?? [],
  );
  const failedSteps = new Map<AnyStepId, StepState>(
    (input.steps ?? []).filter((s) => s.status === 'failed' && s.error).map((s) => [s.id, s]),
  );

  const arrows: SequenceArrow[] = [];
  const steps: SequenceDiagram['steps'] = {};
  const byId: Record<string, HttpExchange> = {};
  const push = (arrow: Omit<SequenceArrow, 'index'>) => {
    arrows.push({ index: arrows.length, ...arrow });
    if (arrow.stepId) {
      const { id, title, explanation, specRef } = ALL_STEPS[arrow.stepId];
      steps[arrow.stepId] = { id, title, explanation, specRef };
    }
  };
  const stepOf = (id: string | undefined): AnyStepId | undefined =>
    id && Object.hasOwn(ALL_STEPS, id) ? (id as AnyStepId) : undefined;

  for (const event of events) {
    if (event.type === 'http') {
      const x = event.exchange;
      byId[x.id] = x;
      const toServer = originOf(x.request.url) === serverOrigin;
      const lane: Lane = toServer ? 'server' : 'issuer';
      const stepId = stepOf(x.stepId);
      const base = { seq: event.seq, exchangeId: x.id, ...(stepId && { stepId }) };
      push({
        ...base,
        kind: 'request',
        from: 'client',
        to: lane,
        at: x.startedAt,
        outcome: 'ok',
        label: requestLabel(x, toServer),
      });
      const decision = decisions.get(x.id);
      if (decision) {
        push({
          ...base,
          kind: 'decision',
          from: 'server',
          to: 'server',
          at: decision.at,
          outcome:
            decision.verdict === 'allowed'
              ? 'ok'
              : decision.status === 401 && !decision.method
                ? 'refused'
                : 'failed',
          status: decision.status,
          label: decisionLabel(decision),
        });
      }
      const status = x.response?.status;
      // A 401 to the first unauthenticated call and a 404 while looking for metadata are how
      // discovery works, not failures (MCP Authorization §Authorization Server Discovery).
      const planned =
        (status === 401 && !('authorization' in x.request.headers)) ||
        (status === 404 && /\.well-known/.test(x.request.url));
      push({
        ...base,
        kind: 'response',
        from: lane,
        to: 'client',
        at: new Date(Date.parse(x.startedAt) + x.durationMs).toISOString(),
        outcome: outcomeOf(status, planned),
        label: responseLabel(x, toServer),
        ...(status !== undefined && { status }),
      });
      continue;
    }
    if (event.type !== 'step') continue;
    const stepId = stepOf(event.stepId);
    if (!stepId) continue;
    if (stepId === 'sign-in' && event.status === 'running') {
      push({
        seq: event.seq,
        stepId,
        kind: 'browser',
        from: 'client',
        to: 'browser',
        at: event.at,
        outcome: 'ok',
        label: 'opens the sign-in page',
      });
      push({
        seq: event.seq,
        stepId,
        kind: 'browser',
        from: 'browser',
        to: 'issuer',
        at: event.at,
        outcome: 'ok',
        label: input.consent ? 'signs in, then consents' : 'signs in',
      });
    }
    if (stepId === 'redirect' && event.status === 'running') {
      push({
        seq: event.seq,
        stepId,
        kind: 'browser',
        from: 'issuer',
        to: 'browser',
        at: event.at,
        outcome: 'ok',
        label: 'redirect with a one-time code',
      });
      push({
        seq: event.seq,
        stepId,
        kind: 'browser',
        from: 'browser',
        to: 'client',
        at: event.at,
        outcome: 'ok',
        label: 'brings the code back to the app',
      });
    }
    const error =
      failedSteps.get(stepId)?.error ?? (event.detail ? { message: event.detail } : undefined);
    if (event.status === 'failed' && error) {
      // Drawn on the last arrow of the step when it had one, else as a note on the client lane.
      const failure = { cause: error.message, ...(error.fix && { fix: error.fix }) };
      const last = [...arrows].reverse().find((a) => a.stepId === stepId && a.kind !== 'decision');
      if (last) {
        last.failure = failure;
        last.outcome = 'failed';
      } else {
        push({
          seq: event.seq,
          stepId,
          kind: 'failure',
          from: 'client',
          to: 'client',
          at: event.at,
          outcome: 'failed',
          label: `${ALL_STEPS[stepId].title}: failed`,
          failure,
        });
      }
    }
  }
  return { lanes: LANES, arrows, steps, exchanges: byId };
}
