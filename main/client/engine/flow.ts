/**
 * One sign-in, from the first unauthenticated request to a tool call, as explicit steps. The quick
 * Connect button runs them all; the guided view pauses before each (`pauseBefore`); the command
 * line and the conformance runs drive the same code. The steps are the table in flow-steps.ts;
 * this file runs them over the flow's state and holds the live parts (MCP session, pending
 * redirect, listeners). Every HTTP exchange goes through a traced fetch, every secret is
 * registered with the trace before it can appear in one.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Profile } from '../../profiles/schema';
import { withDeadline } from '../../shared/fetch-with-timeout';
import { createTracedFetch, type TraceRecorder } from '../../trace';
import type {
  AuthorizationCallback,
  PendingRedirect,
  RedirectFailureKind,
  RedirectReceiver,
} from '../redirect/receiver';
import type { AuthorizationRequest, ResourceChoice } from './authorization';
import { readChallenge, type Challenge } from './challenge';
import { clientMetadataFor } from './client-identity';
import type { Transport } from './discovery';
import { FLOW_ERROR, type RedirectFailureCode } from './error-codes';
import {
  extra,
  startSignIn,
  stepsOf,
  type AnyStepState,
  type FlowState,
  type Phase,
  type StepRun,
} from './flow-steps';
import { grantedFromTokens } from './granted-scopes';
import { FlowStepError, type Finding } from './notes';
import { decideRecovery, nextAttempts, type RecoveryAttempts } from './recovery';
import { isExpiring } from './refresh-margin';
import { EngineOAuthProvider } from './sdk-provider';
import { sessionFits, type SessionStore, type StoredSession } from './session-store';
import { SESSION_STEP_IDS, SESSION_STEPS, STEP_IDS, STEPS, type AnyStepId } from './steps';
import type { FlowResult, SessionSummary, SignOutReport, StepState } from './types';

export type { FlowResult, SessionSummary, SignOutReport, StepState, StepStatus } from './types';

export { MAX_STEP_UPS } from './recovery';
const CANCEL_SUSPECTED =
  'It looks like you pressed Cancel on the consent page: the browser came back to this app with no result (what Logto sends on Cancel; any web page could send the same, so the sign-in is still open). Try again, or Stop.';

export interface FlowSettings {
  profileId: string;
  serverUrl: string;
  transport: Transport;
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  /** This app's Client ID Metadata Document URL, offered where the issuer accepts one. */
  clientMetadataUrl?: string;
  scopes: string[];
  resource: ResourceChoice;
  prompt?: string;
  extraParams: Record<string, string>;
  refreshTokens: boolean;
  /** The profile's fixed loopback redirect port, named in redirect URI advice. */
  redirectPort?: number;
  /**
   * Without an issuer in the profile, a client secret is refused (it may only go to the issuer
   * the user named). The command line sets this when its user gave a secret and no --issuer.
   */
  allowSecretToServerIssuer?: boolean;
}

export function settingsFromProfile(profile: Profile, clientSecret?: string): FlowSettings {
  return {
    profileId: profile.id,
    serverUrl: profile.serverUrl,
    transport: profile.transport,
    scopes: profile.scopes,
    resource: profile.resource,
    extraParams: profile.extraParams,
    refreshTokens: profile.refreshTokens,
    ...(profile.issuer && { issuer: profile.issuer }),
    ...(profile.clientId && { clientId: profile.clientId }),
    ...(clientSecret && { clientSecret }),
    ...(profile.prompt && { prompt: profile.prompt }),
    ...(profile.redirectPort !== undefined && { redirectPort: profile.redirectPort }),
  };
}

/** What the host provides: where the trace goes, how a redirect arrives, how a URL is opened. */
export interface FlowHost {
  recorder: TraceRecorder;
  receiver: RedirectReceiver;
  /** The redirect URI this host receives on (loopback listener or the app's scheme). */
  redirectUri: string;
  /** Opens the sign-in page: the system browser, a new tab, or a headless follower. */
  openAuthorizationUrl(url: URL): Promise<void> | void;
  /**
   * The sign-in page is followed by a program, never a person (`connect --auto`): the check's own
   * answer is then exactly the sign-in the follower would make, so it is used.
   */
  headless?: boolean;
  sessions: SessionStore;
  fetch?: FetchLike;
  /** How long the user has to finish signing in; default 5 min. */
  signInTimeoutMs?: number;
  /** Deadline for every HTTP request of the flow; default 10 s. */
  requestTimeoutMs?: number;
}

