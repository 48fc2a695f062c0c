/**
 * Every OAuth error code this app explains, in one place: what the issuer means, what to change
 * (in Logto Console terms) and where the spec defines it. The redirect receiver shows the
 * context-free wording on the browser page after an error redirect; the engine words the same
 * entry with what it knows (the client ID, the redirect URI, the resource) via `explain`.
 * Logto's own descriptions are in docs/logto.md.
 */
import { loopbackUrl, uriToRegister } from './redirect/uri-to-register';

/** What the engine knows when it words an error for this sign-in. */
export interface OAuthErrorContext {
  clientId?: string;
  redirectUri?: string;
  resource?: string;
  issuer?: string;
  scope?: string;
  /** The scope(s) the issuer named as refused (Logto's `scope` parameter next to invalid_scope). */
  refusedScope?: string;
  /** The MCP server's own resource indicator (its protected resource metadata). */
  serverResource?: string;
  /** The profile's fixed loopback redirect port, if it has one. */
  fixedRedirectPort?: number;
}

export interface Explained {
  message: string;
  fix: string;
}

export interface OAuthErrorEntry {
  code: OAuthErrorCode;
  /** A short heading (the browser page after an error redirect). */
  title: string;
  /** What the issuer means, in plain words. */
  cause: string;
  /** What to change, without knowing the sign-in (the browser page). */
  fix: string;
  specRef: string;
  /**
   * The same error worded with what the engine knows; `said` is the issuer's own description,
   * ready to append. Without it, an engine error reads "The issuer answered <code>".
   */
  explain?: (ctx: OAuthErrorContext, said: string, description: string) => Explained;
}

export const OAUTH_ERROR = {
  accessDenied: 'access_denied',
  invalidRequest: 'invalid_request',
  unauthorizedClient: 'unauthorized_client',
  unsupportedResponseType: 'unsupported_response_type',
  invalidScope: 'invalid_scope',
  serverError: 'server_error',
  temporarilyUnavailable: 'temporarily_unavailable',
  invalidTarget: 'invalid_target',
  invalidClient: 'invalid_client',
  invalidRedirectUri: 'invalid_redirect_uri',
  invalidGrant: 'invalid_grant',
  loginRequired: 'login_required',
  consentRequired: 'consent_required',
  interactionRequired: 'interaction_required',
  accountSelectionRequired: 'account_selection_required',
} as const;

export type OAuthErrorCode = (typeof OAUTH_ERROR)[keyof typeof OAUTH_ERROR];

const NEEDS_INTERACTION =
  'Clear "none" from the profile\'s prompt so the issuer can show its sign-in and consent pages, then sign in again.';

const needsInteraction = (said: string, code: string): Explained => ({
  message: `The issuer needs the user to act (${code})${said}, but prompt=none forbids it.`,
  fix: 'Remove prompt=none from the profile.',
});

