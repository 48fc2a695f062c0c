/** The tenant doctor (issue 12) as the contract's `doctor` group, wired to this app's parts. */
import type { DoctorApi, RedirectInfo } from '../../preload/api';
import type { SessionStore } from '../client/engine/session-store';
import { createDoctorApi } from '../doctor/doctor-api';
import type { SecretStore } from '../profiles/secret-store';
import type { ProfileStore } from '../profiles/store';
import type { BundledStack } from '../stack';
import type { TraceRecorder } from '../trace';
import { ApiError } from './api-error';
import type { EventHub } from './event-hub';

export function createDoctorHost(deps: {
  stack: BundledStack;
  profiles: ProfileStore;
  sessions: SessionStore;
  secrets: SecretStore;
  recorder: TraceRecorder;
  redirects: RedirectInfo[];
  events: EventHub;
}): DoctorApi {
  const { stack } = deps;
  const doctor = createDoctorApi({
    profiles: deps.profiles,
    sessions: deps.sessions,
    secrets: deps.secrets,
    recorder: deps.recorder,
    redirects: deps.redirects,
    server: () => ({
      issuer: stack.server.issuer,
      url: stack.server.url,
      resource: stack.server.resource,
      verification: stack.server.verification,
      requiredScopes: stack.server.requiredScopes,
    }),
    // "Set up this tenant" ends by pointing the bundled server at the tenant, as the Server tab would.
    applyServerTrust: async ({ issuer, resource }) => {
      const applied = await stack.apply({
        ...stack.settings,
        issuer,
        // The default resource follows the server's port; name it only when it differs.
        ...(resource !== stack.server.resource && { resource }),
      });
      if (!applied.ok) {
        throw new ApiError(
          `The bundled server cannot trust ${issuer}: ${applied.issues.map((i) => i.message).join('; ')}`,
          'Set the trusted issuer in the Server tab.',
        );
      }
    },
    onProfilesChanged: () => deps.events.publish({ type: 'profiles-changed' }),
  });
  return {
    checkProfile: (profileId) => doctor.doctorCheckProfile(profileId),
    explainFailure: (profileId, code) => doctor.doctorExplainFailure(profileId, code),
    checkToken: (profileId, token) => doctor.doctorCheckToken(profileId, token),
    setupTenant: (input) => doctor.doctorSetupTenant(input),
  };
}
