/**
 * Logto's OIDC scopes and the claims each one releases (docs/logto.md "Scopes"), plus
 * plain-language descriptions for the consent screen.
 */

/** Discovery `scopes_supported` order on Logto; API resource scopes follow. */
export const LOGTO_OIDC_SCOPES = [
  'openid',
  'offline_access',
  'profile',
  'email',
  'phone',
  'address',
  'custom_data',
  'identities',
  'roles',
  'urn:logto:scope:organizations',
  'urn:logto:scope:organization_roles',
  'urn:logto:scope:sessions',
] as const;

const OIDC_SCOPE_SET: ReadonlySet<string> = new Set(LOGTO_OIDC_SCOPES);

export function isOidcScope(scope: string): boolean {
  return OIDC_SCOPE_SET.has(scope);
}

/**
 * oidc-provider's `claims` configuration: scope => claims it releases. `openid` gives `sub` only.
 * `created_at`/`updated_at` sit under `profile` as on Logto.
 */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'picture', 'username', 'created_at', 'updated_at'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
  custom_data: ['custom_data'],
  identities: ['identities', 'sso_identities'],
  roles: ['roles'],
  'urn:logto:scope:organizations': ['organizations'],
  'urn:logto:scope:organization_roles': ['organization_roles'],
} as const satisfies Record<string, readonly string[]>;

/** What each OIDC scope lets an app see, in words a user understands. */
const OIDC_SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Know who you are (your user ID)',
  offline_access: 'Stay connected when you are not using it (a refresh token)',
  profile: 'Your name, username and profile picture',
  email: 'Your email address',
  phone: 'Your phone number',
  address: 'Your postal address',
  custom_data: 'Custom data stored on your account',
  identities: 'The social and enterprise accounts linked to yours',
  roles: 'Your roles',
  'urn:logto:scope:organizations': 'The organizations you belong to',
  'urn:logto:scope:organization_roles': 'Your roles in those organizations',
  'urn:logto:scope:sessions': 'Your sign-in sessions',
};

export function describeOidcScope(scope: string): string | undefined {
  return OIDC_SCOPE_DESCRIPTIONS[scope];
}

/** Splits an OAuth `scope` parameter (RFC 6749 section 3.3) into its distinct values. */
export function splitScope(scope: unknown): string[] {
  if (typeof scope !== 'string') return [];
  return [...new Set(scope.split(' ').filter(Boolean))];
}
