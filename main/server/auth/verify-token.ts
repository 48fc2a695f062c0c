import type { VerificationMode } from '../config';
import type { VerifiedBy } from '../events';
import { IssuerUnavailableError, TokenRejectedError } from './errors';
import type { TokenVerifier } from './types';

/**
 * A JWT per RFC 7519 §7.2: three base64url segments whose first decodes to a JSON object naming
 * an alg. Logto's opaque tokens are 43 characters with no dots, so they never look like this.
 */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) return false;
  const [headerPart, payloadPart] = parts as [string, string, string];
  if (!headerPart || !payloadPart) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    return (
      typeof header === 'object' &&
      header !== null &&
      !Array.isArray(header) &&
      typeof (header as { alg?: unknown }).alg === 'string'
    );
  } catch {
    return false;
  }
}

/** Picks the check for each token: the configured mode, or by shape in 'auto'. */
export function createTokenVerifier(
  mode: VerificationMode,
  verifiers: { jwt: TokenVerifier; userinfo: TokenVerifier },
): TokenVerifier {
  // Discovery failures are raised before a verifier knows its name; label them for the trace.
  const run = async (method: VerifiedBy, token: string) => {
    try {
      return await verifiers[method](token);
    } catch (error) {
      if (error instanceof IssuerUnavailableError && error.method === null) {
        throw new IssuerUnavailableError(error.issuer, error.detail, method, { cause: error });
      }
      throw error;
    }
  };
  return async (token) => {
    switch (mode) {
      case 'jwt':
        if (!looksLikeJwt(token)) {
          throw new TokenRejectedError(
            'This server accepts only JWT access tokens; the token is not a JWT (request it with a resource indicator).',
            'jwt',
          );
        }
        return run('jwt', token);
      case 'userinfo':
        return run('userinfo', token);
      case 'auto':
        return run(looksLikeJwt(token) ? 'jwt' : 'userinfo', token);
    }
  };
}
