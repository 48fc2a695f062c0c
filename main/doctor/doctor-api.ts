/**
 * The doctor block of the app's API (preload/api.ts): check a profile, explain a failed sign-in,
 * judge a token with the bundled server's verifiers, set a tenant up. Composed into main/api.ts.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import type {
  DoctorFailureView,
  RedirectInfo,
  TenantSetupInput,
  TenantSetupView,
} from '../../preload/api';
import type { SessionStore } from '../client/engine/session-store';
import type { Profile } from '../profiles/schema';
import type { SecretStore } from '../profiles/secret-store';
import type { ProfileStore } from '../profiles/store';
import { profileFromSetup, runTenantSetup, type ApplyServerTrust } from '../tenant-setup';
import type { TraceRecorder } from '../trace';
import { checkForFailure } from './failure-map';
import { doctorFetch, runDoctor } from './run';
import { wouldServerAccept } from './token-verdict';
import type { DoctorInput, DoctorReport, ServerTrust, TokenVerdict } from './types';

export interface DoctorApiDeps {
  profiles: ProfileStore;
  sessions: SessionStore;
  secrets: SecretStore;
  recorder: TraceRecorder;
  redirects: RedirectInfo[];
  /** What the bundled server trusts right now, and where it answers. */
  server(): ServerTrust & { url: string };
  /** The server configuration API connects here ("point the bundled server at the tenant"). */
  applyServerTrust?: ApplyServerTrust;
  fetch?: FetchLike;
  onProfilesChanged(): void;
}

export class DoctorApiError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const SetupInputSchema = z.object({
  endpoint: z.string().trim().min(1, 'Enter the Logto endpoint, e.g. https://<tenant>.logto.app'),
  appId: z.string().trim().optional(),
  appSecret: z.string().optional(),
  username: z.string().trim().min(1, 'Enter the username of the user who gets the role'),
  thirdParty: z.boolean().optional(),
  fix: z.union([z.boolean(), z.array(z.string())]).optional(),
});

export function doctorInputFromProfile(profile: Profile, redirects: RedirectInfo[]): DoctorInput {
  const redirect = redirects.find((r) => r.mode === profile.redirectMode);
  return {
    serverUrl: profile.serverUrl,
    transport: profile.transport,
    resource: profile.resource,
    scopes: profile.scopes,
    refreshTokens: profile.refreshTokens,
    extraParams: profile.extraParams,
    ...(profile.issuer && { issuer: profile.issuer }),
    ...(profile.clientId && { clientId: profile.clientId }),
    ...(profile.prompt && { prompt: profile.prompt }),
    ...(redirect && { redirectUri: redirect.redirectUri }),
  };
}

export function createDoctorApi(deps: DoctorApiDeps) {
  const fetchFn = () => doctorFetch({ recorder: deps.recorder });
  const profileOrThrow = async (profileId: string) => {
    const profile = typeof profileId === 'string' ? await deps.profiles.get(profileId) : undefined;
    if (!profile)
      throw new DoctorApiError(
        `There is no profile ${String(profileId)}.`,
        'Pick a profile from the list.',
      );
    return profile;
  };
  const check = async (profileId: string): Promise<DoctorReport> =>
    runDoctor(doctorInputFromProfile(await profileOrThrow(profileId), deps.redirects), {
      fetch: fetchFn(),
    });

  return {
    doctorCheckProfile: check,

    async doctorExplainFailure(profileId: string, code?: string): Promise<DoctorFailureView> {
      const report = await check(profileId);
      const pointed = checkForFailure(typeof code === 'string' ? code : undefined);
      // The mapped check if the doctor ran it, else the first failing one.
      const checkId =
        report.checks.find((c) => c.id === pointed)?.id ??
        report.checks.find((c) => c.status === 'fail')?.id;
      return { report, ...(checkId && { checkId }) };
    },

    async doctorCheckToken(profileId: string, token?: string): Promise<TokenVerdict> {
      const profile = await profileOrThrow(profileId);
      const session = await deps.sessions.load(profile.id);
      const pasted = typeof token === 'string' ? token.trim() : '';
      const value = pasted || session?.tokens.access_token;
      if (!value) {
        throw new DoctorApiError(
          'There is no token to check.',
          'Connect first, or paste an access token.',
        );
      }
      // A pasted token is a secret like any other: never shown in the trace unredacted.
      deps.recorder.secrets.register(value, 'access_token');
      return wouldServerAccept(value, deps.server(), {
        ...(!pasted && session?.resource && { resourceSent: session.resource }),
      });
    },

    async doctorSetupTenant(input: TenantSetupInput): Promise<TenantSetupView> {
      const parsed = SetupInputSchema.safeParse(input);
      if (!parsed.success) {
        throw new DoctorApiError(parsed.error.issues.map((i) => i.message).join('; '));
      }
      const { endpoint, username, thirdParty, appId, appSecret, fix } = parsed.data;
      const server = deps.server();
      const result = await runTenantSetup(
        {
          endpoint,
          username,
          resource: server.resource,
          thirdParty: thirdParty ?? false,
          ...(fix !== undefined && { fix: fix as NonNullable<TenantSetupInput['fix']> }),
          credentials: { ...(appId && { appId }), ...(appSecret && { appSecret }) },
        },
        {
          fetch: doctorFetch({ recorder: deps.recorder, flowId: 'tenant-setup' }),
          secrets: deps.secrets,
          traceSecrets: deps.recorder.secrets,
        },
      );
      const existing = (await deps.profiles.list()).find(
        (p) => p.issuer === result.issuer && p.clientId === result.nativeAppId,
      );
      const profile = profileFromSetup(result, {
        serverUrl: server.url,
        ...(existing && { profileId: existing.id }),
      });
      if (profile) {
        await deps.profiles.save(
          existing ? { ...existing, ...profile, name: existing.name } : profile,
        );
        deps.onProfilesChanged();
      }
      let serverApplied = false;
      if (deps.applyServerTrust) {
        await deps.applyServerTrust(result.server);
        serverApplied = true;
      }
      return { ...result, ...(profile && { profile }), serverApplied };
    },
  };
}
