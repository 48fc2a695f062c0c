import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';

import { APP_POST_LOGOUT_REDIRECT_URI, APP_REDIRECT_URI } from '../shared/app-identity';
import { issuerDataDir, readOrCreate } from './data-files';
import { SIGNING_ALG } from './signing-keys';
import type { AppPermissions, SandboxClient } from './types';

export const NATIVE_CLIENT_ID = 'sandbox-native';
export const THIRD_PARTY_CLIENT_ID = 'sandbox-third-party';
export const SPA_CLIENT_ID = 'sandbox-spa';

/** The official MCP Inspector's callback URLs, so it can be pointed at the sandbox as is. */
const MCP_INSPECTOR_REDIRECT_URIS = [
  'http://localhost:6274/oauth/callback',
  'http://localhost:6274/oauth/callback/debug',
];

/**
 * Loopback redirect URIs (RFC 8252 section 7.3). oidc-provider, like Logto, lets a native client
 * use them on ANY port, so the desktop app can listen on an ephemeral one. `/callback` is this
 * app's own listener; `/oauth/callback` is mcp-remote's (the bridge Claude Desktop uses).
 */
const LOOPBACK_CALLBACKS = [
  'http://127.0.0.1/callback',
  'http://localhost/callback',
  'http://127.0.0.1/oauth/callback',
  'http://localhost/oauth/callback',
];
const LOOPBACK_SIGNED_OUT = ['http://127.0.0.1/signed-out', 'http://localhost/signed-out'];

/**
 * What the third-party app may ask for, as its Permissions tab would list it in Logto Console:
 * the profile (not `email`) and the bundled server's permission. Logto refuses any other scope at
 * /auth, before sign-in, with invalid_scope "requested scope is not allowed" naming it
 * (docs/logto.md), and so does the sandbox.
 */
export const THIRD_PARTY_PERMISSIONS: AppPermissions = {
  userData: ['profile'],
  api: ['whoami:read'],
};

/** Logto lets every app request these whatever its Permissions say (OpenID Connect Core 1.0 sections 3.1.2.1 and 11). */
const ALWAYS_PERMITTED = ['openid', 'offline_access'];

const FIRST_PARTY = new Set([NATIVE_CLIENT_ID, SPA_CLIENT_ID]);

/** First-party apps are consented automatically, like Logto; every other client sees the consent screen. */
export function isFirstParty(clientId: string): boolean {
  return FIRST_PARTY.has(clientId);
}

export function clientSecretsPath(dataDir: string): string {
  return join(issuerDataDir(dataDir), 'client-secrets.json');
}

/** The third-party client's secret: random (32 bytes, base64url), generated once and persisted. */
export async function loadOrCreateThirdPartySecret(dataDir: string): Promise<string> {
  const path = clientSecretsPath(dataDir);
  const text = await readOrCreate(
    path,
    async () =>
      `${JSON.stringify({ [THIRD_PARTY_CLIENT_ID]: randomBytes(32).toString('base64url') }, null, 2)}\n`,
  );
  let secret: unknown;
  try {
    secret = (JSON.parse(text) as Record<string, unknown>)[THIRD_PARTY_CLIENT_ID];
  } catch {
    secret = undefined;
  }
  if (typeof secret !== 'string' || secret.length < 43) {
    throw new Error(
      `The sandbox issuer's client secret file ${path} is not valid. Delete it to have a new secret generated.`,
    );
  }
  return secret;
}

/** The fixed sandbox applications, described in Logto's terms. */
export function sandboxClients(thirdPartySecret: string): SandboxClient[] {
  return [
    {
      appType: 'Native',
      clientId: NATIVE_CLIENT_ID,
      firstParty: true,
      redirectUris: [APP_REDIRECT_URI, ...LOOPBACK_CALLBACKS],
      postLogoutRedirectUris: [APP_POST_LOGOUT_REDIRECT_URI, ...LOOPBACK_SIGNED_OUT],
      description:
        'Native app, first-party, public client (PKCE, no secret). Loopback redirect URIs match on any port, as on Logto.',
    },
    {
      appType: 'Traditional web',
      clientId: THIRD_PARTY_CLIENT_ID,
      clientSecret: thirdPartySecret,
      firstParty: false,
      permissions: THIRD_PARTY_PERMISSIONS,
      redirectUris: [APP_REDIRECT_URI, ...LOOPBACK_CALLBACKS],
      postLogoutRedirectUris: [APP_POST_LOGOUT_REDIRECT_URI, ...LOOPBACK_SIGNED_OUT],
      description:
        'Traditional web app, third-party, confidential (client_secret_basic): always shows the consent screen, ' +
        `and may request only ${[...THIRD_PARTY_PERMISSIONS.userData, ...THIRD_PARTY_PERMISSIONS.api].join(', ')} (its Permissions) besides openid and offline_access. ` +
        'Sandbox convenience: loopback redirect URIs match on any port; a real Logto Traditional web app needs the exact URI registered.',
    },
    {
      appType: 'SPA',
      clientId: SPA_CLIENT_ID,
      firstParty: true,
      redirectUris: [...MCP_INSPECTOR_REDIRECT_URIS],
      postLogoutRedirectUris: ['http://localhost:6274/'],
      description:
        "Single-page app, first-party, public client (PKCE) with the MCP Inspector's callback URLs; exact match, port included, as on Logto.",
    },
  ];
}

const CLIENT_NAMES: Record<string, string> = {
  [NATIVE_CLIENT_ID]: 'MCP Auth Desktop',
  [THIRD_PARTY_CLIENT_ID]: 'MCP Auth Desktop (third-party demo)',
  [SPA_CLIENT_ID]: 'MCP Inspector',
};

/** oidc-provider metadata for a sandbox client (Logto's mapping, docs/logto.md "Application types"). */
export function toClientMetadata(client: SandboxClient): ClientMetadata {
  const common: ClientMetadata = {
    client_id: client.clientId,
    client_name: CLIENT_NAMES[client.clientId] ?? client.clientId,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    id_token_signed_response_alg: SIGNING_ALG,
    // RFC 7591 `scope`: oidc-provider refuses any other scope at /auth with invalid_scope.
    ...(client.permissions && {
      scope: [...ALWAYS_PERMITTED, ...client.permissions.userData, ...client.permissions.api].join(
        ' ',
      ),
    }),
  };
  switch (client.appType) {
    case 'Native':
      return { ...common, application_type: 'native', token_endpoint_auth_method: 'none' };
    case 'SPA':
      return { ...common, application_type: 'web', token_endpoint_auth_method: 'none' };
    case 'Traditional web':
      return {
        ...common,
        // `native` is what makes oidc-provider accept loopback redirect URIs on any port (a
        // sandbox convenience for the desktop app's ephemeral loopback listener).
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
        client_secret: client.clientSecret ?? '',
      };
  }
}

/**
 * RP-initiated logout: the post_logout_redirect_uri must be registered exactly, as on Logto. The
 * any-port loopback rule (RFC 8252 section 7.3) that oidc-provider also applies here for native
 * clients is for redirect URIs only.
 */
export function exactPostLogoutRedirectUris(provider: Provider): void {
  provider.Client.prototype.postLogoutRedirectUriAllowed = function (uri: string) {
    return this.postLogoutRedirectUris?.includes(uri) ?? false;
  };
}
