/** Profiles: list, the "Logto tenant" template, validate, save (secret aside), delete, scopes. */
import { discoverAuthorizationServerMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import type { ProfilesApi } from '../../preload/api';
import { sessionFits, type SessionStore, type StoredSession } from '../client/engine/session-store';
import { logtoTenantTemplate, validateProfileInput, type Profile } from '../profiles/schema';
import { secretKeys, type SecretStore } from '../profiles/secret-store';
import type { ProfileStore } from '../profiles/store';
import { fetchWithTimeout } from '../shared/fetch-with-timeout';
import { sandboxInfo, type BundledStack } from '../stack';
import { ApiError, toApiError } from './api-error';
import type { EventHub } from './event-hub';
import { DEMO_PROFILE_PREFIX } from '../report/demo-runner';

export interface ProfileLookup {
  profileOrThrow(profileId: string): Promise<Profile>;
  /** The profile's stored session, only if it was made for this server (and client). */
  sessionOf(profile: Profile): Promise<StoredSession | undefined>;
}

export function createProfileLookup(profiles: ProfileStore, sessions: SessionStore): ProfileLookup {
  return {
    async profileOrThrow(profileId) {
      if (typeof profileId !== 'string') throw new ApiError('A profile id is required.');
      const profile = await profiles.get(profileId);
      if (!profile)
        throw new ApiError(`There is no profile ${profileId}.`, 'Pick a profile from the list.');
      return profile;
    },
    async sessionOf(profile) {
      const session = await sessions.load(profile.id);
      return session &&
        sessionFits(session, {
          serverUrl: profile.serverUrl,
          ...(profile.clientId && { clientId: profile.clientId }),
        })
        ? session
        : undefined;
    },
  };
}

export function createProfilesApi(deps: {
  profiles: ProfileStore;
  secrets: SecretStore;
  sessions: SessionStore;
  stack: BundledStack;
  events: EventHub;
  lookup: ProfileLookup;
  /** Stops the profile's flow, if one runs, before the profile goes. */
  cancelFlowOf(profileId: string, reason: string): void;
}): ProfilesApi {
  const { lookup } = deps;
  return {
    async list() {
      const profiles = await deps.profiles.list();
      return Promise.all(
        profiles.map(async (profile) => ({
          profile,
          signedIn: !!(await lookup.sessionOf(profile)),
          ...(profile.id.startsWith(DEMO_PROFILE_PREFIX) && { demo: true as const }),
        })),
      );
    },

    async template() {
      // Pointed at the bundled server as it runs now (its port may differ from the default).
      return { ...logtoTenantTemplate(), serverUrl: sandboxInfo(deps.stack).mcpUrl };
    },

    async validate(input) {
      return validateProfileInput(input);
    },

    async save(input, clientSecret) {
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
      deps.events.publish({ type: 'profiles-changed' });
      return result;
    },

    async delete(profileId) {
      const profile = await lookup.profileOrThrow(profileId);
      if (profile.kind === 'sandbox') {
        throw new ApiError('The sandbox profiles come with the app and cannot be deleted.');
      }
      deps.cancelFlowOf(profileId, 'The profile was deleted.');
      await deps.profiles.remove(profileId);
      await deps.secrets.delete(secretKeys.clientSecret(profileId));
      await deps.sessions.clear(profileId);
      deps.events.publish({ type: 'profiles-changed' });
    },

    async discoverScopes(issuer) {
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
  };
}