const ENTRIES: OAuthErrorEntry[] = [
  {
    code: 'access_denied',
    title: 'The sign-in was denied',
    cause: 'the user or the issuer refused the request',
    fix: "Sign in again and approve the request; if it keeps happening, check the user's roles and the application's permissions in Logto Console.",
    specRef: 'RFC 6749 §4.1.2.1',
    explain: (_ctx, said) => ({
      message: `The sign-in was denied${said}.`,
      fix: 'Sign in again and choose Allow on the consent screen, or ask an admin for the permission.',
    }),
  },
  {
    code: 'invalid_request',
    title: 'The issuer rejected the sign-in request',
    cause: 'a parameter is missing, invalid or repeated',
    fix: "Check the profile's extra parameters, scopes and resource; the trace shows the exact request.",
    specRef: 'RFC 6749 §4.1.2.1, §5.2',
    explain: (_ctx, said, description) => ({
      message: `The issuer says the request is malformed${said}.`,
      fix: /pkce|code_challenge/i.test(description)
        ? 'The issuer requires PKCE S256 for this client.'
        : /origin/i.test(description)
          ? 'Token calls from a browser origin are allowed only for SPA apps whose redirect URI has that origin.'
          : 'Check the extra parameters and the prompt value of the profile.',
    }),
  },
  {
    code: 'unauthorized_client',
    title: 'This application may not sign in this way',
    cause: 'the client is not allowed to use the authorization code flow',
    fix: 'In Logto Console, check the application type (a desktop app is a Native app) and that the profile has its App ID.',
    specRef: 'RFC 6749 §4.1.2.1, §5.2',
    explain: (ctx, said) => ({
      message: `The client ${ctx.clientId ?? ''} may not use this grant${said}.`,
      fix: 'Use a Native or SPA app for sign-in with PKCE; machine-to-machine apps cannot sign users in.',
    }),
  },
  {
    code: 'unsupported_response_type',
    title: 'The issuer does not support this kind of sign-in',
    cause: 'it does not accept response_type=code',
    fix: "Check the profile's issuer: it should be an OAuth/OpenID authorization server such as https://your-tenant.logto.app/oidc.",
    specRef: 'RFC 6749 §4.1.2.1',
  },
  {
    code: 'invalid_scope',
    title: 'The issuer rejected the requested scopes',
    cause: 'a requested scope is unknown or not allowed',
    fix: 'Remove scopes the issuer does not list in scopes_supported from the profile, or grant them to the application in Logto Console.',
    specRef: 'RFC 6749 §4.1.2.1, §5.2',
    explain: (ctx, said) =>
      ctx.refusedScope
        ? {
            message: `The issuer refuses the scope ${ctx.refusedScope} for client ${ctx.clientId ?? ''}${said}, before anyone signed in.`,
            fix: `A third-party Logto app may ask only for the scopes enabled in its permissions: in Logto Console → Applications → ${ctx.clientId ?? 'the app'} → Permissions, add ${ctx.refusedScope} (user data or API permissions), or remove ${ctx.refusedScope} from the profile's scopes.`,
          }
        : {
            message: `The issuer refuses the requested scopes ${ctx.scope ?? ''}${said}.`,
            fix: 'Remove scopes the issuer does not support, or add the permission to the API resource and a role that grants it.',
          },
  },
  {
    code: 'server_error',
    title: 'The issuer had an internal error',
    cause: 'something went wrong on the issuer',
    fix: "Try again; if it persists, look at the issuer's logs.",
    specRef: 'RFC 6749 §4.1.2.1',
  },
  {
    code: 'temporarily_unavailable',
    title: 'The issuer is temporarily unavailable',
    cause: 'it is overloaded or under maintenance',
    fix: 'Wait a moment, then sign in again.',
    specRef: 'RFC 6749 §4.1.2.1',
  },
  {
    code: 'invalid_target',
    title: 'The issuer does not know the requested resource',
    cause: 'the resource indicator is missing or unknown (RFC 8707)',
    fix: "Create an API resource in Logto Console whose indicator is the MCP server's URL (e.g. http://localhost:3001/), or set the profile's resource to an indicator that exists.",
    specRef: 'RFC 8707 §2',
    explain: (ctx, said) => ({
      message: `The issuer does not know the resource indicator ${ctx.resource ?? ''}${said}.`,
      fix:
        ctx.serverResource && ctx.serverResource !== ctx.resource
          ? `The MCP server's own resource indicator is ${ctx.serverResource}: set the profile's Resource to automatic (or to exactly ${ctx.serverResource}), and make sure Logto Console → API resources has an API whose identifier is exactly ${ctx.serverResource} (trailing slash included).`
          : `Create an API resource in Logto (Console → API resources) whose identifier is exactly ${ctx.resource ?? ''} (trailing slash included), or set the profile's resource to "none" to get an opaque token checked at userinfo.`,
    }),
  },
  {
    code: 'invalid_client',
    title: 'The issuer does not know this application',
    cause: 'the client ID is unknown or not allowed',
    fix: "Copy the App ID from Logto Console › Applications into the profile's client ID.",
    specRef: 'RFC 6749 §5.2',
    explain: (ctx, said) => ({
      message: `The issuer does not know the client ID ${ctx.clientId ?? ''}${said}.`,
      fix: `Copy the App ID of your Logto app (Console → Applications → your app) into Client ID. For a desktop app, create a Native app and register the redirect URI ${ctx.redirectUri ? uriToRegister(ctx.redirectUri, ctx.fixedRedirectPort) : 'this app shows'}.`,
    }),
  },
  {
    code: 'invalid_redirect_uri',
    title: 'The issuer refuses the redirect URI',
    cause: 'the redirect URI is not registered for this application',
    fix: 'In Logto Console → Applications → your app → Redirect URIs, add the redirect URI this app showed, and save.',
    specRef: 'RFC 6749 §3.1.2.4; RFC 8252 §7.3',
    explain: (ctx, said) => ({
      message: `The issuer refuses the redirect URI ${ctx.redirectUri ?? ''}: it is not registered for client ${ctx.clientId ?? ''}${said}.`,
      fix: redirectUriFix(ctx.redirectUri, ctx.clientId, ctx.fixedRedirectPort),
    }),
  },
  {
    code: 'invalid_grant',
    title: 'The issuer rejects the grant',
    cause: 'the code or refresh token is used, expired, revoked or for another client',
    fix: 'Sign in again.',
    specRef: 'RFC 6749 §5.2',
    explain: (_ctx, said) => ({
      message: `The issuer rejects the grant${said}: the code was already used, expired, or issued for another redirect URI or PKCE verifier; or the refresh token was revoked.`,
      fix: 'Sign in again.',
    }),
  },
  {
    code: 'login_required',
    title: 'You need to sign in',
    cause: 'prompt=none was requested but there is no sign-in session',
    fix: NEEDS_INTERACTION,
    specRef: 'OpenID Connect Core §3.1.2.6',
    explain: (_ctx, said) => needsInteraction(said, 'login_required'),
  },
  {
    code: 'consent_required',
    title: 'Consent is needed',
    cause: 'prompt=none was requested but the user has not consented yet',
    fix: NEEDS_INTERACTION,
    specRef: 'OpenID Connect Core §3.1.2.6',
    explain: (_ctx, said) => needsInteraction(said, 'consent_required'),
  },
  {
    code: 'interaction_required',
    title: 'The issuer needs you to interact',
    cause: 'prompt=none was requested but the issuer must show a page',
    fix: NEEDS_INTERACTION,
    specRef: 'OpenID Connect Core §3.1.2.6',
    explain: (_ctx, said) => needsInteraction(said, 'interaction_required'),
  },
  {
    code: 'account_selection_required',
    title: 'Choose an account',
    cause: 'prompt=none was requested but the issuer must ask which account to use',
    fix: NEEDS_INTERACTION,
    specRef: 'OpenID Connect Core §3.1.2.6',
  },
];

