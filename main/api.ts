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
  ServerStatus,
  SessionView,
  SignOutReport,
  ValidationResult,
} from '../preload/api';
import { clientSnippets } from './app/client-snippets';
import { sessionView } from './app/session-view';
import { createDoctorApi, DoctorApiError } from './doctor/doctor-api';
import type { ApplyServerTrust } from './tenant-setup';
import { Flow, settingsFromProfile } from './client/engine/flow';
import { FlowStepError } from './client/engine/notes';
import { SessionStore } from './client/engine/session-store';
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
import type { VerificationEvent } from './server';
import type { SandboxStack } from './stack';
import { sandboxInfo } from './stack';
import { ManagementApiError } from './tenant-setup';
import type { TraceRecorder } from './trace';
import { redactUrl } from './trace/redact';

export interface AppApiDeps {
  host: 'desktop' | 'web';
  version: string;
  stack: SandboxStack;
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
  /** Points the bundled server at a tenant after "Set up this tenant" (the server configuration API). */
  applyServerTrust?: ApplyServerTrust;
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
  deps.stack.server.events.on('verification', onDecision);
  const unsubscribeTrace = deps.recorder.subscribe((event) => publish({ type: 'trace', event }));

  // The sandbox profiles follow the running sandbox (its ports may differ between launches);
  // everything else about them stays as the user left it.
  const info = sandboxInfo(deps.stack);
  for (const fresh of sandboxProfiles({ mcpUrl: info.mcpUrl, issuer: info.issuer })) {
    const existing = await deps.profiles.get(fresh.id);
    await deps.profiles.save(
      existing ? { ...existing, serverUrl: fresh.serverUrl, issuer: fresh.issuer } : fresh,
    );
  }
  const thirdPartySecret = deps.stack.issuer.clients.find((c) => c.clientSecret)?.clientSecret;
  if (thirdPartySecret)
    await deps.secrets.set(secretKeys.clientSecret(SANDBOX_THIRD_PARTY_ID), thirdPartySecret);

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
      issuer: info.issuer,
      url: deps.stack.server.url,
      resource: deps.stack.server.resource,
      verification: deps.stack.server.verification,
      requiredScopes: deps.stack.server.requiredScopes,
    }),
    ...(deps.applyServerTrust && { applyServerTrust: deps.applyServerTrust }),
    onProfilesChanged: () => publish({ type: 'profiles-changed' }),
  });

  const api: AppApi = {
    async getAppInfo(): Promise<AppInfo> {
      return {
        version: deps.version,
        host: deps.host,
        sandbox: info,
        redirects: deps.redirects,
        secretProtection: deps.secrets.protection,
        notices: [...(deps.notices ?? [])],
      };
    },

    async listProfiles(): Promise<ProfileView[]> {
      const profiles = await deps.profiles.list();
      return Promise.all(
        profiles.map(async (profile) => ({
          profile,
          signedIn: !!(await sessions.load(profile.id)),
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
      const profile = await profileOrThrow(profileId);
      if (mode !== 'quick' && mode !== 'guided')
        throw new ApiError('mode must be quick or guided.');
      const previous = byProfile.get(profileId);
      if (previous) {
        previous.flow.cancel('A new connection was started.');
        previous.abort?.(new FlowStepError('A new connection was started.'));
        await previous.flow.close();
      }
      const secret = profile.hasClientSecret
        ? await deps.secrets.get(secretKeys.clientSecret(profile.id))
        : undefined;
      const redirect =
        deps.redirects.find((r) => r.mode === profile.redirectMode) ?? deps.redirects[0];
      if (!redirect) throw new ApiError('This host cannot receive a sign-in redirect.');
      const flow = new Flow(settingsFromProfile(profile, secret), {
        recorder: deps.recorder,
        receiver: deps.receiver,
        redirectUri: redirect.redirectUri,
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
      await profileOrThrow(profileId);
      const session = await sessions.load(profileId);
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
      const { server } = deps.stack;
      return {
        running: true,
        url: server.url,
        sseUrl: server.sseUrl,
        resource: server.resource,
        issuer: info.issuer,
        verification: server.verification,
        requiredScopes: server.requiredScopes,
        recentDecisions: [...decisions],
        snippets: clientSnippets({
          mcpUrl: server.url,
          scopes: ['openid', 'profile', 'email', 'whoami:read'],
        }),
      };
    },

    ...doctor,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish,

    async close() {
      deps.stack.server.events.off('verification', onDecision);
      unsubscribeTrace();
      for (const active of flows.values()) {
        active.flow.cancel('The app is closing.');
        await active.flow.close();
      }
      flows.clear();
      byProfile.clear();
      listeners.clear();
    },
  };
  return api;
}
