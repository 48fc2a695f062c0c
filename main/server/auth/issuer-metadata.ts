import {
  fetchWithTimeout,
  FetchNetworkError,
  FetchTimeoutError,
} from '../../shared/fetch-with-timeout';
import { IssuerUnavailableError } from './errors';

/** The fields of an OIDC Discovery / RFC 8414 document this server uses. */
export interface IssuerMetadata {
  issuer: string;
  jwks_uri?: string;
  userinfo_endpoint?: string;
  /** RFC 7662; used to learn which client holds an opaque token (the client allow-list). */
  introspection_endpoint?: string;
  /** Where the document was found. */
  source: string;
}

/**
 * Where to look, in order: OIDC Discovery §4 (`<issuer>/.well-known/openid-configuration`, the
 * only form Logto serves before v1.42), then RFC 8414 §3.1 (well-known inserted before the path),
 * then the path-appended RFC 8414 form that newer Logto serves.
 */
export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const base = issuer.replace(/\/+$/, '');
  const path = url.pathname.replace(/\/+$/, '');
  const candidates = [
    `${base}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${base}/.well-known/oauth-authorization-server`,
  ];
  return [...new Set(candidates)];
}

function describeFetchError(error: unknown): string {
  if (error instanceof FetchTimeoutError || error instanceof FetchNetworkError)
    return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Fetched lazily on the first token that needs it, then kept. A failure is not kept: the next
 * request tries again (the issuer may simply have been started after us).
 */
export class IssuerMetadataSource {
  #cached: IssuerMetadata | undefined;
  #inFlight: Promise<IssuerMetadata> | undefined;

  constructor(
    readonly issuer: string,
    readonly timeoutMs: number,
  ) {}

  async get(): Promise<IssuerMetadata> {
    if (this.#cached) return this.#cached;
    this.#inFlight ??= this.#discover().then(
      (metadata) => {
        this.#cached = metadata;
        this.#inFlight = undefined;
        return metadata;
      },
      (error: unknown) => {
        this.#inFlight = undefined;
        throw error;
      },
    );
    return this.#inFlight;
  }

  async #discover(): Promise<IssuerMetadata> {
    const misses: string[] = [];
    for (const candidate of discoveryUrls(this.issuer)) {
      let response: Response;
      try {
        response = await fetchWithTimeout(
          candidate,
          { headers: { accept: 'application/json' } },
          this.timeoutMs,
        );
      } catch (error) {
        // Unreachable host: the other candidates live on the same host, no point asking them.
        throw new IssuerUnavailableError(this.issuer, describeFetchError(error), null, {
          cause: error,
        });
      }
      if (!response.ok) {
        await response.body?.cancel();
        misses.push(`${candidate} answered ${response.status}`);
        continue;
      }
      let document: unknown;
      try {
        document = await response.json();
      } catch {
        misses.push(`${candidate} did not answer JSON`);
        continue;
      }
      const issuerClaim = (document as { issuer?: unknown } | null)?.issuer;
      if (typeof issuerClaim !== 'string') {
        misses.push(`${candidate} has no "issuer" field`);
        continue;
      }
      // OIDC Discovery §4.3 / RFC 8414 §3.3: the document must name exactly the issuer we asked for.
      if (issuerClaim !== this.issuer) {
        throw new IssuerUnavailableError(
          this.issuer,
          `the discovery document at ${candidate} names the issuer ${issuerClaim}; configure exactly that value`,
          null,
        );
      }
      const { jwks_uri, userinfo_endpoint, introspection_endpoint } = document as Record<
        string,
        unknown
      >;
      return {
        issuer: issuerClaim,
        ...(typeof jwks_uri === 'string' ? { jwks_uri } : {}),
        ...(typeof userinfo_endpoint === 'string' ? { userinfo_endpoint } : {}),
        ...(typeof introspection_endpoint === 'string' ? { introspection_endpoint } : {}),
        source: candidate,
      };
    }
    throw new IssuerUnavailableError(
      this.issuer,
      `no discovery document found (${misses.join('; ')})`,
      null,
    );
  }
}
