/**
 * The flow as a table: each step's id, title, explanation and spec reference (steps.ts) next to
 * when it applies and the code that runs it. The runner in flow.ts walks a phase of this table
 * over one plain-data FlowState; a step that does not apply is skipped with the reason its entry
 * gives, so no list of step ids is written anywhere else. Adding a step is one entry here (and its
 * id, title and explanation in steps.ts) plus its test; see docs/architecture.md.
 */
import { randomBytes } from 'node:crypto';
import {
  exchangeAuthorization,
  refreshAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
  OAuthProtectedResourceMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { redactUrl } from '../../trace/redact';
import type { AuthorizationCallback } from '../redirect/receiver';
import {
  buildAuthorizationRequest,
  preflightAuthorization,
  selectResource,
  selectScopes,
  type AuthorizationRequest,
} from './authorization';
import type { Challenge } from './challenge';
import { identifyClient } from './client-identity';
import { probeServer, readAuthorizationServerMetadata, readResourceMetadata } from './discovery';
import type { FlowHost, FlowSettings } from './flow';
import { FLOW_ERROR } from './error-codes';
import { initializeRequest } from './initialize-request';
import { chooseIssuer } from './issuer-check';
import { FlowStepError, type Finding } from './notes';
import { explainTokenFailure } from './oauth-errors';
import type { StoredSession } from './session-store';
import { readOldTokenAnswer, readRevocationAnswer } from './sign-out-answers';
import { SESSION_STEPS, STEPS, type AnyStepId, type StepInfo } from './steps';
import { describeTokens } from './token-report';
import type { SignOutReport, StepState } from './types';

/** A step's state while it runs: a sign-in step or a step after sign-in. */
export type AnyStepState = StepState<AnyStepId>;

/** Everything the steps learn, as plain data: what a flow knows at any moment. */
export interface FlowState {
  /** From the probe: false when the server answered without asking for a token. */
  needsAuth?: boolean;
  challenge?: Challenge;
  resourceMetadata?: OAuthProtectedResourceMetadata;
  authorizationServerUrl: string;
  metadata?: AuthorizationServerMetadata;
  client?: OAuthClientInformationMixed;
  /** The resource indicator the tokens were asked for (RFC 8707). */
  resource?: string;
  session?: StoredSession;
  /** The stored session fits this server and issuer: the sign-in steps do not apply. */
  reusedSession: boolean;
  /** Tokens from this flow's own sign-in that the server has not yet accepted once. */
  tokensFresh: boolean;
  /** The sign-in under way: what one step hands the next. */
  signIn?: {
    scope: string[];
    stepUp?: string[];
    request?: AuthorizationRequest;
    /** The preflight's own answer when the issuer approved at once (no one needed to sign in). */
    approvedAtOnce?: string;
    callback?: AuthorizationCallback;
  };
  tools?: Tool[];
  /** The sign-out under way: the session it ends and the report it fills in. */
  signOut?: { session: StoredSession; report: SignOutReport };
}

/** What a running step may use besides the state: the flow's live parts. */
export interface StepRun {
  readonly settings: FlowSettings;
  readonly host: FlowHost;
  readonly state: FlowState;
  readonly fetchFn: FetchLike;
  /** The tool call to make (the tool-call step). */
  readonly tool?: { name: string; args: Record<string, unknown> };
  /** Opens the issuer's end-session URL (the end-session step), when the host can. */
  readonly openEndSession?: (url: URL) => Promise<void> | void;
  saveTokens(tokens: OAuthTokens, extra?: { requestedScope?: string[] }): Promise<void>;
  /** Opens the sign-in page (or delivers an at-once approval) and waits for the redirect. */
  waitForRedirect(
    s: AnyStepState,
    request: AuthorizationRequest,
    approvedAtOnce: URL | undefined,
  ): Promise<AuthorizationCallback>;
  connectMcp(): Promise<void>;
  listTools(): Promise<Tool[]>;
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
}

/**
 * `connect` is the probe; `discovery` and `sign-in` run when the server asks for a token (and
 * again on recovery); `session` opens the MCP session; `tool` runs on each tool call. After
 * sign-in, `refresh` runs when asked or before the access token expires, `sign-out` on sign-out.
 */
export type Phase =
  'connect' | 'discovery' | 'sign-in' | 'session' | 'tool' | 'refresh' | 'sign-out';

export interface FlowStep extends StepInfo<AnyStepId> {
  phase: Phase;
  /** Why the step does not apply to this state, or undefined when it runs. */
  skipWhen?: (state: FlowState) => string | undefined;
  /** The request it is about to make, shown before it runs (the guided view pauses here). */
  preview: (run: StepRun) => string;
  run: (run: StepRun, s: AnyStepState) => Promise<unknown>;
}

const NO_AUTH = 'The server does not ask for authorization.';
const SIGNED_IN = 'Signed in already: this profile has tokens from this issuer for this server.';

const notAsked = (state: FlowState) => (state.needsAuth === false ? NO_AUTH : undefined);
const notAskedOrSignedIn = (state: FlowState) =>
  notAsked(state) ?? (state.reusedSession ? SIGNED_IN : undefined);

const method = (run: StepRun) => (run.settings.transport === 'sse' ? 'GET' : 'POST');

/** A metadata field the SDK's types do not list (RFC 8414 §2 and OpenID Discovery have more). */
export function extra(metadata: AuthorizationServerMetadata, field: string): unknown {
  return (metadata as Record<string, unknown>)[field];
}

function signIn(state: FlowState): NonNullable<FlowState['signIn']> {
  if (!state.signIn) throw new Error('The sign-in steps run in order: no sign-in under way.');
  return state.signIn;
}

function signingOut(state: FlowState): NonNullable<FlowState['signOut']> {
  if (!state.signOut) throw new Error('The sign-out steps run in order: no sign-out under way.');
  return state.signOut;
}

/** An endpoint the issuer's metadata advertises (RFC 8414 §2), or undefined. */
function endpoint(state: FlowState, field: string): string | undefined {
  const value = state.metadata && extra(state.metadata, field);
  return typeof value === 'string' ? value : undefined;
}

function discovered(state: FlowState): AuthorizationServerMetadata {
  if (!state.metadata) throw new Error('The sign-in steps need the issuer’s metadata first.');
  return state.metadata;
}

export const FLOW_STEPS: readonly FlowStep[] = [
  {
    ...STEPS.probe,
    phase: 'connect',
    preview: (run) => `${method(run)} ${run.settings.serverUrl} without an Authorization header`,
    run: async (run, s) => {
      const result = await probeServer(run.settings.serverUrl, run.settings.transport, run.fetchFn);
      s.findings.push(...result.findings);
      run.state.needsAuth = result.needsAuth;
      if (result.challenge) run.state.challenge = result.challenge;
      else delete run.state.challenge;
    },
  },
  {
    ...STEPS['resource-metadata'],
    phase: 'discovery',
    skipWhen: notAsked,
    preview: (run) =>
      `GET ${run.state.challenge?.resourceMetadata ?? new URL('/.well-known/oauth-protected-resource', run.settings.serverUrl).href}`,
    run: async (run, s) => {
      const result = await readResourceMetadata(
        run.settings.serverUrl,
        run.state.challenge?.resourceMetadata,
        run.fetchFn,
      );
      s.findings.push(...result.findings);
      if (result.metadata) run.state.resourceMetadata = result.metadata;
      else delete run.state.resourceMetadata;
    },
  },
  {
    ...STEPS['authorization-server-metadata'],
    phase: 'discovery',
    skipWhen: notAsked,
    preview: (run) =>
      `GET the discovery document of ${run.settings.issuer ?? run.state.resourceMetadata?.authorization_servers?.[0] ?? new URL('/', run.settings.serverUrl).origin}`,
    run: async (run, s) => {
      const { settings } = run;
      const prm = run.state.resourceMetadata;
      // Before any request to an authorization server: is it the one the profile names?
      const choice = chooseIssuer({
        serverUrl: settings.serverUrl,
        ...(settings.issuer && { profileIssuer: settings.issuer }),
        ...(prm && { resourceMetadata: prm }),
        hasClientSecret: !!settings.clientSecret,
        ...(settings.allowSecretToServerIssuer && { allowSecretToServerIssuer: true }),
      });
      s.findings.push(...choice.findings);
      const result = await readAuthorizationServerMetadata({
        serverUrl: settings.serverUrl,
        ...(choice.authorizationServer && { authorizationServer: choice.authorizationServer }),
        fetchFn: run.fetchFn,
      });
      s.findings.push(...result.findings);
      run.state.authorizationServerUrl = result.authorizationServerUrl;
      run.state.metadata = result.metadata;
    },
  },
  {
    ...STEPS.client,
    phase: 'sign-in',
    skipWhen: notAskedOrSignedIn,
    preview: (run) =>
      run.settings.clientId
        ? `client_id ${run.settings.clientId}`
        : 'No client ID: register with the issuer if it allows',
    run: async (run, s) => {
      const { settings, state } = run;
      const identity = await identifyClient({
        ...(settings.clientId && { clientId: settings.clientId }),
        ...(settings.clientSecret && { clientSecret: settings.clientSecret }),
        ...(settings.clientMetadataUrl && { clientMetadataUrl: settings.clientMetadataUrl }),
        metadata: discovered(state),
        authorizationServerUrl: state.authorizationServerUrl,
        redirectUri: run.host.redirectUri,
        scope: signIn(state).scope.join(' '),
        fetchFn: run.fetchFn,
      });
      s.findings.push(...identity.findings);
      if (identity.information.client_secret) {
        run.host.recorder.secrets.register(identity.information.client_secret, 'client_secret');
      }
      state.client = identity.information;
    },
  },
  {
    ...STEPS['authorization-request'],
    phase: 'sign-in',
    skipWhen: notAskedOrSignedIn,
    preview: (run) =>
      `GET ${discovered(run.state).authorization_endpoint} with client_id, redirect_uri ${run.host.redirectUri}, scope "${signIn(run.state).scope.join(' ')}", state, PKCE S256`,
    run: async (run, s) => {
      const { settings, state } = run;
      const { scope, stepUp } = signIn(state);
      const client = state.client!;
      const redirectUri = run.host.redirectUri;
      const chosen = selectResource(settings.resource, settings.serverUrl, state.resourceMetadata);
      s.findings.push(...chosen.findings);
      const built = await buildAuthorizationRequest({
        authorizationServerUrl: state.authorizationServerUrl,
        metadata: discovered(state),
        client,
        redirectUri,
        scope,
        state: randomBytes(32).toString('base64url'),
        extraParams: settings.extraParams,
        refreshTokens: settings.refreshTokens,
        ...(chosen.resource && { resource: chosen.resource }),
        ...(settings.prompt && { prompt: settings.prompt }),
      });
      run.host.recorder.secrets.register(built.codeVerifier, 'code_verifier');
      s.findings.push({ level: 'info', message: `Authorization URL: ${built.url.href}` });
      if (!scope.length) {
        s.findings.push({
          level: 'warning',
          message:
            'No scope: neither the server nor the profile names one, so none is sent (MCP scope selection). Issuers built on node oidc-provider, like Logto and this sandbox, answer access_denied to a sign-in that grants no scope at all; add openid profile email to the profile (Logto’s userinfo needs them too).',
          specRef: 'MCP Authorization §Scope Selection Strategy',
        });
      }
      if (stepUp) {
        s.findings.push({
          level: 'info',
          message: `Step-up: asking again with the missing scope(s) ${stepUp.join(' ')}.`,
          specRef: 'MCP Authorization §Scope Challenge Handling',
        });
      }
      const preflight = await preflightAuthorization(
        built,
        {
          clientId: client.client_id,
          redirectUri,
          ...(state.resourceMetadata?.resource && {
            serverResource: state.resourceMetadata.resource,
          }),
          ...(settings.redirectPort !== undefined && { fixedRedirectPort: settings.redirectPort }),
        },
        run.fetchFn,
      );
      s.findings.push(...preflight.findings);
      const sign = signIn(state);
      sign.request = built;
      delete sign.approvedAtOnce;
      if (preflight.callback && client.client_secret && !run.host.headless) {
        // The check's own answer must not become a confidential client's sign-in: its secret
        // would go out with no person involved (issue: secret sent with no browser step).
        s.findings.push({
          level: 'info',
          message:
            'The issuer approved the check without anyone signing in; a confidential client still signs in in the browser, so that code is left unused.',
        });
      } else if (preflight.callback) {
        sign.approvedAtOnce = preflight.callback.href;
      }
      if (built.resource) state.resource = built.resource;
      else delete state.resource;
    },
  },
  {
    ...STEPS['sign-in'],
    phase: 'sign-in',
    skipWhen: notAskedOrSignedIn,
    preview: (run) => {
      const url = signIn(run.state).request!.url;
      return `Open ${url.origin}${url.pathname} in the browser and wait for the redirect to ${run.host.redirectUri}`;
    },
    run: async (run, s) => {
      const sign = signIn(run.state);
      sign.callback = await run.waitForRedirect(
        s,
        sign.request!,
        sign.approvedAtOnce ? new URL(sign.approvedAtOnce) : undefined,
      );
    },
  },
  {
    ...STEPS.redirect,
    phase: 'sign-in',
    skipWhen: notAskedOrSignedIn,
    preview: (run) => `Check the callback on ${run.host.redirectUri}`,

    run: async (run, s) => {
      const callback = signIn(run.state).callback!;
      s.findings.push(
        {
          level: 'info',
          message: `The issuer redirected to ${redactUrl(callback.url)} (parameters: ${callback.parameters.join(', ')}).`,
          specRef: 'RFC 6749 §4.1.2',
        },
        ...describeCallback(callback, discovered(run.state)),
      );
    },
  },
  {
    ...STEPS['token-exchange'],
    phase: 'sign-in',
    skipWhen: notAskedOrSignedIn,
    preview: (run) =>
      `POST ${discovered(run.state).token_endpoint} grant_type=authorization_code with the code and the PKCE verifier`,
    run: async (run, s) => {
      const { state, host } = run;
      const metadata = discovered(state);
      const { request, callback } = signIn(state) as Required<NonNullable<FlowState['signIn']>>;
      const client = state.client!;
      const redirectUri = host.redirectUri;
      let tokens: OAuthTokens;
      try {
        tokens = await exchangeAuthorization(state.authorizationServerUrl, {
          metadata,
          clientInformation: client,
          authorizationCode: callback.code,
          codeVerifier: request.codeVerifier,
          redirectUri,
          ...(request.resource && { resource: request.resource }),
          fetchFn: run.fetchFn,
        });
      } catch (error) {
        const failure = explainTokenFailure(error, metadata.token_endpoint, {
          clientId: client.client_id,
          redirectUri,
        });
        host.receiver.settle(callback.state, {
          ok: false,
          title: 'The sign-in failed at the token exchange',
          message: failure.message,
          ...(failure.fix && { hint: failure.fix }),
        });
        throw failure;
      }
      await run.saveTokens(tokens, { requestedScope: request.scope });
      state.tokensFresh = true;
      host.receiver.settle(callback.state, { ok: true });
      s.findings.push(
        ...describeTokens(tokens, {
          requested: request.scope,
          wantedRefresh: run.settings.refreshTokens,
          ...(request.resource && { resource: request.resource }),
        }).findings,
      );
    },
  },
  {
    ...STEPS['mcp-connect'],
    phase: 'session',
    preview: (run) =>
      `${method(run)} ${run.settings.serverUrl} initialize, then tools/list, with Authorization: Bearer <access token>`,
    run: async (run, s) => {
      await run.connectMcp();
      const tools = await run.listTools();
      s.findings.push({
        level: 'info',
        message: `Tools: ${tools.map((t) => t.name).join(', ') || 'none'}`,
      });
      run.state.tools = tools;
    },
  },
  {
    ...STEPS['tool-call'],
    phase: 'tool',
    preview: (run) => `tools/call ${run.tool?.name} ${JSON.stringify(run.tool?.args)}`,
    run: async (run, s) => {
      const { name, args } = run.tool!;
      const result = await run.callTool(name, args);
      s.findings.push({
        level: result.isError ? 'warning' : 'info',
        message: result.isError ? `The tool reported an error.` : `The tool answered.`,
      });
      return result;
    },
  },
  {
    ...SESSION_STEPS.refresh,
    phase: 'refresh',
    preview: (run) =>
      `POST ${run.state.metadata?.token_endpoint ?? 'the token endpoint'} grant_type=refresh_token with the refresh token`,
    run: async (run, s) => {
      const { state } = run;
      const session = state.session;
      if (!session?.tokens.refresh_token || !state.metadata) {
        throw new FlowStepError(
          'There is no refresh token.',
          'Turn on "Refresh tokens" in the profile (Logto needs offline_access and prompt=consent) and sign in again.',
          FLOW_ERROR.noRefreshToken,
        );
      }
      try {
        const tokens = await refreshAuthorization(state.authorizationServerUrl, {
          metadata: state.metadata,
          clientInformation: session.client,
          refreshToken: session.tokens.refresh_token,
          ...(session.resource && { resource: session.resource }),
          fetchFn: run.fetchFn,
        });
        await run.saveTokens(tokens);
        s.findings.push({
          level: 'info',
          message: `Refreshed the access token${tokens.refresh_token ? ' (the refresh token was rotated)' : ''}.`,
          specRef: 'RFC 6749 §6',
        });
      } catch (error) {
        throw explainTokenFailure(error, state.metadata.token_endpoint, {
          clientId: session.client.client_id,
        });
      }
    },
  },
  {
    ...SESSION_STEPS.revoke,
    phase: 'sign-out',
    skipWhen: (state) =>
      endpoint(state, 'revocation_endpoint')
        ? undefined
        : 'The issuer advertises no revocation endpoint.',
    preview: (run) =>
      `POST ${endpoint(run.state, 'revocation_endpoint')} with the refresh token, then the access token`,
    run: async (run) => {
      const { session, report } = signingOut(run.state);
      for (const [token, hint] of [
        [session.tokens.refresh_token, 'refresh_token'],
        [session.tokens.access_token, 'access_token'],
      ] as const) {
        if (!token) continue;
        report.revoked.push({
          token: hint,
          ...(await revoke(run, endpoint(run.state, 'revocation_endpoint')!, token, hint, session)),
        });
      }
    },
  },
  {
    ...SESSION_STEPS['end-session'],
    phase: 'sign-out',
    skipWhen: (state) =>
      endpoint(state, 'end_session_endpoint')
        ? undefined
        : 'The issuer advertises no end-session endpoint.',
    preview: (run) =>
      `Open ${endpoint(run.state, 'end_session_endpoint')} with client_id and id_token_hint`,
    run: async (run) => {
      const { session, report } = signingOut(run.state);
      const url = new URL(endpoint(run.state, 'end_session_endpoint')!);
      url.searchParams.set('client_id', session.client.client_id);
      if (session.tokens.id_token) url.searchParams.set('id_token_hint', session.tokens.id_token);
      report.endSessionUrl = url.href;
      await run.openEndSession?.(url);
    },
  },
  {
    ...SESSION_STEPS['old-token-check'],
    phase: 'sign-out',
    preview: (run) =>
      `Forget the tokens, then ${method(run)} ${run.settings.serverUrl} with Authorization: Bearer <old access token>`,
    run: async (run, s) => {
      const { session, report } = signingOut(run.state);
      await run.host.sessions.clear(run.settings.profileId);
      delete run.state.session;
      const oldToken = await askServerAbout(run, session.tokens.access_token);
      report.oldToken = oldToken;
      s.findings.push({
        level: oldToken.accepted ? 'warning' : 'info',
        message: `After sign-out the MCP server answered ${oldToken.status} to the old access token: ${oldToken.explanation}`,
      });
    },
  },
];

/** One revocation request (RFC 7009 §2.1): a confidential client authenticates, a public one names itself. */
async function revoke(
  run: StepRun,
  url: string,
  token: string,
  hint: string,
  session: StoredSession,
): Promise<{ status: number | string; note?: string }> {
  const { client } = session;
  const body = new URLSearchParams({ token, token_type_hint: hint });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.client_secret) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
  } else {
    body.set('client_id', client.client_id);
  }
  try {
    const response = await run.fetchFn(url, { method: 'POST', headers, body });
    const answer = response.ok ? undefined : await response.json().catch(() => undefined);
    await response.body?.cancel().catch(() => undefined);
    return readRevocationAnswer(response.status, answer);
  } catch (error) {
    return { status: 'failed', note: (error as Error).message };
  }
}