type PauseBefore = (step: StepState) => Promise<void>;

export class Flow {
  readonly id = randomUUID();
  readonly steps: StepState[] = STEP_IDS.map((id) => ({
    ...STEPS[id],
    status: 'pending',
    findings: [],
  }));
  /** The steps after sign-in (refresh, sign-out): their own list, so `steps` stays the sign-in. */
  readonly sessionSteps: AnyStepState[] = SESSION_STEP_IDS.map((id) => ({
    ...SESSION_STEPS[id],
    status: 'pending',
    findings: [],
  }));

  private readonly listeners = new Set<(steps: readonly StepState[]) => void>();
  private current: AnyStepId | undefined;
  private readonly fetchFn: FetchLike;
  private mcp: { client: Client; close(): Promise<void> } | undefined;
  private lastRefusal: Challenge | undefined;
  private pendingRedirect: PendingRedirect | undefined;
  private cancelled: string | undefined;
  /** The sign-in URL being waited on, to open again after a suspected consent Cancel. */
  private openRequest: URL | undefined;
  /** What the flow knows, as plain data (see FlowState): the steps read and write only this. */
  readonly state: FlowState = {
    authorizationServerUrl: '',
    reusedSession: false,
    tokensFresh: false,
  };

  constructor(
    readonly settings: FlowSettings,
    private readonly host: FlowHost,
  ) {
    if (settings.clientSecret)
      host.recorder.secrets.register(settings.clientSecret, 'client_secret');
    const timeoutMs = host.requestTimeoutMs ?? 10_000;
    const base: FetchLike = host.fetch ?? ((url, init) => fetch(url, init));
    const traced = createTracedFetch({
      recorder: host.recorder,
      party: 'client',
      flowId: this.id,
      stepId: () => this.current,
      fetch: withDeadline(base, timeoutMs),
    });
    // Remember the last refusal, so a 403 in a dialect the SDK does not know still drives step-up.
    this.fetchFn = async (url, init) => {
      const response = await traced(url, init);
      if (response.status === 401 || response.status === 403) {
        const body = /json/i.test(response.headers.get('content-type') ?? '')
          ? await response
              .clone()
              .json()
              .catch(() => undefined)
          : undefined;
        this.lastRefusal = readChallenge(
          response.status,
          response.headers.get('www-authenticate'),
          body,
        );
      }
      return response;
    };
  }

