import {
  fetchWithTimeout,
  FetchNetworkError,
  FetchTimeoutError,
} from '../../shared/fetch-with-timeout';
import type { VerifiedBy } from '../events';
import { IssuerUnavailableError } from './errors';

/**
 * A call to the trusted issuer (userinfo, introspection): bounded by the deadline, and a failure
 * to get any answer becomes IssuerUnavailableError (a 503, the token is not called invalid).
 */
export async function fetchFromIssuer(
  issuer: string,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  method: VerifiedBy,
): Promise<Response> {
  try {
    return await fetchWithTimeout(url, init, timeoutMs);
  } catch (error) {
    const detail =
      error instanceof FetchTimeoutError || error instanceof FetchNetworkError
        ? error.message
        : String(error);
    throw new IssuerUnavailableError(issuer, detail, method, { cause: error });
  }
}
