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
  message: string;
}

interface ErrorLike {
  error: string;
  error_description?: string | undefined;
}

function isErrorLike(body: unknown): body is ErrorLike {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { error?: unknown }).error === 'string' &&
    !('code' in body)
  );
}

export function toLogtoErrorBody(out: ErrorLike): LogtoErrorBody {
  const description = out.error_description ?? out.error;
  return {
    error: out.error,
    error_description: description,
    code: `oidc.${out.error}`,
    message: description,
  };
}

/**
 * oidc-provider calls renderError when the error cannot go back to the client's redirect_uri
 * (unknown client, unregistered redirect URI) and the user agent prefers HTML. Logto, and the
 * sandbox, answer with the JSON body instead of an HTML error page; the error's status (400) stays.
 */
export const renderErrorAsJson: NonNullable<Configuration['renderError']> = (ctx, out) => {
  ctx.type = 'application/json';
  ctx.body = toLogtoErrorBody(out);
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
      // Mounted under /oidc by express: the original URL still has the mount path.
      const original = (ctx.req as { originalUrl?: string }).originalUrl ?? ctx.url;
      ctx.body = notFoundBody(ctx.method, new URL(original, 'http://issuer.invalid').pathname);
    }
  };
}

export function notFoundBody(method: string, path: string): LogtoErrorBody {
  return toLogtoErrorBody({
    error: 'not_found',
    error_description: `${method} ${path} does not exist on the sandbox issuer.`,
  });
}
