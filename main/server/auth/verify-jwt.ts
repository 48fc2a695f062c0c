import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import {
  fetchWithTimeout,
  FetchNetworkError,
  FetchTimeoutError,
} from '../../shared/fetch-with-timeout';
import { IssuerUnavailableError, TokenRejectedError } from './errors';
import type { IssuerMetadataSource } from './issuer-metadata';
import type { TokenVerifier, VerifiedAuthInfo } from './types';

/** Asymmetric only: a resource server never holds a secret it shares with the issuer; never `none`. */
export const ACCEPTED_JWT_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'Ed25519',
];

/** RFC 9068 §2.1 says at+jwt; plenty of issuers still send JWT or nothing. */
const ACCEPTED_TYP = new Set(['at+jwt', 'application/at+jwt', 'jwt', 'application/jwt']);

export interface JwtVerifierOptions {
  issuer: string;
  resource: string;
  clockToleranceSec: number;
  timeoutMs: number;
  metadata: IssuerMetadataSource;
  /** How soon an unknown kid may trigger another JWKS fetch (key rotation); default 1 s. */
  jwksCooldownMs?: number;
}

/**
 * RFC 9068 §2.2.3 / RFC 8693 §4.2: `scope` is one space-delimited string. Some issuers send `scp`
 * instead (a string, or an array of strings). Any other shape is refused rather than read as "no
 * scope": a claim we cannot read must never decide what a token may do.
 */
export function scopesFromClaims(payload: JWTPayload): string[] {
  if (payload.scope !== undefined) {
    if (typeof payload.scope !== 'string') {
      throw rejected("The token's scope claim is not a space-delimited string (RFC 9068 §2.2.3).");
    }
    return payload.scope.split(' ').filter(Boolean);
  }
  const scp = payload.scp;
  if (scp === undefined) return [];
  if (typeof scp === 'string') return scp.split(' ').filter(Boolean);
  if (Array.isArray(scp) && scp.every((s): s is string => typeof s === 'string')) {
    return scp.filter(Boolean);
  }
  throw rejected("The token's scp claim is neither a string nor a list of strings.");
}

function rejected(description: string): TokenRejectedError {
  return new TokenRejectedError(description, 'jwt');
}

