/**
 * Small helpers for driving the sandbox issuer over real HTTP the way a browser would: a cookie
 * jar, manual redirects that stop when they leave the issuer (the client's redirect URI), and
 * the sign-in / consent form posts. Local to the issuer tests on purpose.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startIssuer, type IssuerOptions, type RunningIssuer } from '../../main/issuer';

export async function tempDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'issuer-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts an issuer on an ephemeral port with a throwaway data directory. */
export async function startTestIssuer(
  options: Partial<IssuerOptions> = {},
): Promise<RunningIssuer & { dataDir: string; stop(): Promise<void> }> {
  const data = options.dataDir ? undefined : await tempDataDir();
  const dataDir = options.dataDir ?? data?.dir ?? '';
  const issuer = await startIssuer({ port: 0, ...options, dataDir });
  return {
    ...issuer,
    dataDir,
    stop: async () => {
      await issuer.close();
      await data?.remove();
    },
  };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface Step {
  response: Response;
  url: string;
  body: string;
}

/** A minimal browser: keeps cookies per name (good enough for one host) and follows redirects by hand. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', val = ''] = attribute.split('=');
        return (
          (key.trim().toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) ||
          (key.trim().toLowerCase() === 'max-age' && Number(val) <= 0)
        );
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'text/html,application/xhtml+xml');
    if (this.cookies.size) {
      headers.set(
        'cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    const response = await fetch(new URL(url, this.origin), {
      ...init,
      headers,
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  /**
   * Requests `url` and follows redirects while they stay on the issuer. Returns the last page, or
   * `leftTo` when a redirect leaves the issuer (that is the client's redirect URI).
   */
  async go(url: string, init: RequestInit = {}): Promise<Step & { leftTo?: URL }> {
    let current = new URL(url, this.origin).href;
    let response = await this.request(current, init);
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) break;
      const next = new URL(location, current);
      if (next.origin !== this.origin) {
        await response.arrayBuffer();
        return { response, url: current, body: '', leftTo: next };
      }
      await response.arrayBuffer();
      current = next.href;
      response = await this.request(current);
    }
    return { response, url: current, body: await response.text() };
  }

  /** Submits a form found in `html` (by its action path ending) with the given fields. */
  async submit(
    html: string,
    actionEndsWith: string,
    fields: Record<string, string> = {},
  ): Promise<Step & { leftTo?: URL }> {
    const action = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)]
      .map((match) => (match[1] ?? '').replaceAll('&amp;', '&'))
      .find((candidate) => candidate.endsWith(actionEndsWith));
    if (!action) throw new Error(`No form posting to ...${actionEndsWith} in the page`);
    const hidden = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
        m[1] ?? '',
        m[2] ?? '',
      ]),
    );
    return this.go(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, ...fields }).toString(),
    });
  }
}

export interface AuthorizeParams {
  client_id: string;
  redirect_uri: string;
  scope?: string;
  resource?: string;
  prompt?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  [key: string]: string | undefined;
}

export function authorizeUrl(issuer: string, params: AuthorizeParams): string {
  const url = new URL(`${issuer}/auth`);
  url.searchParams.set('response_type', 'code');
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.href;
}

export interface SignInResult {
  browser: Browser;
  callback: URL;
  verifier: string;
}

/**
 * Runs the browser part of an authorization-code + PKCE flow: /auth, sign-in form, consent (when
 * shown, Allow), back to the redirect URI. Returns the callback URL carrying `code`.
 */
export async function signIn(
  issuer: RunningIssuer,
  params: AuthorizeParams,
  user: { username: string; password: string },
  options: { consent?: 'allow' | 'deny'; browser?: Browser } = {},
): Promise<SignInResult> {
  const browser = options.browser ?? new Browser(issuer.origin);
  const { verifier, challenge } = pkce();
  let step = await browser.go(
    authorizeUrl(issuer.issuer, {
      state: 'st-' + randomBytes(4).toString('hex'),
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...params,
    }),
  );
  if (!step.leftTo && step.body.includes('name="password"')) {
    step = await browser.submit(step.body, '/login', user);
  }
  if (!step.leftTo && step.body.includes('/confirm')) {
    step = await browser.submit(step.body, options.consent === 'deny' ? '/abort' : '/confirm');
  }
  if (!step.leftTo) {
    throw new Error(
      `Expected a redirect to the client, got ${step.response.status}: ${step.body.slice(0, 500)}`,
    );
  }
  return { browser, callback: step.leftTo, verifier };
}

export async function tokenRequest(
  issuer: RunningIssuer,
  fields: Record<string, string | undefined>,
  auth?: { clientId: string; clientSecret: string },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.set(key, value);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth) {
    // RFC 6749 section 2.3.1: form-urlencode id and secret before base64.
    const basic = `${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  const response = await fetch(`${issuer.issuer}/token`, { method: 'POST', headers, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Full flow for a public client: sign in, then exchange the code. */
export async function tokensFor(
  issuer: RunningIssuer,
  params: AuthorizeParams,
  user: { username: string; password: string },
): Promise<{ status: number; json: Record<string, unknown>; browser: Browser }> {
  const { callback, verifier, browser } = await signIn(issuer, params, user);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`No code in ${callback.href}`);
  const result = await tokenRequest(issuer, {
    grant_type: 'authorization_code',
    client_id: params.client_id,
    code,
    redirect_uri: params.redirect_uri,
    code_verifier: verifier,
    resource: params.resource,
  });
  return { ...result, browser };
}

export function decodeJwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split('.')[index];
  if (!part) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
