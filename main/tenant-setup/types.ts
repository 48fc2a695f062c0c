/** What "Set up this tenant" did or would do, item by item: plain data for the UI and the CLI. */

export type SetupItemId =
  | 'native-app'
  | 'api-resource'
  | 'permission'
  | 'role'
  | 'role-permission'
  | 'role-user'
  | 'third-party-app'
  | 'third-party-consent';

export interface SetupItem {
  id: SetupItemId;
  title: string;
  /** exists: already right; drift: exists but differs (see fix); fixed: drift repaired on request. */
  state: 'created' | 'exists' | 'drift' | 'fixed' | 'failed';
  detail: string;
  /** For drift: what would be changed, in Logto Console terms. */
  fix?: string;
  /** false when the app cannot repair it (an immutable field): the fix says what to do by hand. */
  fixable?: boolean;
  /** The Logto id of the thing, when there is one. */
  logtoId?: string;
}

export interface TenantSetupRequest {
  /** https://<tenant>.logto.app or a self-hosted endpoint such as http://localhost:3001. */
  endpoint: string;
  /** The bundled server's resource indicator: the API resource's identifier. */
  resource: string;
  /** The user who gets the role (their username). */
  username: string;
  /** Also create a third-party app with its consent permissions. */
  thirdParty?: boolean;
  /** Repair these drifted items (true: every fixable one). Nothing is ever deleted. */
  fix?: boolean | SetupItemId[];
  /** The permission the server requires; default whoami:read. */
  permission?: string;
}

export interface TenantSetupResult {
  endpoint: string;
  issuer: string;
  items: SetupItem[];
  nativeAppId?: string;
  thirdPartyAppId?: string;
  /** What the bundled server must trust for these tokens to be accepted. */
  server: { issuer: string; resource: string };
}
