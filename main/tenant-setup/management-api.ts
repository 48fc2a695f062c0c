/**
 * A small client for the Logto Management API (https://openapi.logto.io): a client_credentials
 * token for a machine-to-machine app, then JSON calls with it. Every call has a deadline and goes
 * through the given fetch (the app's trace); the app secret and the token are registered as
 * secrets first, so the trace shows them redacted.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { messageOf } from '../doctor/context';

export interface M2mCredentials {
  appId: string;
  appSecret: string;
}

/** Where a secret is registered before it can appear in a traced exchange. */
export interface SecretSink {
  register(value: string, label: string): unknown;
}

export class ManagementApiError extends Error {
  override name = 'ManagementApiError';
  constructor(
    message: string,
    readonly fix: string,
    readonly status?: number,
    /** Logto's own error code, e.g. `role.name_in_use`. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * The Management API's resource indicator, as Logto documents it: `https://<tenant>.logto.app/api`
 * on Logto Cloud, `https://default.logto.app/api` for self-hosted Logto (the `default` tenant).
 */
export function managementApiResource(endpoint: string): string {
  const host = new URL(endpoint).hostname;
  const cloud = /^([a-z0-9-]+)\.logto\.app$/i.exec(host);
  return cloud ? `https://${cloud[1]}.logto.app/api` : 'https://default.logto.app/api';
}

/** The endpoint the user typed, reduced to its origin (a pasted issuer or Console URL works too). */
export function normaliseEndpoint(endpoint: string): string {
  const url = URL.parse(endpoint.trim());
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ManagementApiError(
      `The Logto endpoint must be an http(s) URL, not "${endpoint}".`,
      'Use https://<tenant>.logto.app for Logto Cloud or e.g. http://localhost:3002 for a self-hosted Logto.',
    );
  }
  return url.origin;
}

const PAGE_SIZE = 100;

export class ManagementApi {
  #token: string | undefined;

  constructor(
    readonly endpoint: string,
    private readonly credentials: M2mCredentials,
    private readonly fetchFn: FetchLike,
    private readonly secrets: SecretSink,
    readonly resource = managementApiResource(endpoint),
  ) {
    secrets.register(credentials.appSecret, 'm2m_app_secret');
  }

  async #getToken(): Promise<string> {
    if (this.#token) return this.#token;
    const basic = Buffer.from(
      `${encodeURIComponent(this.credentials.appId)}:${encodeURIComponent(this.credentials.appSecret)}`,
    ).toString('base64');
    const url = `${this.endpoint}/oidc/token`;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          resource: this.resource,
          scope: 'all',
        }).toString(),
      });
    } catch (error) {
      throw new ManagementApiError(
        `The Logto endpoint ${this.endpoint} did not answer: ${messageOf(error)}`,
        'Check the endpoint URL and that Logto is running.',
      );
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== 'string') {
      const said =
        typeof body.error_description === 'string' ? ` (“${body.error_description}”)` : '';
      throw new ManagementApiError(
        `Logto refused a Management API token for the app ${this.credentials.appId}: HTTP ${response.status} ${String(body.error ?? '')}${said}.`,
        body.error === 'invalid_target'
          ? `The Management API resource ${this.resource} is not known here: for a self-hosted Logto it is https://default.logto.app/api, for Logto Cloud https://<tenant>.logto.app/api.`
          : 'Use a machine-to-machine app (Console → Applications → Machine-to-machine) with a role that includes the Logto Management API permission "all", and copy its App ID and App secret.',
        response.status,
      );
    }
    this.secrets.register(body.access_token, 'management_api_token');
    this.#token = body.access_token;
    return body.access_token;
  }

  /** One call; a non-2xx answer becomes a ManagementApiError naming the call and Logto's reason. */
  async call<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ data: T; headers: Headers }> {
    const token = await this.#getToken();
    const url = `${this.endpoint}/api${path}`;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ManagementApiError(
        `${method} ${path} did not answer: ${messageOf(error)}`,
        'Check that Logto is reachable and try again.',
      );
    }
    const text = await response.text();
    const data = (text ? JSON.parse(text) : undefined) as unknown;
    if (!response.ok) {
      const error = (data ?? {}) as { code?: string; message?: string };
      throw new ManagementApiError(
        `${method} ${path} failed: HTTP ${response.status}${error.message ? ` (“${error.message}”)` : ''}.`,
        response.status === 403
          ? 'The machine-to-machine app’s role lacks the Logto Management API permission "all" (Console → Roles).'
          : 'See the exchange in the trace for Logto’s answer.',
        response.status,
        error.code,
      );
    }
    return { data: data as T, headers: response.headers };
  }

  /** Every item of a paginated list (Logto: `page`, `page_size`, the `Total-Number` header). */
  async list<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page < 1_000; page += 1) {
      const params = new URLSearchParams({
        ...query,
        page: String(page),
        page_size: String(PAGE_SIZE),
      });
      const { data, headers } = await this.call<T[]>('GET', `${path}?${params}`);
      items.push(...data);
      const total = Number(headers.get('total-number') ?? Number.NaN);
      if (data.length < PAGE_SIZE || (Number.isFinite(total) && items.length >= total)) break;
    }
    return items;
  }
}