  onChange(listener: (steps: readonly StepState[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.steps);
  }

  private stepState(id: AnyStepId): AnyStepState {
    return [...this.steps, ...this.sessionSteps].find((s) => s.id === id)!;
  }

  private note(finding: Finding): void {
    this.host.recorder.record({
      type: 'note',
      flowId: this.id,
      level: finding.level,
      message: finding.message,
      ...(finding.specRef && { specRef: finding.specRef }),
    });
  }

  private async step<T>(
    id: AnyStepId,
    preview: string,
    pauseBefore: PauseBefore | undefined,
    run: (state: AnyStepState) => Promise<T>,
  ): Promise<T> {
    const state = this.stepState(id);
    Object.assign(state, { preview, findings: [], status: 'pending' });
    delete state.error;
    if (pauseBefore) {
      state.status = 'waiting';
      this.emit();
      // Only the sign-in phases are run guided, so this is one of `steps`.
      await pauseBefore(state as StepState);
    }
    state.status = 'running';
    state.startedAt = new Date().toISOString();
    const started = performance.now();
    // A refresh or a new sign-in may run inside a step (recovery): give its step back after.
    const outer = this.current;
    this.current = id;
    this.emit();
    this.host.recorder.record({
      type: 'step',
      flowId: this.id,
      stepId: id,
      status: 'running',
      title: state.title,
    });
    try {
      const result = await run(state);
      state.status = 'done';
      return result;
    } catch (error) {
      state.status = 'failed';
      state.error =
        error instanceof FlowStepError
          ? {
              message: error.message,
              ...(error.fix && { fix: error.fix }),
              ...(error.code && { code: error.code }),
            }
          : { message: error instanceof Error ? error.message : String(error) };
      this.note({
        level: 'error',
        message: `${state.title}: ${state.error.message}${state.error.fix ? ` — ${state.error.fix}` : ''}`,
      });
      throw error;
    } finally {
      state.durationMs = Math.round(performance.now() - started);
      for (const finding of state.findings) this.note(finding);
      this.host.recorder.record({
        type: 'step',
        flowId: this.id,
        stepId: id,
        status: state.status,
        title: state.title,
        ...(state.error && { detail: state.error.message }),
      });
      this.current = outer;
      this.emit();
    }
  }

  private skip(id: AnyStepId, why: string): void {
    const state = this.stepState(id);
    state.status = 'skipped';
    state.findings = [{ level: 'info', message: why }];
    this.emit();
  }

  /** Runs every step up to an open MCP session; `pauseBefore` makes it the guided view. */
  async run(opts: { pauseBefore?: PauseBefore } = {}): Promise<FlowResult> {
    const { pauseBefore } = opts;
    await this.runPhase('connect', pauseBefore);
    await this.runPhase('discovery', pauseBefore);
    if (this.state.needsAuth) await this.reuseStoredSession();
    if (this.state.needsAuth && !this.state.reusedSession) {
      startSignIn(this.state, this.settings, undefined);
    }
    await this.runPhase('sign-in', pauseBefore);
    await this.runPhase('session', pauseBefore);
    return {
      tools: this.state.tools ?? [],
      ...(this.state.session && { session: summarize(this.state.session) }),
    };
  }

  /** Runs the steps of a phase in table order, skipping those whose entry says they do not apply. */
  private async runPhase(
    phase: Phase,
    pauseBefore?: PauseBefore,
    lent: Pick<StepRun, 'tool' | 'openEndSession'> = {},
  ): Promise<unknown> {
    let result: unknown;
    const run = this.stepRun(lent, pauseBefore !== undefined);
    for (const entry of stepsOf(phase)) {
      const why = entry.skipWhen?.(this.state);
      if (why) {
        this.skip(entry.id, why);
        continue;
      }
      result = await this.step(entry.id, entry.preview(run), pauseBefore, (s) => entry.run(run, s));
    }
    return result;
  }

  /** The flow's live parts, lent to a running step. */
  private stepRun(lent: Pick<StepRun, 'tool' | 'openEndSession'>, guided: boolean): StepRun {
    return {
      settings: this.settings,
      host: this.host,
      state: this.state,
      fetchFn: this.fetchFn,
      ...(lent.tool && { tool: lent.tool }),
      ...(lent.openEndSession && { openEndSession: lent.openEndSession }),
      saveTokens: (tokens, extra) => this.saveTokens(tokens, extra),
      waitForRedirect: (s, request, approvedAtOnce) =>
        this.waitForRedirect(s, request, approvedAtOnce, guided),
      connectMcp: () => this.connectMcp(),
      listTools: async () => (await this.withRecovery(() => this.mcpClient().listTools())).tools,
      callTool: (name, args) =>
        this.withRecovery(
          () => this.mcpClient().callTool({ name, arguments: args }) as Promise<CallToolResult>,
        ),
    };
  }

  private mcpClient(): Client {
    if (!this.mcp)
      throw new FlowStepError('Not connected.', 'Connect first.', FLOW_ERROR.notConnected);
    return this.mcp.client;
  }

  /** A stored session for this server, issuer and client makes the sign-in steps not apply. */
  private async reuseStoredSession(): Promise<void> {
    const stored = await this.host.sessions.load(this.settings.profileId);
    const reusable =
      stored &&
      this.state.metadata &&
      sessionFits(stored, {
        serverUrl: this.settings.serverUrl,
        issuer: this.state.metadata.issuer,
        ...(this.settings.clientId && { clientId: this.settings.clientId }),
      });
    if (!reusable) return;
    this.state.session = stored;
    this.state.client = stored.client;
    if (stored.resource) this.state.resource = stored.resource;
    else delete this.state.resource;
    this.state.reusedSession = true;
    this.registerSessionSecrets(stored.tokens);
  }

  /** Recovery: sign in again (a step-up, an expired session), even after reusing a session. */
  private async signInAgain(stepUp?: string[]): Promise<void> {
    startSignIn(this.state, this.settings, stepUp);
    await this.runPhase('sign-in');
  }

  /** Opens the sign-in page (or delivers the issuer's at-once approval) and waits for the redirect. */
  private async waitForRedirect(
    s: AnyStepState,
    request: AuthorizationRequest,
    approvedAtOnce: URL | undefined,
    guided: boolean,
  ): Promise<AuthorizationCallback> {
    const metadata = this.state.metadata!;
    const redirectUri = this.host.redirectUri;
    const pending = (this.pendingRedirect = this.host.receiver.expect({
      state: request.state,
      redirectUri,
      ...(this.host.signInTimeoutMs && { timeoutMs: this.host.signInTimeoutMs }),
      ...(extra(metadata, 'authorization_response_iss_parameter_supported') === true && {
        expectedIssuer: metadata.issuer,
      }),
      onCancelSuspected: () => {
        s.question = { code: 'consent_cancel_suspected', message: CANCEL_SUSPECTED };
        // Recorded in the trace with the step's other findings when the step ends.
        s.findings.push({ level: 'warning', message: CANCEL_SUSPECTED });
        this.emit();
      },
    }));
    if (this.cancelled) pending.cancel(this.cancelled);
    this.openRequest = request.url;
    if (approvedAtOnce) {
      s.findings.push({
        level: 'info',
        message: 'Nobody needed to sign in: the issuer approved at once.',
      });
      this.host.receiver.deliver(
        approvedAtOnce,
        /^https?:$/.test(approvedAtOnce.protocol) ? 'loopback' : 'deep-link',
      );
    } else {
      // Not awaited: the browser's redirect may arrive (and wait for the token exchange)
      // before the opener returns.
      this.openSignInPage(request.url, pending);
    }
    s.status = 'waiting';
    this.emit();
    const received = await pending.promise
      .catch((error: unknown) => {
        const e = error as Error & { hint?: string; kind?: RedirectFailureKind };
        throw new FlowStepError(e.message, e.hint, e.kind && redirectFailureCode(e.kind), {
          cause: error,
        });
      })
      .finally(() => {
        delete s.question;
        this.openRequest = undefined;
      });
    this.pendingRedirect = undefined;
    this.host.recorder.secrets.register(received.code, 'authorization_code');
    // Step through pauses before the exchange: the browser page must not wait for a person.
    if (guided) this.host.receiver.settle(received.state, { ok: 'waiting-in-app' });
    return received;
  }

  private registerSessionSecrets(tokens: OAuthTokens): void {
    const secrets = this.host.recorder.secrets;
    secrets.register(tokens.access_token, 'access_token');
    if (tokens.refresh_token) secrets.register(tokens.refresh_token, 'refresh_token');
    if (tokens.id_token) secrets.register(tokens.id_token, 'id_token');
  }

  private async saveTokens(
    tokens: OAuthTokens,
    extra: { requestedScope?: string[] } = {},
  ): Promise<void> {
    this.registerSessionSecrets(tokens);
    const previous = this.state.session;
    this.state.session = {
      // A refresh answer may omit the refresh token (no rotation): keep the one we have.
      tokens: {
        ...tokens,
        ...(!tokens.refresh_token &&
          previous?.tokens.refresh_token && { refresh_token: previous.tokens.refresh_token }),
      },
      ...(tokens.expires_in !== undefined && { expiresAt: Date.now() + tokens.expires_in * 1000 }),
      issuer: this.state.metadata!.issuer,
      serverUrl: this.settings.serverUrl,
      authorizationServerUrl: this.state.authorizationServerUrl,
      client: this.state.client as StoredSession['client'],
      ...(this.state.resource && { resource: this.state.resource }),
      requestedScope: extra.requestedScope ?? previous?.requestedScope ?? [],
    };
    await this.host.sessions.save(this.settings.profileId, this.state.session);
  }

  private async connectMcp(): Promise<void> {
    await this.mcp?.close().catch(() => undefined);
    this.mcp = undefined;
    const url = new URL(this.settings.serverUrl);
    const authProvider = this.state.metadata
      ? new EngineOAuthProvider({
          redirectUri: this.host.redirectUri,
          clientMetadata: clientMetadataFor(
            this.host.redirectUri,
            '',
            !!this.settings.clientSecret,
          ),
          client: () =>
            this.state.client && {
              ...this.state.client,
              issuer: this.state.authorizationServerUrl,
            },
          tokens: () => this.state.session?.tokens,
          saveTokens: (tokens) => this.saveTokens(tokens),
          clearTokens: async () => {
            delete this.state.session;
            await this.host.sessions.clear(this.settings.profileId);
          },
          discovery: () => ({
            authorizationServerUrl: this.state.authorizationServerUrl,
            authorizationServerMetadata: this.state.metadata!,
            ...(this.state.resourceMetadata && { resourceMetadata: this.state.resourceMetadata }),
          }),
          resource: () => this.state.resource,
        })
      : undefined;
    const options = { fetch: this.fetchFn, ...(authProvider && { authProvider }) };
    // A transport starts once: every attempt (after a step-up or a new sign-in) gets a new one.
    const client = await this.withRecovery(async () => {
      const attempt = new Client({ name: 'MCP Auth Desktop', version: '0.1.0' });
      const transport =
        this.settings.transport === 'sse'
          ? new SSEClientTransport(url, options)
          : new StreamableHTTPClientTransport(url, options);
      try {
        await attempt.connect(transport);
        return attempt;
      } catch (error) {
        await attempt.close().catch(() => undefined);
        throw error;
      }
    });
    this.mcp = { client, close: () => client.close() };
  }

  /**
   * Runs an MCP operation, recovering the way a good client does: refresh before expiry; after a
   * 403 insufficient_scope (or mcp-auth's missing_required_scopes) sign in again with the union
   * of scopes, at most MAX_STEP_UPS times; after a 401 the SDK has already tried the refresh
   * token, so sign in again once. decideRecovery says what to do; this carries it out and tries
   * the operation again.
   */
  private async withRecovery<T>(
    operation: () => Promise<T>,
    attempts: RecoveryAttempts = { stepUps: 0, signIns: 0 },
  ): Promise<T> {
    await this.refreshIfExpiring();
    this.lastRefusal = undefined;
    try {
      const result = await operation();
      this.state.tokensFresh = false;
      return result;
    } catch (error) {
      const outcome = decideRecovery({
        refusal: this.lastRefusal as Challenge | undefined,
        error,
        discovered: !!this.state.metadata,
        attempts,
        requestedScope: this.state.session?.requestedScope ?? [],
        ...(this.state.resourceMetadata?.scopes_supported && {
          scopesSupported: this.state.resourceMetadata.scopes_supported,
        }),
        tokensFresh: this.state.tokensFresh,
        ...(this.state.session && { accessToken: this.state.session.tokens.access_token }),
        ...(this.state.resource && { resource: this.state.resource }),
        ...(this.state.resourceMetadata?.resource && {
          serverResource: this.state.resourceMetadata.resource,
        }),
      });
      if (outcome.kind === 'failed') throw outcome.error;
      this.note(outcome.note);
      if (outcome.kind === 'step-up') {
        await this.signInAgain(outcome.scopes);
      } else if (outcome.reason === 'token-now-required') {
        // Discover and sign in from this challenge, as from a first 401.
        this.state.challenge = outcome.challenge;
        this.state.needsAuth = true;
        await this.runPhase('discovery');
        await this.signInAgain();
      } else {
        await this.host.sessions.clear(this.settings.profileId);
        delete this.state.session;
        await this.signInAgain();
      }
      await this.reconnectAfterSignIn();
      return this.withRecovery(operation, nextAttempts(attempts, outcome));
    }
  }

  private async reconnectAfterSignIn(): Promise<void> {
    if (this.mcp) await this.connectMcp();
  }

  private async refreshIfExpiring(): Promise<void> {
    const session = this.state.session;
    if (!session?.tokens.refresh_token || !isExpiring(session)) return;
    await this.refresh().catch((error: unknown) => {
      this.note({
        level: 'warning',
        message: `Refreshing the expiring access token failed: ${(error as Error).message}`,
      });
    });
  }

  /** Trades the refresh token for a new access token: the refresh step (RFC 6749 §6). */
  async refresh(): Promise<SessionSummary> {
    await this.runPhase('refresh');
    return summarize(this.state.session!);
  }

  /** Calls a tool in the open session (whoami unless told otherwise). */
  async callTool(name = 'whoami', args: Record<string, unknown> = {}): Promise<CallToolResult> {
    this.mcpClient();
    return (await this.runPhase('tool', undefined, { tool: { name, args } })) as CallToolResult;
  }

  /**
   * Signs out through the sign-out steps: revokes the refresh and access tokens (RFC 7009),
   * prepares the issuer's end-session URL (OpenID RP-Initiated Logout) for the host to open,
   * forgets the tokens, then shows what the MCP server now says to the old access token.
   */
  async signOut(
    opts: { openEndSession?: (url: URL) => Promise<void> | void } = {},
  ): Promise<SignOutReport> {
    const session = this.state.session ?? (await this.host.sessions.load(this.settings.profileId));
    const report: SignOutReport = { revoked: [] };
    await this.mcp?.close().catch(() => undefined);
    this.mcp = undefined;
    if (!session) return report;
    this.state.signOut = { session, report };
    try {
      await this.runPhase('sign-out', undefined, {
        ...(opts.openEndSession && { openEndSession: opts.openEndSession }),
      });
    } finally {
      delete this.state.signOut;
    }
    return report;
  }

  /**
   * Stops a flow that waits for the sign-in; its step fails with `reason`. After a suspected
   * consent Cancel, stopping confirms it: the step fails as cancelled on the consent page.
   */
  cancel(reason = 'The sign-in was cancelled in the app.'): void {
    this.cancelled = reason;
    if (this.stepState('sign-in').question) this.pendingRedirect?.decline();
    else this.pendingRedirect?.cancel(reason);
  }

  /** Whether the sign-in waits for an answer to a question (Try again / Stop). */
  get question(): StepState['question'] {
    return this.stepState('sign-in').question;
  }

  /** After a suspected consent Cancel: open the sign-in page again; the same sign-in goes on. */
  retrySignIn(): void {
    const state = this.stepState('sign-in');
    if (!state.question || !this.openRequest || !this.pendingRedirect) {
      throw new FlowStepError(
        'The sign-in is not waiting for an answer.',
        undefined,
        FLOW_ERROR.noQuestion,
      );
    }
    delete state.question;
    state.findings.push({ level: 'info', message: 'Opened the sign-in page again.' });
    this.emit();
    this.openSignInPage(this.openRequest, this.pendingRedirect);
  }

  private openSignInPage(url: URL, pending: PendingRedirect): void {
    void Promise.resolve()
      .then(() => this.host.openAuthorizationUrl(url))
      .catch((error: unknown) => {
        pending.cancel(`The sign-in page could not be opened: ${(error as Error).message}`);
      });
  }

  get summary(): SessionSummary | undefined {
    return this.state.session && summarize(this.state.session);
  }

  async close(): Promise<void> {
    await this.mcp?.close().catch(() => undefined);
    this.mcp = undefined;
  }
}

export function summarize(session: StoredSession): SessionSummary {
  const derived = grantedFromTokens(session.tokens, session.requestedScope);
  return {
    issuer: session.issuer,
    clientId: session.client.client_id,
    ...(session.serverUrl && { serverUrl: session.serverUrl }),
    requestedScope: session.requestedScope,
    hasRefreshToken: !!session.tokens.refresh_token,
    hasIdToken: !!session.tokens.id_token,
    ...(session.resource && { resource: session.resource }),
    grantedScope: derived.granted,
    grantedBecause: derived.evidence,
    ...(derived.missingApiScopes.length && { missingApiScopes: derived.missingApiScopes }),
    ...(session.tokens.scope !== undefined && { responseScope: session.tokens.scope }),
    ...(session.expiresAt && { expiresAt: session.expiresAt }),
  };
}

/** The step's error code for a sign-in that ended at the redirect (the kind, with underscores). */
function redirectFailureCode(kind: RedirectFailureKind): RedirectFailureCode {
  const codes: { [K in RedirectFailureKind]: RedirectFailureCode } = {
    'authorization-error': 'authorization_error',
    'consent-cancelled': 'consent_cancelled',
    'issuer-mismatch': 'issuer_mismatch',
    timeout: 'timeout',
    cancelled: 'cancelled',
  };
  return codes[kind];
}
