/** The profile a finished setup fills in: the tenant's issuer, the new Native app, the bundled server. */
import { DEFAULT_SCOPES, newProfileId, parseProfile, type Profile } from '../profiles/schema';
import type { TenantSetupResult } from './types';

export function profileFromSetup(
  result: TenantSetupResult,
  opts: { serverUrl: string; profileId?: string; thirdParty?: boolean },
): Profile | undefined {
  const clientId = opts.thirdParty ? result.thirdPartyAppId : result.nativeAppId;
  if (!clientId) return undefined;
  const host = new URL(result.endpoint).host;
  return parseProfile({
    id: opts.profileId ?? newProfileId(),
    name: `Logto ${host}${opts.thirdParty ? ' (third-party)' : ''}`,
    kind: 'custom',
    serverUrl: opts.serverUrl,
    issuer: result.issuer,
    clientId,
    scopes: [...DEFAULT_SCOPES],
    // Automatic: the server's resource indicator, which the setup registered as the API resource.
    resource: { mode: 'auto' },
    redirectMode: 'loopback',
  });
}