/** The catalogue, by code. */
export const OAUTH_ERRORS: ReadonlyMap<string, OAuthErrorEntry> = new Map(
  ENTRIES.map((entry) => [entry.code, entry]),
);

/** The entry for an issuer's error code; undefined for a code this app does not know. */
export function oauthErrorEntry(code: string): OAuthErrorEntry | undefined {
  return OAUTH_ERRORS.get(code);
}

/**
 * RFC 8252 §7.3 loopback redirect URIs. A Logto Native app matches a registered portless
 * http://127.0.0.1/callback on any port (docs/logto.md), so that is the one to register: the port
 * this app listens on changes at every launch and must never be advised. SPA and Traditional web
 * apps match exactly: there a fixed port is the only URI that stays valid.
 */
export function redirectUriFix(
  redirectUri: string | undefined,
  clientId: string | undefined,
  fixedPort: number | undefined,
): string {
  const app = `Logto Console → Applications → ${clientId ?? 'your app'} → Redirect URIs`;
  const url = loopbackUrl(redirectUri);
  if (!url) {
    return `In ${app}, add exactly ${redirectUri ?? 'the redirect URI'} and save (a desktop app should be a Native app).`;
  }
  const portless = uriToRegister(url.href);
  if (fixedPort !== undefined) {
    return `In ${app}, add exactly ${url.protocol}//${url.hostname}:${fixedPort}${url.pathname} (this profile's fixed redirect port) and save. On a Native app the portless ${portless} covers every port.`;
  }
  return (
    `If it is a Native app: in ${app}, add ${portless} (no port: Logto matches a Native app's loopback URI on any port) and save. ` +
    `If it is an SPA or a Traditional web app (exact match only): use a Native app for a desktop client, or set a fixed redirect port in the profile (Profile settings → Redirect port) and register http://${url.hostname}:<that port>${url.pathname}; this app's own port changes at every launch.`
  );
}
