import { randomBytes } from 'node:crypto';

import {
  errors,
  type ClientMetadata,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';

import { createAdapterFactory } from './adapter';
import { apiScopeNames, findApiResource } from './api-resources';
import { renderErrorAsJson } from './error-body';
import { LOGTO_OIDC_SCOPES, SCOPE_CLAIMS } from './scopes';
import { SIGNING_ALG, type SigningJwk } from './signing-keys';
import type { ApiResource } from './types';
import { findUserById, userClaims } from './users';
import { PAGE_HEADERS } from './views/layout';
import { logoutConfirmPage, logoutSuccessPage } from './views/logout';

/**
 * oidc-provider configured the way Logto configures it (docs/logto.md "How Logto configures
 * oidc-provider"), so what a user learns in the sandbox holds on their tenant.
 */

export interface ProviderConfigInput {
  apiResources: readonly ApiResource[];
  clients: ClientMetadata[];
  signingKeys: SigningJwk[];
  dynamicClientRegistration: boolean;
  /**
   * The access-token lifetime in force for a resource, read at every token request: the sandbox
   * can shorten it while running (RunningIssuer.setAccessTokenTtl) to show a token expiring.
   */
  accessTokenTtlSec?: (resource: ApiResource) => number;
}

const DAY = 24 * 60 * 60;

/** Logto's extra authorization parameters; accepted (and ignored) so requests built for Logto pass unchanged. */
const LOGTO_EXTRA_PARAMS = [
  'organization_id',
  'first_screen',
  'interaction_mode',
  'direct_sign_in',
];

function sendHtml(ctx: KoaContextWithOIDC, html: string): void {
  ctx.set(PAGE_HEADERS);
  ctx.type = 'html';
  ctx.body = html;
}

/**
 * CORS from a browser: allowed only from the origin of one of the client's redirect URIs (or the
 * issuer's own origin), as Logto does; other origins get invalid_request
 * "origin ... not allowed for client". Calls without Origin (Node, Electron main) are unaffected.
 */
function clientBasedCORS(
  ctx: KoaContextWithOIDC,
  origin: string,
  client: { redirectUris?: readonly string[] | undefined },
): boolean {
  if (origin === ctx.URL.origin) return true;
  return (client.redirectUris ?? []).some((uri) => {
    const parsed = URL.parse(uri);
    // Custom-scheme URIs have an opaque origin ("null"), which must never match.
    return parsed !== null && parsed.origin !== 'null' && parsed.origin === origin;
  });
}

/**
 * A client's permitted scopes (its `scope` metadata) narrowed to the scopes this issuer defines:
 * with other API resources configured, a permission of the default one simply does not exist.
 */
function permittedOnly(client: ClientMetadata, scopes: readonly string[]): ClientMetadata {
  if (typeof client.scope !== 'string') return client;
  return {
    ...client,
    scope: client.scope
      .split(' ')
      .filter((s) => scopes.includes(s))
      .join(' '),
  };
}

export function providerConfiguration(input: ProviderConfigInput): Configuration {
  const { apiResources, clients, signingKeys, dynamicClientRegistration } = input;
  const ttlOf = input.accessTokenTtlSec ?? ((resource: ApiResource) => resource.accessTokenTtlSec);
  // OIDC scopes in Logto's order, then the API permissions: discovery lists them all, and a
  // dynamically registered client may only register scopes the provider knows.
  const scopes = [...LOGTO_OIDC_SCOPES, ...apiScopeNames(apiResources)];

  return {
    adapter: createAdapterFactory(),
    clients: clients.map((client) => permittedOnly(client, scopes)),
    jwks: { keys: signingKeys },
    scopes,
    claims: SCOPE_CLAIMS,
    // Logto puts every claim the scopes allow into the ID token, not only `sub`.
    conformIdTokenClaims: false,
    extraParams: LOGTO_EXTRA_PARAMS,
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: SIGNING_ALG,
    },
    // Only what the sandbox can actually sign with: its one ES384 key.
    enabledJWA: {
      idTokenSigningAlgValues: [SIGNING_ALG],
      userinfoSigningAlgValues: [SIGNING_ALG],
      introspectionSigningAlgValues: [SIGNING_ALG],
      authorizationSigningAlgValues: [SIGNING_ALG],
    },
    cookies: {
      // Random per start: a restart signs everyone out, which the in-memory store does anyway.
      keys: [randomBytes(32).toString('base64url')],
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      claimsParameter: { enabled: false },
      userinfo: { enabled: true },
      // RFC 7009: a client may revoke only its own tokens. A public client asking about another
      // client's token gets the usual 200 without effect; a confidential one gets invalid_request.
      // A JWT access token gets 200 without effect, as on Logto v1.37.1 (logto-answers.ts).
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      // RFC 7662: public clients learn only about their own tokens (else `active: false`).
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) =>
          client.clientAuthMethod !== 'none' || token.clientId === client.clientId,
      },
      clientCredentials: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      registration: dynamicClientRegistration
        ? // Open registration (RFC 7591 without an initial access token), public clients allowed.
          // No registration management endpoint, so no registration access token either.
          { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false }
        : { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) =>
          sendHtml(ctx, logoutConfirmPage(form, ctx.oidc.client?.clientName)),
        postLogoutSuccessSource: (ctx) =>
          sendHtml(ctx, logoutSuccessPage(ctx.oidc.client?.clientName)),
      },
      resourceIndicators: {
        enabled: true,
        // No default API resource: without `resource` the access token is opaque, usable only at
        // /me (userinfo), exactly as on a Logto tenant with no "default" API.
        defaultResource: () => undefined,
        // Logto: a resource granted at /auth is not reused implicitly at /token.
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, indicator) => {
          const resource = findApiResource(apiResources, indicator);
          // invalid_target "resource indicator is missing, or unknown" (RFC 8707 section 2).
          if (!resource) throw new errors.InvalidTarget();
          return {
            audience: resource.indicator,
            // Everything the resource defines; what a user actually gets is narrowed by the grant,
            // which holds only their roles' permissions (interactions.ts).
            scope: resource.scopes.map((scope) => scope.name).join(' '),
            accessTokenTTL: ttlOf(resource),
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    // PKCE (RFC 7636) for every client except client_secret_basic ones, as on Logto; oidc-provider
    // only implements S256, so `plain` is refused ("not supported value of code_challenge_method").
    pkce: { required: (_ctx, client) => client.clientAuthMethod !== 'client_secret_basic' },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const user = findUserById(sub);
      if (!user) return undefined;
      return { accountId: user.id, claims: () => ({ ...userClaims(user), sub: user.id }) };
    },
    clientBasedCORS,
    // Logto's JWT access tokens always carry `scope`, empty for a user whose roles give no
    // permission on the API; oidc-provider 9 leaves an empty one out.
    formats: {
      customizers: {
        jwt: (_ctx, token, jwt) => {
          if (token.kind === 'AccessToken') jwt.payload.scope ??= '';
        },
      },
    },
    renderError: renderErrorAsJson,
    // Refresh tokens need `offline_access`, which oidc-provider (like Logto) keeps only with
    // prompt=consent; public clients rotate them on every use (the default rotateRefreshToken).
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: 14 * DAY,
      Session: 14 * DAY,
      Grant: 14 * DAY,
    },
  };
}