/** What the MCP server now says to the old access token (RFC 6750 §3). */
async function askServerAbout(
  run: StepRun,
  accessToken: string,
): Promise<NonNullable<SignOutReport['oldToken']>> {
  const { serverUrl, transport } = run.settings;
  const response = await run.fetchFn(
    serverUrl,
    transport === 'sse'
      ? { headers: { accept: 'text/event-stream', authorization: `Bearer ${accessToken}` } }
      : initializeRequest('mcp-auth-desktop-signout-check', accessToken),
  );
  await response.body?.cancel().catch(() => undefined);
  return readOldTokenAnswer(
    response.status,
    accessToken.split('.').length === 3,
    response.headers.get('cache-status'),
  );
}

/** The scopes a sign-in asks for: the server's challenge, its metadata, the profile, a step-up. */
export function startSignIn(
  state: FlowState,
  settings: FlowSettings,
  stepUp: string[] | undefined,
): void {
  state.reusedSession = false;
  state.signIn = {
    scope: selectScopes({
      ...(state.challenge?.scope && { challenge: state.challenge.scope }),
      ...(state.resourceMetadata?.scopes_supported && {
        supported: state.resourceMetadata.scopes_supported,
      }),
      configured: settings.scopes,
      ...(stepUp && { stepUp: [...(state.session?.requestedScope ?? []), ...stepUp] }),
      refreshTokens: settings.refreshTokens,
    }),
    ...(stepUp && { stepUp }),
  };
}

export function stepsOf(phase: Phase): FlowStep[] {
  return FLOW_STEPS.filter((step) => step.phase === phase);
}

export function stepEntry(id: AnyStepId): FlowStep {
  return FLOW_STEPS.find((step) => step.id === id)!;
}

function describeCallback(
  callback: AuthorizationCallback,
  metadata: AuthorizationServerMetadata,
): Finding[] {
  const findings: Finding[] = [
    {
      level: 'info',
      message: `Received on ${callback.source === 'loopback' ? 'the loopback listener' : 'the app’s URI scheme'}; state matches the request.`,
      specRef: 'RFC 6749 §10.12',
    },
  ];
  if (extra(metadata, 'authorization_response_iss_parameter_supported') === true) {
    findings.push({
      level: 'info',
      message: `iss=${callback.iss} matches the issuer (mix-up protection).`,
      specRef: 'RFC 9207 §2.4',
    });
  } else {
    findings.push({
      level: 'info',
      message: 'The issuer does not advertise RFC 9207 iss in responses; nothing more to check.',
    });
  }
  return findings;
}
