/**
 * The one API the renderer sees (preload/api.ts), composed from the parts under main/app/: the
 * sandbox seeding, profiles and secrets, the flow runner and sessions, the Server tab, the trace,
 * demo mode and the doctor. Hosts carry it: Electron over IPC, the web host over HTTP. Input from
 * the renderer is validated in the parts (zod for profiles, checks for ids).
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ApiRequests, AppEvent, RedirectInfo } from '../preload/api';
import { ApiError, toApiError } from './app/api-error';
import { createDemoHost } from './app/demo-host';
import { createDoctorHost } from './app/doctor-host';
import { createEventHub } from './app/event-hub';
import { createFlowRunner } from './app/flow-runner';
import { createProfileLookup, createProfilesApi } from './app/profiles-api';
import { createServerApi } from './app/server-api';
import { createSessionApi } from './app/session-api';
import { startSandboxSeeding } from './app/startup-seeding';
import { SessionStore } from './client/engine/session-store';
import type { RedirectReceiver } from './client/redirect/receiver';
import type { SecretStore } from './profiles/secret-store';
import type { ProfileStore } from './profiles/store';
import { sandboxInfo, type BundledStack } from './stack';
import type { TraceRecorder } from './trace';

export { ApiError, toApiError };

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

export interface AppApi extends ApiRequests {
  subscribe(listener: (event: AppEvent) => void): () => void;
  /** For hosts: send an event to every subscriber (the web host's open-url). */
  publish(event: AppEvent): void;
  close(): Promise<void>;
}

export async function createAppApi(deps: AppApiDeps): Promise<AppApi> {
  const { stack, recorder } = deps;
  const events = createEventHub();
  const sessions = new SessionStore(deps.secrets);
  const lookup = createProfileLookup(deps.profiles, sessions);
  const unsubscribeTrace = recorder.subscribe((event) => events.publish({ type: 'trace', event }));
  const { server, close: closeServer } = createServerApi({ stack, events });
  const seeding = await startSandboxSeeding({ ...deps, events });

  const runner = createFlowRunner({
    ...deps,
    sessions,
    events,
    lookup,
    syncSandboxProfiles: seeding.sync,
  });
  const requests: Omit<ApiRequests, 'demo' | 'doctor'> = {
    app: {
      async info() {
        return {
          version: deps.version,
          host: deps.host,
          sandbox: sandboxInfo(stack),
          redirects: deps.redirects,
          secretProtection: deps.secrets.protection,
          notices: [...(deps.notices ?? []), ...seeding.laterNotices],
        };
      },
    },
    profiles: createProfilesApi({
      ...deps,
      sessions,
      events,
      lookup,
      cancelFlowOf: runner.cancelOf,
    }),
    flow: runner.flow,
    session: createSessionApi({ ...deps, sessions, runner, lookup, events }),
    trace: {
      async get() {
        return recorder.events();
      },
      async export() {
        return recorder.export();
      },
      async clear() {
        recorder.clear();
      },
    },
    server,
  };

  const demo = createDemoHost({
    ...deps,
    api: requests,
    sessions,
    runner,
    lookup,
    events,
    syncSandboxProfiles: seeding.sync,
  });
  return {
    ...requests,
    demo: demo.api,
    doctor: createDoctorHost({ ...deps, sessions, events }),
    subscribe: events.subscribe,
    publish: events.publish,
    async close() {
      // First: a demo run puts the user's server settings back before anything else stops.
      await demo.close();
      closeServer();
      seeding.stop();
      unsubscribeTrace();
      await runner.close();
      events.clear();
    },
  };
}
