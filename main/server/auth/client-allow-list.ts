import { TokenRejectedError } from './errors';
import { fetchFromIssuer } from './issuer-fetch';
import type { IssuerMetadataSource } from './issuer-metadata';
import type { TokenVerifier, VerifiedAuthInfo } from './types';

export interface ClientAllowListOptions {
  /** Empty: every client of the issuer is accepted, and nothing is asked. */
  allowedClientIds: string[];
  issuer: string;
  timeoutMs: number;
  metadata: IssuerMetadataSource;
}

const list = (ids: string[]) => ids.join(', ');

/**
 * Binds tokens to the clients this server is meant for. A JWT names its client (`client_id`,
 * RFC 9068 §2.2). An opaque token says nothing, and userinfo does not tell: we ask the issuer's
 * introspection endpoint (RFC 7662) as each allowed client in turn, with only its client_id
 * (a public client, as Logto and the sandbox allow for a client's own tokens). An issuer answers
 * `active: true` only to the client the token was issued to, so a token of any other client,
 * a third-party app included, is refused.
 */
export function withClientAllowList(
  verify: TokenVerifier,
  opts: ClientAllowListOptions,
): TokenVerifier {
  if (opts.allowedClientIds.length === 0) return verify;
  const allowed = new Set(opts.allowedClientIds);

  const refuse = (description: string, info: VerifiedAuthInfo): never => {
    throw new TokenRejectedError(description, info.extra.verifiedBy);
  };

  const introspectAs = async (
    endpoint: string,
    clientId: string,
    token: string,
  ): Promise<Record<string, unknown>> => {
    const response = await fetchFromIssuer(
      opts.issuer,
      endpoint,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, client_id: clientId }).toString(),
      },
      opts.timeoutMs,
      'userinfo',
    );
    const body = (await response.json().catch(() => undefined)) as
      Record<string, unknown> | undefined;
    if (!response.ok || !body || typeof body !== 'object') {
      // The issuer will not let this client introspect (it wants client authentication): the
      // allow-list cannot be checked for opaque tokens, and an unchecked token is not let in.
      throw new TokenRejectedError(
        `This server accepts opaque tokens only from the clients ${list(opts.allowedClientIds)}, and the issuer's introspection endpoint would not tell which client holds this one (HTTP ${response.status} for ${clientId}). Ask for a JWT access token (set the resource indicator) instead.`,
        'userinfo',
      );
    }
    return body;
  };

  return async (token) => {
    const info = await verify(token);
    if (info.extra.verifiedBy === 'jwt') {
      if (!allowed.has(info.clientId)) {
        refuse(
          `The token was issued to the client ${info.clientId || '(none named)'}; this server accepts tokens only from ${list(opts.allowedClientIds)}.`,
          info,
        );
      }
      return info;
    }
    const { introspection_endpoint: endpoint } = await opts.metadata.get();
    if (!endpoint) {
      refuse(
        `This server accepts opaque tokens only from the clients ${list(opts.allowedClientIds)}, but the issuer has no introspection endpoint to tell which client holds a token. Ask for a JWT access token (set the resource indicator) instead.`,
        info,
      );
    }
    for (const clientId of opts.allowedClientIds) {
      const answer = await introspectAs(endpoint as string, clientId, token);
      if (answer.active === true && answer.client_id === clientId) {
        const scope = typeof answer.scope === 'string' ? answer.scope.split(' ') : [];
        return {
          ...info,
          clientId,
          scopes: scope.filter(Boolean),
          ...(typeof answer.exp === 'number' ? { expiresAt: answer.exp } : {}),
        };
      }
    }
    return refuse(
      `The token was not issued to a client this server accepts (${list(opts.allowedClientIds)}): the issuer's introspection endpoint does not know it as a token of any of them.`,
      info,
    );
  };
}
