/**
 * An OAuth error answer, explained in the issuer's terms: what it means for this app and what to
 * change. Logto's descriptions are in docs/logto.md; others get the RFC 6749 §4.1.2.1 / §5.2 meaning.
 */

import { FlowStepError } from './notes';

export interface OAuthErrorAnswer {
  error: string;
  error_description?: string;
}

export interface Explained {
  message: string;
  fix: string;
}

export function explainOAuthError(
  answer: OAuthErrorAnswer,
  ctx: {
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
  },
): Explained {
  const said = answer.error_description ? ` (“${answer.error_description}”)` : '';
  switch (answer.error) {
    case 'invalid_client':
      return {
        message: `The issuer does not know the client ID ${ctx.clientId ?? ''}${said}.`,
        fix: `Copy the App ID of your Logto app (Console → Applications → your app) into Client ID. For a desktop app, create a Native app and register the redirect URI ${ctx.redirectUri ?? ''}.`,
      };
    case 'invalid_redirect_uri':
      return {
        message: `The issuer refuses the redirect URI ${ctx.redirectUri ?? ''}: it is not registered for client ${ctx.clientId ?? ''}${said}.`,
        fix: redirectUriFix(ctx.redirectUri, ctx.clientId, ctx.fixedRedirectPort),
      };
    case 'invalid_target':
      return {
        message: `The issuer does not know the resource indicator ${ctx.resource ?? ''}${said}.`,
        fix:
          ctx.serverResource && ctx.serverResource !== ctx.resource
            ? `The MCP server's own resource indicator is ${ctx.serverResource}: set the profile's Resource to automatic (or to exactly ${ctx.serverResource}), and make sure Logto Console → API resources has an API whose identifier is exactly ${ctx.serverResource} (trailing slash included).`
            : `Create an API resource in Logto (Console → API resources) whose identifier is exactly ${ctx.resource ?? ''} (trailing slash included), or set the profile's resource to "none" to get an opaque token checked at userinfo.`,
      };
    case 'invalid_scope':
      if (ctx.refusedScope) {
        return {
          message: `The issuer refuses the scope ${ctx.refusedScope} for client ${ctx.clientId ?? ''}${said}, before anyone signed in.`,
          fix: `A third-party Logto app may ask only for the scopes enabled in its permissions: in Logto Console → Applications → ${ctx.clientId ?? 'the app'} → Permissions, add ${ctx.refusedScope} (user data or API permissions), or remove ${ctx.refusedScope} from the profile's scopes.`,
        };
      }
      return {
        message: `The issuer refuses the requested scopes ${ctx.scope ?? ''}${said}.`,
        fix: 'Remove scopes the issuer does not support, or add the permission to the API resource and a role that grants it.',
      };
    case 'unauthorized_client':
      return {
        message: `The client ${ctx.clientId ?? ''} may not use this grant${said}.`,
        fix: 'Use a Native or SPA app for sign-in with PKCE; machine-to-machine apps cannot sign users in.',
      };
    case 'access_denied':
      return {
        message: `The sign-in was denied${said}.`,
        fix: 'Sign in again and choose Allow on the consent screen, or ask an admin for the permission.',
      };
    case 'invalid_request':
      return {
        message: `The issuer says the request is malformed${said}.`,
        fix: /pkce|code_challenge/i.test(answer.error_description ?? '')
          ? 'The issuer requires PKCE S256 for this client.'
          : /origin/i.test(answer.error_description ?? '')
            ? 'Token calls from a browser origin are allowed only for SPA apps whose redirect URI has that origin.'
            : 'Check the extra parameters and the prompt value of the profile.',
      };
    case 'invalid_grant':
      return {
        message: `The issuer rejects the grant${said}: the code was already used, expired, or issued for another redirect URI or PKCE verifier; or the refresh token was revoked.`,
        fix: 'Sign in again.',
      };
    case 'login_required':
    case 'consent_required':
    case 'interaction_required':
      return {
        message: `The issuer needs the user to act (${answer.error})${said}, but prompt=none forbids it.`,
        fix: 'Remove prompt=none from the profile.',
      };
    default:
      return {
        message: `The issuer answered ${answer.error}${said}.`,
        fix: 'See the exchange in the trace for the full answer.',
      };
  }
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
  const url = redirectUri ? URL.parse(redirectUri) : null;
  const loopback =
    url?.protocol === 'http:' && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname);
  if (!url || !loopback) {
    return `In ${app}, add exactly ${redirectUri ?? 'the redirect URI'} and save (a desktop app should be a Native app).`;
  }
  const portless = `${url.protocol}//${url.hostname}${url.pathname}`;
  if (fixedPort !== undefined) {
    return `In ${app}, add exactly ${url.protocol}//${url.hostname}:${fixedPort}${url.pathname} (this profile's fixed redirect port) and save. On a Native app the portless ${portless} covers every port.`;
  }
  return (
    `If it is a Native app: in ${app}, add ${portless} (no port: Logto matches a Native app's loopback URI on any port) and save. ` +
    `If it is an SPA or a Traditional web app (exact match only): use a Native app for a desktop client, or set a fixed redirect port in the profile (Profile settings → Redirect port) and register http://${url.hostname}:<that port>${url.pathname}; this app's own port changes at every launch.`
  );
}

/**
 * The issuer failed rather than refused: it could not be reached, did not answer in time, or
 * answered 5xx or something that is not an OAuth answer. Says which endpoint and what happened;
 * undefined for a genuine OAuth refusal (invalid_grant...), which explainOAuthError words.
 */
export function explainIssuerFailure(endpoint: string, error: unknown): FlowStepError | undefined {
  const code = (error as { errorCode?: unknown } | undefined)?.errorCode;
  if (code !== undefined && code !== 'server_error' && code !== 'temporarily_unavailable') {
    return undefined;
  }
  const message = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  const status = /^HTTP (\d{3}): /.exec(message)?.[1];
  const cause =
    status !== undefined
      ? `it answered HTTP ${status}, which is not an OAuth answer`
      : code !== undefined
        ? `it answered ${String(code)}${message ? ` (“${message}”)` : ''}`
        : message;
  return new FlowStepError(
    `The request to ${endpoint} failed: ${cause}.`,
    'The issuer is down, slow or failing, not refusing: try again once it answers (the trace shows the exchange).',
    typeof code === 'string' ? code : 'issuer_unavailable',
    { cause: error },
  );
}

/** A failed code or refresh exchange: the issuer failing (down, 5xx) told apart from refusing. */
export function explainTokenFailure(
  error: unknown,
  endpoint: string,
  ctx: { clientId: string; redirectUri?: string },
): FlowStepError {
  const failure = explainIssuerFailure(endpoint, error);
  if (failure) return failure;
  const code = (error as { errorCode?: string }).errorCode;
  if (!code) {
    return error instanceof FlowStepError
      ? error
      : new FlowStepError((error as Error).message, undefined, undefined, { cause: error });
  }
  const explained = explainOAuthError(
    { error: code, error_description: (error as Error).message },
    ctx,
  );
  return new FlowStepError(explained.message, explained.fix, code, { cause: error });
}
