/** Demo mode and reports (issue 10): scenarios played through this same API, on the sandbox. */
import type { DemoApi, ApiRequests } from '../../preload/api';
import { initializeRequest } from '../client/engine/initialize-request';
import { sameIssuer } from '../client/engine/issuer-check';
import { isOidcScope } from '../issuer/scopes';
import type { Profile } from '../profiles/schema';
import { secretKeys, type SecretStore } from '../profiles/secret-store';
import type { SessionStore } from '../client/engine/session-store';
import { createDemoApi, DemoApiError } from '../report/demo-api';
import type { DemoTarget, TenantProfile } from '../report/target';
import { trustsSandbox } from '../server';
import { fetchWithTimeout } from '../shared/fetch-with-timeout';
import { sandboxInfo, type BundledStack } from '../stack';
import { createTracedFetch, type TraceRecorder } from '../trace';
import type { EventHub } from './event-hub';
import type { FlowRunner } from './flow-runner';
import type { ProfileLookup } from './profiles-api';

/** A JWT's `exp` in ms, read without verifying (our own token: only to know when to ask). */
function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The demo block of the API, and `close`, which waits for a run to put the sandbox back. */
export function createDemoHost(deps: {
  api: Pick<ApiRequests, 'profiles' | 'flow' | 'session'>;
  stack: BundledStack;
  sessions: SessionStore;
  recorder: TraceRecorder;
  runner: FlowRunner;
  lookup: ProfileLookup;
  secrets: SecretStore;
  events: EventHub;
  syncSandboxProfiles(): Promise<void>;
  version: string;
}): { api: DemoApi; close(): Promise<void> } {
  const { api, stack } = deps;
  const demo = createDemoApi({
    saveProfile: (input, secret) => api.profiles.save(input, secret),
    connect: (profileId, options) =>
      deps.runner.start(profileId, 'guided', { purpose: 'demo', ...options }),
    continueFlow: (flowId) => api.flow.continue(flowId),
    callTool: (profileId, name, args) => api.session.callTool(profileId, name, args),
    refresh: (profileId) => api.session.refresh(profileId),
    signOut: (profileId) => api.session.signOut(profileId),
    subscribe: (listener) => deps.events.subscribe(listener),
    forgetSession: async (profileId) => {
      deps.runner.forget(profileId);
      await deps.sessions.clear(profileId);
    },
    events: () => deps.recorder.events(),
    cancelFlow: (flowId) => api.flow.cancel(flowId),
    // The old access token stays here, in main; the page and the trace see only its fingerprint.
    holdAccessToken: async (profileId) => {
      const session = await deps.sessions.load(profileId);
      const token = session?.tokens.access_token;
      const flowId = deps.runner.activeFor(profileId)?.flow.id;
      if (!token) return undefined;
      const check = async () => {
        const traced = createTracedFetch({
          recorder: deps.recorder,
          party: 'client',
          ...(flowId && { flowId }),
          fetch: (url, init) =>
            fetchWithTimeout(url instanceof Request ? url.url : url, init ?? {}),
        });
        const response = await traced(
          stack.server.url,
          initializeRequest('mcp-auth-desktop-demo-check', token),
        );
        // A refusal says why in RFC 6750 terms; that is the verdict the room should hear.
        const refusal = response.ok
          ? undefined
          : ((await response.json().catch(() => undefined)) as
              { error?: unknown; error_description?: unknown } | undefined);
        await response.body?.cancel().catch(() => undefined);
        const why = [refusal?.error, refusal?.error_description]
          .filter((part) => typeof part === 'string')
          .join(', ');
        return {
          what: 'The old access token',
          status: response.status,
          accepted: response.ok,
          explanation: response.ok
            ? 'the server still accepts it: a JWT access token stays valid until it expires.'
            : `the server rejects it${why ? `: ${why}` : '.'}`,
        };
      };
      const expiresAt = jwtExpiry(token) ?? session.expiresAt;
      return { check, ...(expiresAt && { expiresAt }) };
    },
    sandboxControls: {
      serverSettings: () => stack.settings,
      applyServerSettings: async (settings) => {
        const result = await stack.apply(settings, { persist: false });
        if (!result.ok) throw new Error(result.issues.map((i) => i.message).join(' '));
      },
      accessTokenTtl: () => ({
        override: stack.sandboxAccessTokenTtl,
        resourceSec:
          stack.sandboxIssuer?.apiResources.find((r) => r.indicator === stack.server.resource)
            ?.accessTokenTtlSec ?? 3600,
      }),
      setAccessTokenTtl: (sec) => stack.setSandboxAccessTokenTtl(sec),
    },
    // The running server's own leeway: a story may have lowered it (sandbox-changes.ts).
    get serverClockLeewaySec() {
      return stack.server.clockToleranceSec;
    },
    // Read when used: the sandbox starts on first use and the server restarts on new settings.
    get sandbox() {
      return sandboxInfo(stack);
    },
    get thirdPartySecret() {
      return stack.sandboxIssuer?.clients.find((c) => c.clientSecret)?.clientSecret;
    },
    get serverSettings() {
      return {
        verification: stack.server.verification,
        requiredScopes: stack.server.requiredScopes,
      };
    },
    targets: async () =>
      (await api.profiles.list()).flatMap(({ profile, demo }) =>
        profile.kind === 'custom' && profile.issuer && profile.clientId && !demo
          ? [{ profileId: profile.id, name: profile.name, issuer: profile.issuer }]
          : [],
      ),
    prepare: async (targetProfileId) => {
      if (targetProfileId !== undefined) return tenantTarget(targetProfileId);
      if (!trustsSandbox(stack.settings)) {
        throw new DemoApiError(
          `The demo scenarios run on the sandbox, but the bundled server trusts ${stack.server.issuer}.`,
          'Make the bundled server trust the sandbox (Server tab), then start the scenario again.',
          'server_not_on_sandbox',
        );
      }
      if (!stack.sandboxIssuer) {
        await stack.sandbox();
        await deps.syncSandboxProfiles();
      }
      const sandbox = sandboxInfo(stack);
      return {
        kind: 'sandbox',
        label: 'the sandbox',
        issuer: sandbox.issuer,
        mcpUrl: sandbox.mcpUrl,
        resource: sandbox.resource,
        bundled: true,
        users: sandbox.users,
      };
    },
    appVersion: deps.version,
    changed: (runId) => deps.events.publish({ type: 'demo', runId }),
  });
  /** The tenant of one of the user's profiles, checked so the story shows its mistakes, not ours. */
  async function tenantTarget(profileId: string): Promise<DemoTarget> {
    // Its own error says which profile is missing and to pick one; a store failure stays itself.
    const profile = await deps.lookup.profileOrThrow(profileId);
    if (profile.kind === 'sandbox' || !profile.issuer)
      throw new DemoApiError(
        `“${profile.name}” names no tenant issuer.`,
        'Set its Issuer to your Logto endpoint followed by /oidc, or run the story on the sandbox.',
        'target_without_issuer',
      );
    if (!profile.clientId)
      throw new DemoApiError(
        `“${profile.name}” has no Client ID: the story plays its mistakes with your app's client.`,
        'Copy the App ID from Logto Console › Applications into the profile’s Client ID.',
        'target_without_client',
      );
    const bundled = new URL(profile.serverUrl).origin === new URL(stack.server.url).origin;
    if (bundled && !sameIssuer(stack.server.issuer, profile.issuer))
      throw new DemoApiError(
        `The bundled server trusts ${stack.server.issuer}, not ${profile.issuer}: every part would end at that mismatch instead of its own mistake.`,
        `Make the bundled server trust the issuer of “${profile.name}” (the offer on the story’s card, or the Server tab), then start the story again.`,
        'server_not_on_target',
      );
    const clientSecret = profile.hasClientSecret
      ? await deps.secrets.get(secretKeys.clientSecret(profile.id))
      : undefined;
    return {
      kind: 'tenant',
      label: profile.name,
      issuer: profile.issuer,
      mcpUrl: profile.serverUrl,
      ...(bundled && { resource: stack.server.resource }),
      bundled,
      users: [],
      tenant: {
        name: profile.name,
        profile: pickTenantProfile({ ...profile, clientId: profile.clientId }),
        permission: permissionOf(profile, bundled ? stack.server.requiredScopes : []),
      },
      ...(clientSecret && { clientSecret }),
    };
  }

  return {
    api: {
      scenarios: () => demo.api.listDemoScenarios(),
      start: (scenarioId, options) => demo.api.startDemo(scenarioId, options),
      continue: (runId) => demo.api.continueDemo(runId),
      stop: (runId) => demo.api.stopDemo(runId),
      run: (runId, reveal) => demo.api.getDemoRun(runId, reveal),
      exportReport: (runId) => demo.api.exportDemoReport(runId),
      openReport: (html) => demo.api.openDemoReport(html),
    },
    close: demo.close,
  };
}

function pickTenantProfile(profile: Profile & { clientId: string }): TenantProfile {
  const { clientId, scopes, resource, prompt, extraParams, redirectMode, redirectPort } = profile;
  return {
    clientId,
    scopes,
    resource,
    extraParams,
    redirectMode,
    transport: profile.transport,
    hasClientSecret: profile.hasClientSecret,
    ...(prompt && { prompt }),
    ...(redirectPort !== undefined && { redirectPort }),
  };
}

/**
 * The API permission whoami needs on the tenant: the first the bundled server requires, else the
 * first non-OIDC scope the profile asks for, else the permission this app's docs set up.
 */
function permissionOf(profile: Profile, required: readonly string[]): string {
  return required[0] ?? profile.scopes.find((s) => !isOidcScope(s)) ?? 'whoami:read';
}
