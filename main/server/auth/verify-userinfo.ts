import { IssuerUnavailableError, TokenRejectedError } from './errors';
import { fetchFromIssuer } from './issuer-fetch';
import type { IssuerMetadataSource } from './issuer-metadata';
import type { TokenVerifier, VerifiedAuthInfo } from './types';

export interface UserinfoVerifierOptions {
  issuer: string;
  timeoutMs: number;
  metadata: IssuerMetadataSource;
}

/**
 * Opaque access tokens, checked the way the Logto and mcp-auth tutorials do: call the issuer's
 * userinfo endpoint (OIDC Core §5.3) with the token. Every call asks the issuer; the server puts
 * withVerificationCache in front so a burst of calls costs one request.
 */
export function createUserinfoVerifier(opts: UserinfoVerifierOptions): TokenVerifier {
  return async (token: string): Promise<VerifiedAuthInfo> => {
    const metadata = await opts.metadata.get();
    const endpoint = metadata.userinfo_endpoint;
    if (!endpoint) {
      throw new IssuerUnavailableError(
        opts.issuer,
        'its discovery document has no userinfo_endpoint, so opaque tokens cannot be checked (ask for a JWT access token with a resource indicator)',
        'userinfo',
      );
    }
    const response = await fetchFromIssuer(
      opts.issuer,
      endpoint,
      { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
      opts.timeoutMs,
      'userinfo',
    );
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new TokenRejectedError(
        "The issuer's userinfo endpoint rejected the token (expired, revoked, or a JWT access token, which Logto's userinfo does not accept).",
        'userinfo',
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new IssuerUnavailableError(
        opts.issuer,
        `its userinfo endpoint ${endpoint} answered HTTP ${response.status}`,
        'userinfo',
      );
    }
    let claims: Record<string, unknown>;
    try {
      claims = (await response.json()) as Record<string, unknown>;
    } catch {
      throw new IssuerUnavailableError(
        opts.issuer,
        `its userinfo endpoint ${endpoint} did not answer JSON`,
        'userinfo',
      );
    }
    if (
      typeof claims !== 'object' ||
      claims === null ||
      typeof claims.sub !== 'string' ||
      !claims.sub
    ) {
      throw new IssuerUnavailableError(
        opts.issuer,
        `its userinfo endpoint ${endpoint} answered without a sub claim`,
        'userinfo',
      );
    }
    return {
      token,
      issuer: opts.issuer,
      subject: claims.sub,
      // userinfo says who the user is, not which client holds the token nor what it may do.
      clientId: '',
      scopes: [],
      claims,
      extra: { verifiedBy: 'userinfo', cached: false },
    };
  };
}
