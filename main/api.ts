/**
 * The one API the renderer sees (preload/api.ts), composed from the parts: the sandbox stack,
 * profiles and secrets, the flow engine, the trace. Hosts carry it: Electron over IPC, the web
 * host over HTTP. Input from the renderer is validated here (zod for profiles, checks for ids).
 */
import { discoverAuthorizationServerMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type {
  ApiErrorBody,
  AppEvent,
  AppInfo,
  DesktopApi,
  FlowView,
  ProfileView,
  RedirectInfo,
  ServerSettings,
  ServerStatus,
  SessionView,
  SettingsValidation,
  SignOutReport,
  ValidationResult,
} from '../preload/api';
import { clientSnippets } from './app/client-snippets';
import { sessionView } from './app/session-view';
import { createDoctorApi, DoctorApiError } from './doctor/doctor-api';
import { Flow, settingsFromProfile } from './client/engine/flow';
import { initializeRequest } from './client/engine/initialize-request';
import { FlowStepError } from './client/engine/notes';
import { SessionStore, sessionFits, type StoredSession } from './client/engine/session-store';
import { startLoopbackListener, type LoopbackListener } from './client/redirect/loopback-listener';
import type { RedirectReceiver } from './client/redirect/receiver';
import {
  sandboxProfiles,
  SANDBOX_THIRD_PARTY_ID,
  validateProfileInput,
  type Profile,
} from './profiles/schema';
import { secretKeys, type SecretStore } from './profiles/secret-store';
import type { ProfileStore } from './profiles/store';
import { fetchWithTimeout } from './shared/fetch-with-timeout';
import { trustsSandbox, validateServerSettings, type VerificationEvent } from './server';
import { sandboxInfo, type BundledStack } from './stack';
import { ManagementApiError } from './tenant-setup';
import type { TraceRecorder } from './trace';
import { createTracedFetch } from './trace';
import { redactUrl } from './trace/redact';
import { createDemoApi, DemoApiError } from './report/demo-api';

export interface AppApiDeps {
  host: 'desktop' | 'web';
  version: string;
  stack: BundledStack;
  profiles: ProfileStore;
  secrets: SecretStore;
  recorder: TraceRecorder;
  receiver: RedirectReceiver;
  /** The redirect URIs this host receives on; a profile's redirectMode picks one. */
  redirects: RedirectInfo[];
  /** Opens a sign-in or end-session page: the system browser (desktop) or a new tab (web). */
  openExternal(url: string, purpose: 'sign-in' | 'sign-out'): Promise<void> | void;
  signInTimeoutMs?: number;
  /** Problems the host met and repaired at start (shown in the app); the host may add more. */
  notices?: string[];
  /** The fetch the flows use underneath their trace (a proxy, or a test's wiretap). */
  fetch?: FetchLike;
}

export interface AppApi extends Omit<DesktopApi, 'onEvent'> {
  subscribe(listener: (event: AppEvent) => void): () => void;
  /** For hosts: send an event to every subscriber (the web host's open-url). */
  publish(event: AppEvent): void;
  close(): Promise<void>;
}

/** A failure as the renderer receives it: the message and the fix, never a stack. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function toApiError(error: unknown): ApiErrorBody {
  if (
    error instanceof FlowStepError ||
    error instanceof ApiError ||
    error instanceof DemoApiError ||
    error instanceof DoctorApiError ||
    error instanceof ManagementApiError
  ) {
    return {
      message: error.message,
      ...(error.fix && { fix: error.fix }),
      ...(error.code && { code: error.code }),
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

interface ActiveFlow {
  flow: Flow;
  view: FlowView;
  resume?: () => void;
  abort?: (reason: Error) => void;
}

const MAX_DECISIONS = 200;

export async function createAppApi(deps: AppApiDeps): Promise<AppApi> {
  const listeners = new Set<(event: AppEvent) => void>();
  const publish = (event: AppEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('An app event listener failed:', toApiError(error).message);
      }
    }
  };
  const sessions = new SessionStore(deps.secrets);
  const flows = new Map<string, ActiveFlow>();
  const byProfile = new Map<string, ActiveFlow>();
  const decisions: VerificationEvent[] = [];

  const onDecision = (decision: VerificationEvent) => {
    decisions.unshift(decision);
    decisions.length = Math.min(decisions.length, MAX_DECISIONS);
    publish({ type: 'server-decision', decision });
  };
  deps.stack.events.on('verification', onDecision);
  const onIssuerStatus = () => publish({ type: 'server-changed' });
  deps.stack.events.on('issuer-status', onIssuerStatus);
  const unsubscribeTrace = deps.recorder.subscribe((event) => publish({ type: 'trace', event }));

  // The sandbox profiles follow the bundled server and the sandbox issuer (their ports may differ
  // between launches, the server's after a restart); everything else stays as the user left it.
  const syncSandboxProfiles = async () => {
    const info = sandboxInfo(deps.stack);
    for (const fresh of sandboxProfiles({ mcpUrl: info.mcpUrl, issuer: info.issuer })) {
      const existing = await deps.profiles.get(fresh.id);
      await deps.profiles.save(
        existing ? { ...existing, serverUrl: fresh.serverUrl, issuer: fresh.issuer } : fresh,
      );
    }
    const thirdPartySecret = deps.stack.sandboxIssuer?.clients.find(
      (c) => c.clientSecret,
    )?.clientSecret;
    if (thirdPartySecret)
      await deps.secrets.set(secretKeys.clientSecret(SANDBOX_THIRD_PARTY_ID), thirdPartySecret);
  };
  await syncSandboxProfiles();
  // Ports that had to move after start (the sandbox starts on first use) are told like the others.
  const laterNotices: string[] = [];
  let notesSeen = deps.stack.notes.length;
  const stopWatchingStack = deps.stack.onChange((change) => {
    if (change === 'server') decisions.length = 0;
    for (const message of deps.stack.notes.slice(notesSeen)) {
      laterNotices.push(message);
      deps.recorder.record({ type: 'note', level: 'warning', message });
    }
    notesSeen = deps.stack.notes.length;
    void syncSandboxProfiles()
      .catch((error: unknown) =>
        console.error(
          'The sandbox profiles could not follow the stack:',
          toApiError(error).message,
        ),
      )
      .finally(() => {
        publish({ type: 'server-changed' });
        publish({ type: 'profiles-changed' });
      });
  });

  // A stored session shows only for the server (and client) it was made for.
  const sessionOf = async (profile: Profile): Promise<StoredSession | undefined> => {
    const session = await sessions.load(profile.id);
    return session &&
      sessionFits(session, {
        serverUrl: profile.serverUrl,
        ...(profile.clientId && { clientId: profile.clientId }),
      })
      ? session
      : undefined;
  };
  // Profiles with a fixed redirect port get their own loopback listener, started on first use.
  const fixedPortListeners = new Map<number, Promise<LoopbackListener>>();
  const redirectUriFor = async (profile: Profile): Promise<string> => {
    const port = profile.redirectMode === 'loopback' ? profile.redirectPort : undefined;
    if (port === undefined) {
      const redirect =
        deps.redirects.find((r) => r.mode === profile.redirectMode) ?? deps.redirects[0];
      if (!redirect) throw new ApiError('This host cannot receive a sign-in redirect.');
      return redirect.redirectUri;
    }
    let listening = fixedPortListeners.get(port);
    if (!listening) {
      listening = startLoopbackListener({ receiver: deps.receiver, port });
      fixedPortListeners.set(port, listening);
      listening.catch(() => fixedPortListeners.delete(port));
    }
    return (await listening).redirectUri;
  };

  const profileOrThrow = async (profileId: string): Promise<Profile> => {
    if (typeof profileId !== 'string') throw new ApiError('A profile id is required.');
    const profile = await deps.profiles.get(profileId);
    if (!profile)
      throw new ApiError(`There is no profile ${profileId}.`, 'Pick a profile from the list.');
    return profile;
  };
  const activeOrThrow = (profileId: string): ActiveFlow => {
    const active = byProfile.get(profileId);
    if (!active || active.view.status !== 'signed-in') {
      throw new ApiError('This profile is not connected.', 'Click Connect first.', 'not_connected');
    }
    return active;
  };
  const emitFlow = (active: ActiveFlow) =>
    publish({ type: 'flow', flow: structuredClone(active.view) });
  const doctor = createDoctorApi({
    profiles: deps.profiles,
    sessions,
    secrets: deps.secrets,
    recorder: deps.recorder,
    redirects: deps.redirects,
    server: () => ({
      issuer: deps.stack.server.issuer,
      url: deps.stack.server.url,
      resource: deps.stack.server.resource,
      verification: deps.stack.server.verification,
      requiredScopes: deps.stack.server.requiredScopes,
    }),
    // "Set up this tenant" ends by pointing the bundled server at the tenant, as the Server tab would.
    applyServerTrust: async ({ issuer, resource }) => {
      const applied = await deps.stack.apply({
        ...deps.stack.settings,
        issuer,
        // The default resource follows the server's port; name it only when it differs.
        ...(resource !== deps.stack.server.resource && { resource }),
      });
      if (!applied.ok) {
        throw new ApiError(
          `The bundled server cannot trust ${issuer}: ${applied.issues.map((i) => i.message).join('; ')}`,
          'Set the trusted issuer in the Server tab.',
        );
      }
    },
    onProfilesChanged: () => publish({ type: 'profiles-changed' }),
  });

  // ---- Demo mode and reports (issue 10): scenarios played through this same API. ----
  const demo = createDemoApi({
    saveProfile: (input, secret) => api.saveProfile(input, secret),
    connect: (profileId, mode) => api.connect(profileId, mode),
    continueFlow: (flowId) => api.continueFlow(flowId),
    callTool: (profileId, name, args) => api.callTool(profileId, name, args),
    refresh: (profileId) => api.refresh(profileId),
    signOut: (profileId) => api.signOut(profileId),
    subscribe: (listener) => api.subscribe(listener),
    events: () => deps.recorder.events(),
    // The old access token stays here, in main; the page and the trace see only its fingerprint.
    holdAccessToken: async (profileId) => {
      const token = (await sessions.load(profileId))?.tokens.access_token;
      const flowId = byProfile.get(profileId)?.flow.id;
      if (!token) return undefined;
      return async () => {
        const traced = createTracedFetch({
          recorder: deps.recorder,
          party: 'client',
          ...(flowId && { flowId }),
          fetch: (url, init) =>
            fetchWithTimeout(url instanceof Request ? url.url : url, init ?? {}),
        });
        const response = await traced(
          deps.stack.server.url,
          initializeRequest('mcp-auth-desktop-demo-check', token),
        );
        await response.body?.cancel().catch(() => undefined);
        return {
          what: 'The old access token',
          status: response.status,
          accepted: response.ok,
          explanation: response.ok
            ? 'the server still accepts it: a JWT access token stays valid until it expires.'
            : 'the server rejects it.',
        };
      };
    },
    // Read when used: the sandbox starts on first use and the server restarts on new settings.
    get sandbox() {
      return sandboxInfo(deps.stack);
    },
    get thirdPartySecret() {
      return deps.stack.sandboxIssuer?.clients.find((c) => c.clientSecret)?.clientSecret;
    },
    get serverSettings() {
      return {
        verification: deps.stack.server.verification,
        requiredScopes: deps.stack.server.requiredScopes,
      };
    },
    prepare: async () => {
      if (!trustsSandbox(deps.stack.settings)) {
        throw new DemoApiError(
          `The demo scenarios run on the sandbox, but the bundled server trusts ${deps.stack.server.issuer}.`,
          'Make the bundled server trust the sandbox (Server tab), then start the scenario again.',
          'server_not_on_sandbox',
        );
      }
      if (!deps.stack.sandboxIssuer) {
        await deps.stack.sandbox();
        await syncSandboxProfiles();
      }
    },
    appVersion: deps.version,
    changed: (runId) => publish({ type: 'demo', runId }),
  });

  const api: AppApi = {
    ...demo,

    async getAppInfo(): Promise<AppInfo> {
      return {
        version: deps.version,
        host: deps.host,
        sandbox: sandboxInfo(deps.stack),
        redirects: deps.redirects,
        secretProtection: deps.secrets.protection,
        notices: [...(deps.notices ?? []), ...laterNotices],
      };
    },

    async listProfiles(): Promise<ProfileView[]> {
      const profiles = await deps.profiles.list();
      return Promise.all(
        profiles.map(async (profile) => ({
          profile,
          signedIn: !!(await sessionOf(profile)),
        })),
      );
    },

    async validateProfile(input: unknown): Promise<ValidationResult> {
      return validateProfileInput(input);
    },

    async saveProfile(input: unknown, clientSecret?: string): Promise<ValidationResult> {
      const withSecret =
        typeof clientSecret === 'string' && clientSecret
          ? { ...(input as object), hasClientSecret: true }
          : input;
      const result = validateProfileInput(withSecret);
      if (!result.ok) return result;
      if (typeof clientSecret === 'string' && clientSecret) {
        await deps.secrets.set(secretKeys.clientSecret(result.profile.id), clientSecret);
      }
      await deps.profiles.save(result.profile);
      publish({ type: 'profiles-changed' });
      return result;
    },

    async deleteProfile(profileId: string): Promise<void> {
      const profile = await profileOrThrow(profileId);
      if (profile.kind === 'sandbox') {
        throw new ApiError('The sandbox profiles come with the app and cannot be deleted.');
      }
      byProfile.get(profileId)?.flow.cancel('The profile was deleted.');
      await deps.profiles.remove(profileId);
      await deps.secrets.delete(secretKeys.clientSecret(profileId));
      await sessions.clear(profileId);
      publish({ type: 'profiles-changed' });
    },

    async discoverScopes(issuer: string): Promise<string[]> {
      if (typeof issuer !== 'string' || !URL.canParse(issuer)) {
        throw new ApiError('The issuer must be a URL such as https://your-tenant.logto.app/oidc.');
      }
      const metadata = await discoverAuthorizationServerMetadata(issuer, {
        fetchFn: (url, init) => fetchWithTimeout(url, init ?? {}),
      }).catch((error: unknown) => {
        throw new ApiError(
          `The issuer's discovery document could not be read: ${toApiError(error).message}`,
        );
      });
      if (!metadata) {
        throw new ApiError(`No discovery document at ${issuer}.`, 'Logto issuers end in /oidc.');
      }
      return metadata.scopes_supported ?? [];
    },

    async connect(profileId: string, mode: 'quick' | 'guided'): Promise<FlowView> {
      let profile = await profileOrThrow(profileId);
      if (mode !== 'quick' && mode !== 'guided')
        throw new ApiError('mode must be quick or guided.');
      if (profile.kind === 'sandbox' && !deps.stack.sandboxIssuer) {
        // The sandbox issuer starts on first use; its address is then the real one.
        await deps.stack.sandbox().catch((error: unknown) => {
          throw new ApiError(`The sandbox issuer could not start: ${toApiError(error).message}`);
        });
        await syncSandboxProfiles();
        profile = await profileOrThrow(profileId);
      }
      const previous = byProfile.get(profileId);
      if (previous) {
        previous.flow.cancel('A new connection was started.');
        previous.abort?.(new FlowStepError('A new connection was started.'));
        await previous.flow.close();
      }
      const secret = profile.hasClientSecret
        ? await deps.secrets.get(secretKeys.clientSecret(profile.id))
        : undefined;
      const redirectUri = await redirectUriFor(profile);
      const flow = new Flow(settingsFromProfile(profile, secret), {
        recorder: deps.recorder,
        receiver: deps.receiver,
        redirectUri,
        sessions,
        ...(deps.signInTimeoutMs && { signInTimeoutMs: deps.signInTimeoutMs }),
        ...(deps.fetch && { fetch: deps.fetch }),
        openAuthorizationUrl: async (url) => {
          active.view.authorizationUrl = url.href;
          emitFlow(active);
          await deps.openExternal(url.href, 'sign-in');
        },
      });
      // The flow's callbacks run only once it has started, after `active` exists.
      const active: ActiveFlow = {
        flow,
        view: {
          flowId: flow.id,
          profileId,
          mode,
          status: 'running',
          steps: structuredClone(flow.steps),
        },
      };
      flows.set(flow.id, active);
      byProfile.set(profileId, active);
      flow.onChange((steps) => {
        active.view.steps = structuredClone([...steps]);
        emitFlow(active);
      });
      const pauseBefore =
        mode === 'guided'
          ? () =>
              new Promise<void>((resolve, reject) => {
                active.view.status = 'paused';
                active.resume = () => {
                  active.view.status = 'running';
                  resolve();
                };
                active.abort = reject;
                emitFlow(active);
              })
          : undefined;
      void flow
        .run(pauseBefore ? { pauseBefore } : {})
        .then((result) => {
          active.view.status = 'signed-in';
          active.view.tools = result.tools;
          emitFlow(active);
          publish({ type: 'profiles-changed' });
        })
        .catch((error: unknown) => {
          active.view.status = active.view.status === 'cancelled' ? 'cancelled' : 'failed';
          active.view.error = toApiError(error);
          emitFlow(active);
        });
      return structuredClone(active.view);
    },

    async continueFlow(flowId: string): Promise<void> {
      const active = flows.get(flowId);
      if (!active) throw new ApiError('That flow is over.', 'Connect again.');
      // After a suspected consent Cancel, continuing means Try again.
      if (active.flow.question) return active.flow.retrySignIn();
      if (active.view.status !== 'paused' || !active.resume) {
        throw new ApiError('The flow is not waiting for you.');
      }
      const resume = active.resume;
      delete active.resume;
      resume();
    },

    async cancelFlow(flowId: string): Promise<void> {
      const active = flows.get(flowId);
      if (!active) return;
      active.view.status = 'cancelled';
      active.flow.cancel();
      active.abort?.(new FlowStepError('Cancelled in the app.', undefined, 'cancelled'));
      await active.flow.close();
      emitFlow(active);
    },

    async getSession(profileId: string): Promise<SessionView | null> {
      const session = await sessionOf(await profileOrThrow(profileId));
      return session ? sessionView(session) : null;
    },

    async listTools(profileId: string): Promise<Tool[]> {
      return activeOrThrow(profileId).view.tools ?? [];
    },

    async callTool(
      profileId: string,
      name: string,
      args: Record<string, unknown>,
    ): Promise<CallToolResult> {
      if (typeof name !== 'string' || !name) throw new ApiError('Which tool?');
      const toolArgs = args && typeof args === 'object' && !Array.isArray(args) ? args : {};
      return activeOrThrow(profileId).flow.callTool(name, toolArgs);
    },

    async refresh(profileId: string): Promise<SessionView> {
      await activeOrThrow(profileId).flow.refresh();
      const session = await sessions.load(profileId);
      if (!session) throw new ApiError('The session ended while refreshing.', 'Connect again.');
      publish({ type: 'profiles-changed' });
      return sessionView(session);
    },

    async signOut(profileId: string): Promise<SignOutReport> {
      await profileOrThrow(profileId);
      const active = byProfile.get(profileId);
      let report: SignOutReport = { revoked: [] };
      if (active) {
        report = await active.flow.signOut({
          openEndSession: (url) => deps.openExternal(url.href, 'sign-out'),
        });
        // The end-session URL carries the ID token as id_token_hint: the renderer holds no tokens.
        if (report.endSessionUrl) report.endSessionUrl = redactUrl(report.endSessionUrl);
        byProfile.delete(profileId);
        flows.delete(active.flow.id);
      } else {
        await sessions.clear(profileId);
      }
      publish({ type: 'profiles-changed' });
      return report;
    },

    async getTrace() {
      return deps.recorder.events();
    },
    async exportTrace() {
      return deps.recorder.export();
    },
    async clearTrace() {
      deps.recorder.clear();
    },

    async getServerStatus(): Promise<ServerStatus> {
      const { server, settings } = deps.stack;
      return {
        running: true,
        url: server.url,
        sseUrl: server.sseUrl,
        resource: server.resource,
        issuer: server.issuer,
        trustsSandbox: trustsSandbox(settings),
        issuerStatus: server.issuerStatus(),
        settings,
        verification: server.verification,
        requiredScopes: server.requiredScopes,
        recentDecisions: [...decisions],
        snippets: clientSnippets({
          mcpUrl: server.url,
          scopes: server.scopesSupported,
        }),
      };
    },

    // The bundled server's settings.
    async getServerSettings(): Promise<ServerSettings> {
      return deps.stack.settings;
    },
    async validateServerSettings(input: unknown): Promise<SettingsValidation> {
      return validateServerSettings(input);
    },
    async applyServerSettings(input: unknown): Promise<SettingsValidation> {
      try {
        return await deps.stack.apply(input);
      } catch (error) {
        throw new ApiError(
          `The server could not restart with these settings: ${toApiError(error).message}`,
          'The previous settings are still in force; nothing you typed was lost.',
        );
      }
    },

    ...doctor,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish,

    async close() {
      deps.stack.events.off('verification', onDecision);
      deps.stack.events.off('issuer-status', onIssuerStatus);
      stopWatchingStack();
      unsubscribeTrace();
      for (const active of flows.values()) {
        active.flow.cancel('The app is closing.');
        await active.flow.close();
      }
      flows.clear();
      byProfile.clear();
      for (const listening of fixedPortListeners.values()) {
        await listening.then((l) => l.close()).catch(() => undefined);
      }
      listeners.clear();
    },
  };
  return api;
}