/** Turns a jose failure into words that name what to fix, never the rejected token's own values. */
function mapJoseError(error: unknown, opts: JwtVerifierOptions): Error {
  if (error instanceof FetchTimeoutError || error instanceof FetchNetworkError) {
    return new IssuerUnavailableError(opts.issuer, error.message, 'jwt', { cause: error });
  }
  if (error instanceof errors.JWTExpired) return rejected('The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
      case 'iat':
        return rejected('The token is not valid yet (its nbf or iat is in the future).');
      case 'aud':
        return rejected(
          `The token was not issued for this resource; expected audience ${opts.resource}.`,
        );
      case 'iss':
        return rejected(`The token was not issued by ${opts.issuer}.`);
      case 'sub':
      case 'exp':
        return rejected(
          error.reason === 'missing'
            ? `The token lacks the required ${error.claim} claim.`
            : `The token's ${error.claim} claim is not valid.`,
        );
      default:
        return rejected(`The token's ${error.claim} claim is not acceptable.`);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return rejected("The token's signature does not verify against the issuer's keys.");
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return rejected('The token was signed with a key the issuer does not publish (unknown kid).');
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return rejected('The token names no usable key id and the issuer publishes several keys.');
  }
  if (
    error instanceof errors.JOSENotSupported &&
    /Extension Header Parameter/.test(error.message)
  ) {
    return rejected(
      'The token marks a header extension as critical (crit) that this server does not support.',
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return rejected(algorithmMessage());
  }
  if (error instanceof errors.JWKSTimeout) {
    return new IssuerUnavailableError(
      opts.issuer,
      `its JWKS did not answer within ${opts.timeoutMs / 1000} s`,
      'jwt',
      { cause: error },
    );
  }
  if (error instanceof errors.JWKSInvalid || error instanceof errors.JWKInvalid) {
    return new IssuerUnavailableError(opts.issuer, 'its JWKS is not a valid key set', 'jwt', {
      cause: error,
    });
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return rejected('The token is not a well-formed JWT.');
  }
  if (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC') {
    // fetchJwks: non-200 or non-JSON JWKS answer.
    return new IssuerUnavailableError(
      opts.issuer,
      `its JWKS could not be read (${error.message})`,
      'jwt',
      {
        cause: error,
      },
    );
  }
  return rejected('The token could not be verified.');
}

function algorithmMessage(): string {
  return `The token is not signed with an algorithm this server accepts (asymmetric only: ${ACCEPTED_JWT_ALGORITHMS.join(', ')}).`;
}

/**
 * JWT access tokens (RFC 9068): keys from the issuer's discovered jwks_uri, signature and claims
 * checked by jose. An unknown kid refetches the JWKS once per cooldown, which is how key rotation
 * reaches us without a restart.
 */
export function createJwtVerifier(
  opts: JwtVerifierOptions,
): TokenVerifier & { prefetchKeys(): Promise<void> } {
  let keySet: { uri: string; getKey: ReturnType<typeof createRemoteJWKSet> } | undefined;

  const keysFor = (uri: string) => {
    if (keySet?.uri !== uri) {
      const getKey = createRemoteJWKSet(new URL(uri), {
        timeoutDuration: opts.timeoutMs,
        cooldownDuration: opts.jwksCooldownMs ?? 1_000,
        cacheMaxAge: 10 * 60_000,
        // Every outbound call goes through fetchWithTimeout (clear errors naming the URL).
        [customFetch]: (url, init) => fetchWithTimeout(url, init, opts.timeoutMs),
      });
      keySet = { uri, getKey };
    }
    return keySet.getKey;
  };

  /** Fetches discovery and the JWKS now instead of on the first token (see McpApp.prefetchIssuerKeys). */
  const prefetchKeys = async () => {
    const metadata = await opts.metadata.get();
    if (metadata.jwks_uri) await keysFor(metadata.jwks_uri).reload();
  };

  const verify: TokenVerifier = async (token) => {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      throw rejected('The token is not a well-formed JWT.');
    }
    if (typeof header.alg !== 'string' || !ACCEPTED_JWT_ALGORITHMS.includes(header.alg)) {
      throw rejected(algorithmMessage());
    }
    if (header.typ !== undefined && !ACCEPTED_TYP.has(String(header.typ).toLowerCase())) {
      throw rejected('The token is not an access token (typ must be at+jwt or JWT).');
    }
    // Checked before any key lookup, so a token naming a foreign issuer never makes us fetch anything.
    if (unverified.iss !== opts.issuer)
      throw rejected(`The token was not issued by ${opts.issuer}.`);

    const metadata = await opts.metadata.get();
    if (!metadata.jwks_uri) {
      throw new IssuerUnavailableError(
        opts.issuer,
        'its discovery document has no jwks_uri, so JWT access tokens cannot be checked',
        'jwt',
      );
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keysFor(metadata.jwks_uri), {
        issuer: opts.issuer,
        audience: opts.resource,
        clockTolerance: opts.clockToleranceSec,
        algorithms: ACCEPTED_JWT_ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw mapJoseError(error, opts);
    }
    if (typeof payload.sub !== 'string' || !payload.sub) {
      throw rejected('The token lacks the required sub claim.');
    }
    // jose checks iat only against a maxTokenAge; a token issued in the future is forged or comes
    // from an issuer whose clock is wrong, and must not be honoured before its time either.
    if (
      typeof payload.iat === 'number' &&
      payload.iat > Date.now() / 1000 + opts.clockToleranceSec
    ) {
      throw rejected('The token is not valid yet (its nbf or iat is in the future).');
    }
    const clientId = payload.client_id ?? payload.azp;
    const info: VerifiedAuthInfo = {
      token,
      issuer: opts.issuer,
      subject: payload.sub,
      clientId: typeof clientId === 'string' ? clientId : '',
      scopes: scopesFromClaims(payload),
      claims: { ...payload },
      extra: { verifiedBy: 'jwt', cached: false },
      ...(payload.aud !== undefined ? { audience: payload.aud } : {}),
      ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
    };
    return info;
  };
  return Object.assign(verify, { prefetchKeys });
}
