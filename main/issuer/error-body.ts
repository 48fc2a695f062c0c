import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';

/**
 * Logto answers every OIDC error as JSON, HTTP 400 (or the error's own status) even when a browser
 * asked for HTML, with its own `code` and `message` beside RFC 6749's `error` and
 * `error_description` (docs/logto.md "Error bodies"). The sandbox does the same, so a user
 * sees on their tenant exactly what they saw here.
 */
export interface LogtoErrorBody {
  error: string;
  error_description: string;
  /** Logto's error code, e.g. `oidc.invalid_redirect_uri`. */
  code: string;
  /** Logto's own wording of the error (its i18n phrase), not the RFC description. */
  message: string;
  /** Whatever else the error carries: the refused `scope` of invalid_scope, `state` and `iss`. */
  [extra: string]: unknown;
}

type ErrorLike = { error: string; error_description?: string | undefined } & Record<
  string,
  unknown
>;

function isErrorLike(body: unknown): body is ErrorLike {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { error?: unknown }).error === 'string' &&
    !('code' in body)
  );
}

/**
 * Logto v1.37.1's `message` per OIDC error, as measured; any other error gets Logto's fallback
 * phrase. `invalid_scope` really does carry the unfilled `{{error_description}}` placeholder.
 */
const LOGTO_MESSAGES: Record<string, string> = {
  invalid_grant: 'Grant request is invalid.',
  invalid_redirect_uri:
    "`redirect_uri` did not match any of the client's registered `redirect_uris`.",
  invalid_request: 'Request is invalid.',
  invalid_scope: 'Invalid scope: {{error_description}}.',
  invalid_token: 'Invalid token provided.',
};

export function toLogtoErrorBody(out: ErrorLike): LogtoErrorBody {
  const { error, error_description, ...extra } = out;
  return {
    code: `oidc.${error}`,
    message: LOGTO_MESSAGES[error] ?? `An OIDC error occurred: oidc.${error}.`,
    error,
    error_description: error_description ?? error,
    ...extra,
  };
}

/**
 * oidc-provider calls renderError when the error cannot go back to the client's redirect_uri
 * (unknown client, unregistered redirect URI) and the user agent prefers HTML. Logto, and the
 * sandbox, answer with the JSON body instead of an HTML error page; the error's status (400) stays.
 */
export const renderErrorAsJson: NonNullable<Configuration['renderError']> = (ctx, out) => {
  ctx.type = 'application/json';
  ctx.body = toLogtoErrorBody({ ...out });
};

type ProviderMiddleware = (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => Promise<void>;

/**
 * Runs around every provider route: gives JSON error bodies Logto's shape, and answers unknown
 * paths under /oidc (for instance `/oidc/.well-known/oauth-authorization-server`, which Logto
 * v1.37 does not serve, or `/oidc/reg` without dynamic registration) with a small JSON 404.
 */
export function logtoErrorBodies(): ProviderMiddleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status >= 400 && isErrorLike(ctx.body)) {
      ctx.body = toLogtoErrorBody(ctx.body);
    } else if (ctx.status === 404 && (ctx.body === undefined || ctx.body === null)) {
      ctx.status = 404;
      // The path below the /oidc mount, as Logto names it.
      ctx.body = notFoundBody(ctx.method, ctx.path);
    }
  };
}

/** Logto's answer to a path it does not serve under /oidc (HTTP 404). */
export function notFoundBody(method: string, path: string): LogtoErrorBody {
  return toLogtoErrorBody({
    error: 'invalid_request',
    error_description: `unrecognized route or not allowed method (${method} on ${path})`,
  });
}
