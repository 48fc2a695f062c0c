/**
 * Runs the sign-in flows the renderer starts: one per profile at a time, quick or guided (paused
 * before each step), with its view (steps, status, never a secret) sent as an event at every change
 * and kept so a reloaded page can pick it up again (`flow.get`).
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { FlowApi, FlowView, RedirectInfo } from '../../preload/api';
import { Flow, settingsFromProfile } from '../client/engine/flow';
import { FlowStepError } from '../client/engine/notes';
import type { SessionStore } from '../client/engine/session-store';
import { startLoopbackListener, type LoopbackListener } from '../client/redirect/loopback-listener';
import type { RedirectReceiver } from '../client/redirect/receiver';
import type { Profile } from '../profiles/schema';
import { secretKeys, type SecretStore } from '../profiles/secret-store';
import type { BundledStack } from '../stack';
import type { TraceRecorder } from '../trace';
import { ApiError, toApiError } from './api-error';
import type { EventHub } from './event-hub';
import type { ProfileLookup } from './profiles-api';

export interface ActiveFlow {
  flow: Flow;
  view: FlowView;
  resume?: () => void;
  abort?: (reason: Error) => void;
}

export interface FlowRunnerDeps {
  stack: BundledStack;
  secrets: SecretStore;
  sessions: SessionStore;
  recorder: TraceRecorder;
  receiver: RedirectReceiver;
  redirects: RedirectInfo[];
  events: EventHub;
  lookup: ProfileLookup;
  /** Brings the sandbox profiles up to date once the sandbox issuer has started. */
  syncSandboxProfiles(): Promise<void>;
  openExternal(url: string, purpose: 'sign-in' | 'sign-out'): Promise<void> | void;
  signInTimeoutMs?: number;
  fetch?: FetchLike;
}

/** How the app itself starts a flow, beyond what the page can ask for. */
export interface StartOptions {
  /** Told in the flow's view, so the page knows a demo's sign-in and adds nothing to it. */
  purpose?: FlowView['purpose'];
  /**
   * Another path for the loopback redirect URI: a demo shows what the issuer answers to a
   * redirect URI it never registered (the callback is refused before anyone signs in).
   */
  redirectPath?: string;
}

export interface FlowRunner {
  flow: FlowApi;
  /** `flow.connect`, with what only the app may ask for. */
  start(profileId: string, mode: 'quick' | 'guided', options?: StartOptions): Promise<FlowView>;
  /** The profile's latest flow, if any. */
  activeFor(profileId: string): ActiveFlow | undefined;
  /** The profile's signed-in flow, or the error that says to connect first. */
  signedInOrThrow(profileId: string): ActiveFlow;
  /** Stops the profile's flow, if one runs. */
  cancelOf(profileId: string, reason: string): void;
  /** Forgets the profile's flow (after sign-out). */
  forget(profileId: string): void;
  close(): Promise<void>;
}

export function createFlowRunner(deps: FlowRunnerDeps): FlowRunner {
  const flows = new Map<string, ActiveFlow>();
  const byProfile = new Map<string, ActiveFlow>();
  const emitFlow = (active: ActiveFlow) =>
    deps.events.publish({ type: 'flow', flow: structuredClone(active.view) });

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

  const start: FlowRunner['start'] = async (profileId, mode, options = {}) => {
    let profile = await deps.lookup.profileOrThrow(profileId);
    if (mode !== 'quick' && mode !== 'guided') throw new ApiError('mode must be quick or guided.');
    if (profile.kind === 'sandbox' && !deps.stack.sandboxIssuer) {
      // The sandbox issuer starts on first use; its address is then the real one.
      await deps.stack.sandbox().catch((error: unknown) => {
        throw new ApiError(`The sandbox issuer could not start: ${toApiError(error).message}`);
      });
      await deps.syncSandboxProfiles();
      profile = await deps.lookup.profileOrThrow(profileId);
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
    const redirectUri = withPath(await redirectUriFor(profile), options.redirectPath);
    const engine = new Flow(settingsFromProfile(profile, secret), {
      recorder: deps.recorder,
      receiver: deps.receiver,
      redirectUri,
      sessions: deps.sessions,
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
      flow: engine,
      view: {
        flowId: engine.id,
        profileId,
        mode,
        ...(options.purpose && { purpose: options.purpose }),
        status: 'running',
        steps: structuredClone(engine.steps),
      },
    };
    flows.set(engine.id, active);
    byProfile.set(profileId, active);
    engine.onChange((steps) => {
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
    void engine
      .run(pauseBefore ? { pauseBefore } : {})
      .then((result) => {
        active.view.status = 'signed-in';
        active.view.tools = result.tools;
        emitFlow(active);
        deps.events.publish({ type: 'profiles-changed' });
      })
      .catch((error: unknown) => {
        active.view.status = active.view.status === 'cancelled' ? 'cancelled' : 'failed';
        active.view.error = toApiError(error);
        emitFlow(active);
      });
    return structuredClone(active.view);
  };

  const flow: FlowApi = {
    connect: (profileId, mode) => start(profileId, mode),

    async get(profileId) {
      if (typeof profileId !== 'string') throw new ApiError('A profile id is required.');
      const active = byProfile.get(profileId);
      return active ? structuredClone(active.view) : null;
    },

    async continue(flowId) {
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

    async cancel(flowId) {
      const active = flows.get(flowId);
      if (!active) return;
      active.view.status = 'cancelled';
      active.flow.cancel();
      active.abort?.(new FlowStepError('Cancelled in the app.', undefined, 'cancelled'));
      await active.flow.close();
      emitFlow(active);
    },
  };

  return {
    flow,
    start,
    activeFor: (profileId) => byProfile.get(profileId),
    signedInOrThrow(profileId) {
      const active = byProfile.get(profileId);
      if (!active || active.view.status !== 'signed-in') {
        throw new ApiError(
          'This profile is not connected.',
          'Click Connect first.',
          'not_connected',
        );
      }
      return active;
    },
    cancelOf: (profileId, reason) => byProfile.get(profileId)?.flow.cancel(reason),
    forget(profileId) {
      const active = byProfile.get(profileId);
      if (!active) return;
      byProfile.delete(profileId);
      flows.delete(active.flow.id);
    },
    async close() {
      for (const active of flows.values()) {
        active.flow.cancel('The app is closing.');
        await active.flow.close();
      }
      flows.clear();
      byProfile.clear();
      for (const listening of fixedPortListeners.values()) {
        await listening.then((l) => l.close()).catch(() => undefined);
      }
    },
  };
}

/** The redirect URI on another path (loopback only: a custom scheme keeps its own). */
function withPath(redirectUri: string, path: string | undefined): string {
  if (!path) return redirectUri;
  const url = new URL(redirectUri);
  if (url.protocol !== 'http:') return redirectUri;
  url.pathname = path;
  return url.href;
}
