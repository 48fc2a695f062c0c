import type { KoaContextWithOIDC } from 'oidc-provider';

type ProviderMiddleware = (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => Promise<void>;

function isUnsupportedTokenType(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { error?: unknown }).error === 'unsupported_token_type'
  );
}

/**
 * A JWT access token presented to revocation or introspection. oidc-provider 9 refuses it
 * (`unsupported_token_type`); Logto v1.37.1 answers the revocation with 200 and an empty body
 * (the JWT stays verifiable by its signature until it expires) and the introspection with
 * `{"active": false}` (docs/logto.md). The sandbox answers as the tenant does, so a client that
 * works here works there. Client authentication has already passed by then: a request without
 * `client_id` still gets invalid_request, as on Logto.
 */
export function jwtAccessTokensLikeLogto(): ProviderMiddleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 400 || !isUnsupportedTokenType(ctx.body)) return;
    if (ctx.oidc?.route === 'revocation') {
      // RFC 7009 section 2.2: 200 whatever became of the token.
      ctx.status = 200;
      ctx.body = '';
      ctx.type = 'text/plain';
    } else if (ctx.oidc?.route === 'introspection') {
      // RFC 7662 section 2.2: a token the server will not describe is simply not active.
      ctx.status = 200;
      ctx.body = { active: false };
    }
  };
}
