import type { KoaContextWithOIDC } from 'oidc-provider';

type ProviderMiddleware = (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => Promise<void>;

function errorOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null
    ? (body as { error?: unknown }).error
    : undefined;
}

/**
 * Where oidc-provider 9 answers differently from the older one inside Logto v1.37.1, the sandbox
 * answers as the tenant does (docs/logto.md), so a client that works here works there:
 * - a JWT access token at revocation: 200 and an empty body (it stays verifiable by its signature
 *   until it expires); at introspection: `{"active": false}`. oidc-provider 9 says
 *   unsupported_token_type. Client authentication has passed by then: a request without
 *   `client_id` still gets invalid_request, as on Logto.
 * - userinfo without an access token: 400 invalid_request "no access token provided" (RFC 6750
 *   section 3.1), where oidc-provider 9 answers 401 invalid_token.
 */
export function answersLikeLogto(): ProviderMiddleware {
  return async (ctx, next) => {
    await next();
    const error = errorOf(ctx.body);
    if (error === 'unsupported_token_type' && ctx.oidc?.route === 'revocation') {
      // RFC 7009 section 2.2: 200 whatever became of the token.
      ctx.status = 200;
      ctx.body = '';
      ctx.type = 'text/plain';
    } else if (error === 'unsupported_token_type' && ctx.oidc?.route === 'introspection') {
      // RFC 7662 section 2.2: a token the server will not describe is simply not active.
      ctx.status = 200;
      ctx.body = { active: false };
    } else if (
      error === 'invalid_token' &&
      ctx.oidc?.route === 'userinfo' &&
      (ctx.body as { error_description?: unknown }).error_description === 'no access token provided'
    ) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'no access token provided' };
    }
  };
}
