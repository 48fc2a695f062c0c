/**
 * One-click tenant setup through the Logto Management API. `runTenantSetup` is what the app and
 * the tenant suite call: credentials from the request or the secret store, every call traced.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { SecretStore } from '../profiles/secret-store';
import { loadM2mCredentials, saveM2mCredentials } from './credentials';
import {
  ManagementApi,
  ManagementApiError,
  normaliseEndpoint,
  type M2mCredentials,
  type SecretSink,
} from './management-api';
import { setUpTenant } from './setup';
import type { TenantSetupRequest, TenantSetupResult } from './types';

export { ManagementApi, ManagementApiError, managementApiResource } from './management-api';
export { setUpTenant, NATIVE_REDIRECT_URIS, ROLE_NAME } from './setup';
export { profileFromSetup } from './profile';
export type * from './types';

/**
 * Where the lead connects "point the bundled server at the tenant" at merge: the server
 * configuration API lives on another branch. Until then the setup returns `server` for the UI.
 */
export type ApplyServerTrust = (server: TenantSetupResult['server']) => Promise<void>;

export async function runTenantSetup(
  request: TenantSetupRequest & { credentials?: Partial<M2mCredentials> },
  deps: { fetch: FetchLike; secrets: SecretStore; traceSecrets: SecretSink },
): Promise<TenantSetupResult> {
  const endpoint = normaliseEndpoint(request.endpoint);
  const stored = await loadM2mCredentials(deps.secrets, endpoint);
  const appId = request.credentials?.appId || stored?.appId;
  const appSecret = request.credentials?.appSecret || stored?.appSecret;
  if (!appId || !appSecret) {
    throw new ManagementApiError(
      'The setup needs a machine-to-machine app with Management API access.',
      'In Logto Console → Applications, create a Machine-to-machine app, give it a role with the Logto Management API permission "all", and enter its App ID and App secret.',
    );
  }
  const api = new ManagementApi(endpoint, { appId, appSecret }, deps.fetch, deps.traceSecrets);
  const result = await setUpTenant(api, { ...request, endpoint });
  // Kept only once Logto accepted them, so a typo is not remembered.
  await saveM2mCredentials(deps.secrets, endpoint, { appId, appSecret });
  return result;
}
