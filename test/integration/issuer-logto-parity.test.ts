/**
 * The sandbox answers like Logto OSS v1.37.1. Every exchange captured from a real tenant
 * (test/fixtures/logto-v1.37.1/*.json) that the sandbox implements is replayed against it, and
 * the two answers are compared on what a client acts on: the status, where the answer goes (a
 * JSON body, the sign-in page, the client's redirect URI), `error`, `error_description`, Logto's
 * `code` and `message`, the parameters of a redirect, `WWW-Authenticate`, and the shape of token
 * responses and tokens (which fields, JWT header and claims, `scope`, `aud`, `client_id`).
 * Values that differ by nature (user ids, names, timestamps, key ids, token values) are compared
 * by kind only. Logto's app ids map to the sandbox's clients, its issuer to the sandbox's.
 *
 * Deliberately not reproduced, and why:
 * - Logto's own sign-in and consent web app (/sign-in, /consent, /api/experience/*,
 *   /api/interaction/*): the sandbox serves its own pages. Only what the browser goes through
 *   (sign-in page shown, consent page shown) and what comes back to the redirect URI are compared.
 * - The end-session page itself: Logto's auto-submitting "Submitting Callback" form versus the
 *   sandbox's "Sign out?" page; both are 200 HTML, then the same redirect.
 * - 404 outside /oidc: Logto answers text/plain "Not Found", the sandbox a JSON body saying the
 *   same thing; only the status is compared.
 * - `error_uri` (https://openid.sh/debug/...) that Logto adds to invalid_grant: a link to an
 *   outside site, which the sandbox does not send.
 * - Logto's 3 s grace for reusing a rotated refresh token: the sandbox refuses reuse at once.
 *   Logto was captured after the grace period, where both answer alike; the replay does not wait.
 * - The third-party app: Logto's captured one is a Native (public) app, the sandbox's is a
 *   Traditional web (confidential) one, so its token requests carry HTTP Basic credentials; and
 *   client_secret_post (introspection step 6) is replayed with Basic, the only method the
 *   sandbox's confidential client is registered for.
 * - The ID token's `at_hash` claim and `typ: "JWT"` header: Logto's older oidc-provider adds them
 *   in the code flow, oidc-provider 9 does not; both are optional there (OpenID Connect Core 1.0
 *   section 3.1.3.6), so no client may rely on them.
 * - Discovery's `scopes_supported` also lists the API permissions (whoami:read): oidc-provider
 *   accepts a client's `scope` (the third-party app's Permissions) and a dynamically registered
 *   client's scopes only from that list. Logto lists the OIDC scopes only.
 * - The discovery document is compared on the fields clients act on (endpoints, PKCE, iss
 *   parameter, no registration); its full contents are checked in issuer-discovery.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_POST_LOGOUT_REDIRECT_URI } from '../../main/shared/app-identity';
import { Browser, pkce, startTestIssuer } from './issuer-helpers';

const ALICE = { username: 'alice', password: 'alice-sandbox' };
const BOB = { username: 'bob', password: 'bob-sandbox' };

// ---------------------------------------------------------------------------------------------
// The captures

interface CapturedRequest {
  method: string;
  url: string;
  headers?: Record<string, string> | null;
  body?: Record<string, string> | null;
}
interface CapturedResponse {
  status: number;
  headers?: Record<string, string> | null;
  body: unknown;
}
interface Exchange {
  request: CapturedRequest;
  response: CapturedResponse;
  via?: string;
  authorization_request_url?: string;
}
interface Capture {
  case: string;
  exchanges: Exchange[];
  callback_url?: string;
  browser_landed_on?: string;
}

function capture(file: string): Capture {
  return JSON.parse(
    readFileSync(join(__dirname, '..', 'fixtures', 'logto-v1.37.1', file), 'utf8'),
  ) as Capture;
}

function exchange(file: Capture, index: number): Exchange {
  const found = file.exchanges[index];
  if (!found) throw new Error(`${file.case} has no exchange ${index}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Logto's names for things, and the sandbox's

const LOGTO_ISSUER = 'http://localhost:3002/oidc';
const LOGTO_ORIGIN = 'http://localhost:3002';
const CLIENTS: Record<string, string> = {
  jd2xfupv9nhd8aa5macfk: 'sandbox-native', // Native, first-party
  ldp8xgvcov8eg1zo0ju9n: 'sandbox-third-party', // third-party
  '22tgdorbc7glp5etkgi0m': 'sandbox-spa', // SPA
  '4nane6zxrpnbocqe6woyo': 'sandbox-third-party', // Traditional web (confidential)
  '15emx3ldok0pqfga7g416': 'sandbox-native', // Native with a post-logout redirect URI
};
/** The Native app's registered post-logout URI on Logto, and the sandbox Native client's. */
const POST_LOGOUT: [logto: string, sandbox: string][] = [
  ['http://127.0.0.1:53123/logged-out', 'http://127.0.0.1/signed-out'],
  ['http://127.0.0.1:53999/logged-out', 'http://127.0.0.1:53999/signed-out'],
];

let issuer: Awaited<ReturnType<typeof startTestIssuer>>;
let thirdPartyBasic: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  const client = issuer.clients.find((c) => c.clientId === 'sandbox-third-party');
  thirdPartyBasic = Buffer.from(
    `${encodeURIComponent(client?.clientId ?? '')}:${encodeURIComponent(client?.clientSecret ?? '')}`,
  ).toString('base64');
});
afterAll(async () => {
  await issuer?.stop();
});

/** A Logto string in sandbox terms: issuer, client ids, post-logout URIs (raw or URL-encoded). */
function fromLogto(text: string): string {
  let out = text;
  const pairs: [string, string][] = [
    [LOGTO_ISSUER, issuer.issuer],
    [LOGTO_ORIGIN, issuer.origin],
    ...Object.entries(CLIENTS),
    ...POST_LOGOUT,
  ];
  for (const [from, to] of pairs) {
    out = out.replaceAll(from, to).replaceAll(encodeURIComponent(from), encodeURIComponent(to));
  }
  return out;
}

/** The real values a replay puts where the capture has placeholders. */
interface Values {
  jwt?: string | undefined;
  idToken?: string | undefined;
  opaque?: string | undefined;
  refresh?: string | undefined;
  code?: string | undefined;
  verifier?: string | undefined;
  challenge?: string | undefined;
}

const PLACEHOLDER =
  /<JWT header=(\{[^}]*\}) payload=\{[^}]*\}>|<(opaque access_token|opaque refresh_token|code|code_verifier|code_challenge S256|client_secret|base64\(client_id:client_secret\)) \d+ chars>/g;

function fill(text: string, values: Values): string {
  return text.replace(PLACEHOLDER, (whole, jwtHeader: string | undefined, kind?: string) => {
    const value = jwtHeader
      ? (JSON.parse(jwtHeader) as { typ: string }).typ === 'at+jwt'
        ? values.jwt
        : values.idToken
      : {
          'opaque access_token': values.opaque,
          'opaque refresh_token': values.refresh,
          code: values.code,
          code_verifier: values.verifier,
          'code_challenge S256': values.challenge,
          'base64(client_id:client_secret)': thirdPartyBasic,
          client_secret: undefined,
        }[kind ?? ''];
    if (value === undefined) throw new Error(`The replay has no value for ${whole.slice(0, 40)}`);
    return value;
  });
}

/** The captured URL with placeholders filled, in sandbox terms (its query may hold raw placeholders). */
function sandboxUrl(url: string, values: Values): URL {
  const [base = '', query] = url.split('?');
  const target = new URL(fromLogto(base));
  for (const pair of query ? query.split('&') : []) {
    const eq = pair.indexOf('=');
    const value = decodeURIComponent(fill(pair.slice(eq + 1), values).replaceAll('+', ' '));
    target.searchParams.append(pair.slice(0, eq), fromLogto(value));
  }
  return target;
}

interface ReplayOptions {
  /** The sandbox's confidential third-party client authenticates with HTTP Basic only. */
  basicAuth?: boolean;
}

/** Sends the captured request to the sandbox, as captured but in sandbox terms. */
async function replay(
  captured: Exchange,
  values: Values = {},
  options: ReplayOptions = {},
): Promise<Response> {
  const { method, url, headers, body } = captured.request;
  const sent = new Headers();
  for (const [name, value] of Object.entries(headers ?? {})) sent.set(name, fill(value, values));
  let form: URLSearchParams | undefined;
  if (body) {
    form = new URLSearchParams();
    for (const [name, value] of Object.entries(body)) {
      if (options.basicAuth && (name === 'client_id' || name === 'client_secret')) continue;
      form.set(name, fromLogto(fill(value, values)));
    }
    if (options.basicAuth) sent.set('authorization', `Basic ${thirdPartyBasic}`);
  }
  return fetch(sandboxUrl(url, values), {
    method,
    headers: sent,
    body: form ?? null,
    redirect: 'manual',
  });
}

// ---------------------------------------------------------------------------------------------
// Answers, reduced to what a client acts on

interface Answer {
  status: number;
  goesTo: string;
  params?: Record<string, unknown>;
  body?: unknown;
  wwwAuthenticate?: string;
}

/** Fields whose values matter; every other value is compared by kind. */
const LITERAL = new Set([
  'error',
  'error_description',
  'code',
  'message',
  'scope',
  'state',
  'active',
  'token_type',
  'expires_in',
  'client_id',
  'aud',
  'iss',
  'alg',
  'typ',
  'kty',
  'crv',
  'use',
  'registration_endpoint',
]);

function kind(value: unknown): string {
  return value === null ? '<null>' : `<${typeof value}>`;
}

/** ID token details Logto's older oidc-provider adds and oidc-provider 9 does not (see the top). */
const ID_TOKEN_EXTRAS = { header: ['typ'], claims: ['at_hash'] };

function describeJwt(header: object, payload: object): unknown {
  const isIdToken = !('typ' in header) || header.typ === 'JWT';
  const without = (object: object, keys: string[]) =>
    Object.fromEntries(Object.entries(object).filter(([key]) => !isIdToken || !keys.includes(key)));
  return {
    jwt: normalize(without(header, ID_TOKEN_EXTRAS.header)),
    claims: normalize(without(payload, ID_TOKEN_EXTRAS.claims)),
  };
}

function describeToken(value: string, issuerUrl: string): unknown {
  const placeholder = /^<JWT header=(\{[^}]*\}) payload=(\{[^}]*\})>$/.exec(value);
  if (placeholder) {
    return describeJwt(
      JSON.parse(placeholder[1] ?? '') as object,
      JSON.parse(fromLogto(placeholder[2] ?? '')) as object,
    );
  }
  if (/^<opaque \w+ 43 chars>$/.test(value)) return 'opaque, 43 characters';
  const parts = value.split('.');
  if (parts.length === 3) {
    const [header, payload] = parts
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))) as [
      object,
      object,
    ];
    return describeJwt(header, payload);
  }
  if (/^[\w-]{43}$/.test(value)) return 'opaque, 43 characters';
  return value === issuerUrl ? '<issuer>' : value;
}

function normalize(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => normalize(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, normalize(v, k)] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  if (['access_token', 'refresh_token', 'id_token'].includes(key) && typeof value === 'string') {
    return describeToken(value, issuer.issuer);
  }
  if (key === 'iss' && value === issuer.issuer) return '<issuer>';
  return LITERAL.has(key) ? value : kind(value);
}

function redirectAnswer(status: number, location: string, signInPaths: string[]): Answer {
  if (signInPaths.some((path) => location.startsWith(path))) {
    return { status, goesTo: 'the sign-in page' };
  }
  const target = new URL(location);
  const params: Record<string, unknown> = {};
  for (const [name, value] of target.searchParams) {
    params[name] = name === 'code' ? '<code>' : name === 'iss' ? normalize(value, 'iss') : value;
  }
  return { status, goesTo: `${target.origin}${target.pathname}`, params };
}

function bodyKind(contentType: string | undefined, body: unknown): string {
  if (contentType?.includes('json')) return 'JSON';
  if (contentType?.includes('html')) return 'an HTML page';
  return body === null || body === '' ? 'an empty body' : `${contentType}`;
}

/** Logto's captured answer, in sandbox terms. */
function logtoAnswer(captured: Exchange): Answer {
  const { status, headers, body } = captured.response;
  const location = headers?.location;
  if (status >= 300 && status < 400 && location) {
    return redirectAnswer(status, fromLogto(location), ['/sign-in']);
  }
  const contentType = headers?.['content-type'];
  const answer: Answer = { status, goesTo: bodyKind(contentType, body) };
  if (answer.goesTo === 'JSON') {
    const json = JSON.parse(fromLogto(JSON.stringify(body))) as Record<string, unknown>;
    // Not reproduced (see the top of this file).
    delete json.error_uri;
    answer.body = normalize(json);
  }
  const challenge = headers?.['www-authenticate'];
  if (challenge) answer.wwwAuthenticate = fromLogto(challenge);
  return answer;
}

/** The sandbox's answer, reduced the same way. */
async function sandboxAnswer(response: Response): Promise<Answer> {
  const { status } = response;
  const location = response.headers.get('location');
  const text = await response.text();
  if (status >= 300 && status < 400 && location) {
    return redirectAnswer(status, location, ['/interaction/']);
  }
  const contentType = response.headers.get('content-type') ?? undefined;
  const answer: Answer = { status, goesTo: bodyKind(contentType, text) };
  if (answer.goesTo === 'JSON') answer.body = normalize(JSON.parse(text));
  const challenge = response.headers.get('www-authenticate');
  if (challenge) answer.wwwAuthenticate = challenge;
  return answer;
}

async function expectSameAnswer(
  captured: Exchange,
  values: Values = {},
  options: ReplayOptions = {},
): Promise<Response> {
  const response = await replay(captured, values, options);
  expect(await sandboxAnswer(response.clone())).toEqual(logtoAnswer(captured));
  return response;
}

// ---------------------------------------------------------------------------------------------
// Browser flows

interface Walk {
  signInPage: boolean;
  consentPage: boolean;
  callback?: Answer;
}

/** What Logto's browser went through: pages shown and where it ended. */
function logtoWalk(file: Capture): Walk {
  const pageShown = (path: string) =>
    file.exchanges.some(
      (e) => new URL(e.request.url).pathname === path && e.response.status === 200,
    );
  const back = [...file.exchanges]
    .reverse()
    .map((e) => e.response.headers?.location)
    .find((location) => location?.startsWith('http://127.0.0.1'));
  const landed = back ?? file.callback_url;
  return {
    signInPage: pageShown('/sign-in'),
    consentPage: pageShown('/consent'),
    ...(landed && { callback: redirectAnswer(303, fromLogto(landed), []) }),
  };
}

/**
 * Drives the sandbox's pages like Logto's browser did: the authorization request, the sign-in
 * form, then the consent screen's button (`allow`, `cancel`, or stop there).
 */
async function sandboxWalk(
  authorizationUrl: string,
  user: { username: string; password: string },
  consent: 'allow' | 'cancel' | 'stop',
  values: Values,
  browser = new Browser(issuer.origin),
): Promise<Walk & { code?: string | undefined }> {
  const walk: Walk = { signInPage: false, consentPage: false };
  let step = await browser.go(sandboxUrl(authorizationUrl, values).href);
  if (!step.leftTo && step.body.includes('name="password"')) {
    walk.signInPage = true;
    step = await browser.submit(step.body, '/login', user);
  }
  if (!step.leftTo && step.body.includes('/confirm')) {
    walk.consentPage = true;
    if (consent === 'stop') return walk;
    step = await browser.submit(step.body, consent === 'allow' ? '/confirm' : '/abort');
  }
  if (!step.leftTo) throw new Error(`No redirect back to the client: ${step.body.slice(0, 300)}`);
  walk.callback = redirectAnswer(step.response.status, step.leftTo.href, []);
  return { ...walk, code: step.leftTo.searchParams.get('code') ?? undefined };
}

/** Signs in with a captured authorization request; returns the code and its PKCE verifier. */
async function codeFor(
  authorizationUrl: string,
  user = ALICE,
  consent: 'allow' | 'cancel' = 'allow',
): Promise<Values & { code: string }> {
  const { verifier, challenge } = pkce();
  const { code } = await sandboxWalk(authorizationUrl, user, consent, { challenge });
  if (!code) throw new Error('The sign-in gave no code');
  return { code, verifier, challenge };
}

/** Exchanges a captured token request with real values; returns the tokens. */
async function tokensFrom(captured: Exchange, values: Values, options: ReplayOptions = {}) {
  const response = await expectSameAnswer(captured, values, options);
  const json = (await response.json()) as Record<string, string | undefined>;
  const jwt = json.access_token?.includes('.') ? json.access_token : undefined;
  return {
    jwt,
    opaque: jwt ? undefined : json.access_token,
    refresh: json.refresh_token,
    idToken: json.id_token,
  };
}

function authorizationUrlOf(captured: Exchange): string {
  if (!captured.authorization_request_url) throw new Error('no authorization request captured');
  return captured.authorization_request_url;
}

// ---------------------------------------------------------------------------------------------
// The cases

describe('discovery.json: what is served, and where', () => {
  const file = capture('discovery.json');

  it('the OpenID discovery document: endpoints, PKCE S256, iss parameter, no registration', async () => {
    const response = await replay(exchange(file, 0));
    expect(response.status).toBe(200);
    const sandbox = (await response.json()) as Record<string, unknown>;
    const logto = JSON.parse(fromLogto(JSON.stringify(exchange(file, 0).response.body))) as Record<
      string,
      unknown
    >;
    const acted = (doc: Record<string, unknown>) => ({
      endpoints: Object.fromEntries(
        Object.entries(doc).filter(([key]) => key.endsWith('_endpoint') || key === 'jwks_uri'),
      ),
      issuer: doc.issuer,
      code_challenge_methods_supported: doc.code_challenge_methods_supported,
      authorization_response_iss_parameter_supported:
        doc.authorization_response_iss_parameter_supported,
      public_clients: (doc.token_endpoint_auth_methods_supported as string[]).includes('none'),
      // Not reproduced: the sandbox also lists its API permissions (see the top of this file).
      scopes_supported: (doc.scopes_supported as string[]).filter(
        (scope) => !issuer.apiResources.some((api) => api.scopes.some((s) => s.name === scope)),
      ),
    });
    expect(acted(sandbox)).toEqual(acted(logto));
  });

  const notServed = [1, 2, 4, 5].map((index) => [exchange(file, index).request.url, index]);
  it.each(notServed)('%s: 404 (Logto v1.37 does not serve it)', async (_url, index) => {
    const response = await replay(exchange(file, Number(index)));
    expect(response.status).toBe(exchange(file, Number(index)).response.status);
  });

  it('/oidc/.well-known/oauth-authorization-server: 404 invalid_request "unrecognized route"', async () => {
    await expectSameAnswer(exchange(file, 3));
  });
});

describe('jwks.json: one ES384 key on P-384', () => {
  it('has the same members', async () => {
    const file = capture('jwks.json');
    const response = await replay(exchange(file, 0));
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    const logto = exchange(file, 0).response.body as {
      keys: { other_members: string[]; [key: string]: unknown }[];
    };
    const named = ['kty', 'crv', 'alg', 'kid', 'use'];
    const shape = (key: Record<string, unknown>, others: string[]) => ({
      named: normalize(Object.fromEntries(named.map((name) => [name, key[name]]))),
      others: [...others].sort(),
    });
    expect(
      keys.map((key) =>
        shape(
          key,
          Object.keys(key).filter((k) => !named.includes(k)),
        ),
      ),
    ).toEqual(logto.keys.map((key) => shape(key, key.other_members)));
  });
});

describe('the authorization request, before sign-in', () => {
  const cases: [name: string, file: string, index: number][] = [
    ['unknown client: 400 JSON invalid_client, no redirect', 'auth-invalid-client.json', 0],
    [
      'Native app, unregistered path: 400 JSON invalid_redirect_uri',
      'auth-invalid-redirect-native.json',
      0,
    ],
    [
      'Native app, [::1] not registered: 400 JSON invalid_redirect_uri',
      'auth-invalid-redirect-native.json',
      1,
    ],
    ['Native app, loopback on any port: the sign-in page', 'auth-invalid-redirect-native.json', 2],
    ['Native app, localhost on any port: the sign-in page', 'auth-invalid-redirect-native.json', 3],
    ['SPA, another port: 400 JSON invalid_redirect_uri', 'auth-invalid-redirect-spa.json', 0],
    [
      'SPA, another port on localhost: 400 JSON invalid_redirect_uri',
      'auth-invalid-redirect-spa.json',
      1,
    ],
    ['SPA, the registered URI: the sign-in page', 'auth-invalid-redirect-spa.json', 2],
    ['unknown resource: invalid_target back to the redirect URI', 'auth-invalid-target.json', 0],
    [
      'third-party app asking for email (not in its Permissions): invalid_scope naming it, back to the redirect URI',
      'auth-third-party-invalid-scope.json',
      0,
    ],
  ];
  it.each(cases)('%s', async (_name, file, index) => {
    await expectSameAnswer(exchange(capture(file), index), pkce());
  });
});

describe('sign-in and consent in the browser', () => {
  it('third-party app without email: sign-in, then the consent screen', async () => {
    const file = capture('auth-third-party-invalid-scope.json');
    const walk = await sandboxWalk(exchange(file, 1).request.url, ALICE, 'stop', pkce());
    expect(walk).toEqual(logtoWalk({ ...file, exchanges: file.exchanges.slice(1) }));
  });

  it('consent Cancel: back to the bare redirect URI, no parameters at all', async () => {
    const file = capture('consent-cancel.json');
    const walk = await sandboxWalk(exchange(file, 0).request.url, ALICE, 'cancel', pkce());
    expect(walk).toEqual(logtoWalk(file));
  });

  it('first-party app with prompt=consent: no consent page, a code at once', async () => {
    const file = capture('first-party-prompt-consent.json');
    const walk = await sandboxWalk(exchange(file, 0).request.url, ALICE, 'stop', pkce());
    expect({ ...walk, code: undefined }).toEqual({ ...logtoWalk(file), code: undefined });
  });

  it('consent Authorize: code, state and iss back; the token holds only whoami:read', async () => {
    const file = capture('consent-authorize.json');
    const values = pkce();
    const { code, ...walk } = await sandboxWalk(
      exchange(file, 0).request.url,
      ALICE,
      'allow',
      values,
    );
    expect(walk).toEqual(logtoWalk(file));
    await tokensFrom(exchange(file, 11), { ...values, code }, { basicAuth: true });
  });

  it('a user without the role (bob): signed in, token scope "" and a JWT with no scope', async () => {
    const file = capture('bob-no-role.json');
    const values = pkce();
    const { code, ...walk } = await sandboxWalk(
      exchange(file, 0).request.url,
      BOB,
      'allow',
      values,
    );
    expect(walk).toEqual(logtoWalk(file));
    await tokensFrom(exchange(file, 9), { ...values, code });
  });
});

describe('token-responses.json: what the code exchange gives', () => {
  const file = capture('token-responses.json');
  it.each([
    [0, 'resource at /auth and /token: JWT for the API, scope "whoami:read", refresh token'],
    [1, 'no resource: opaque token, scope lists the OIDC scopes'],
    [2, 'resource at /auth only: an opaque token, not a JWT'],
    [3, 'offline_access without prompt=consent: no refresh token'],
  ])('(%s) %s', async (index) => {
    const captured = exchange(file, index);
    await tokensFrom(captured, await codeFor(authorizationUrlOf(captured)));
  });
});

describe('token-endpoint-errors.json: every failure is the same invalid_grant, and burns nothing', () => {
  const file = capture('token-endpoint-errors.json');
  // Logto's follow-up exchanges gave no refresh token: a request like variant (d), no prompt=consent.
  const authorization = authorizationUrlOf(exchange(capture('token-responses.json'), 3));

  it('a code that does not exist', async () => {
    await expectSameAnswer(exchange(file, 0), pkce());
  });

  it.each([
    [1, 'a wrong code_verifier', (v: Values) => ({ ...v, verifier: pkce().verifier })],
    [3, 'no code_verifier', (v: Values) => v],
    [5, 'another redirect_uri', (v: Values) => v],
    [7, 'an unknown client', (v: Values) => v],
  ])('(%s) %s, then the same code still works', async (index, _name, spoil) => {
    const values = await codeFor(authorization);
    await expectSameAnswer(exchange(file, index), spoil(values));
    await expectSameAnswer(exchange(file, index + 1), values);
  });
});

describe('refresh.json: refreshing, narrowing and reusing', () => {
  const file = capture('refresh.json');
  const tokens: Record<string, string | undefined> = {};

  beforeAll(async () => {
    const first = exchange(capture('token-responses.json'), 0);
    tokens.rt0 = (await tokensFrom(first, await codeFor(authorizationUrlOf(first)))).refresh;
  });

  it('(0) with the resource: a JWT and a rotated refresh token', async () => {
    tokens.rt1 = (await tokensFrom(exchange(file, 0), { refresh: tokens.rt0 })).refresh;
  });
  it('(1) without the resource: an opaque token, the OIDC scopes', async () => {
    tokens.rt2 = (await tokensFrom(exchange(file, 1), { refresh: tokens.rt1 })).refresh;
  });
  it('(2) a scope beyond the grant: invalid_scope "refresh token missing requested scope", naming it', async () => {
    await expectSameAnswer(exchange(file, 2), { refresh: tokens.rt2 });
  });
  it('(3) a subset of the granted scopes: fine, with the same refresh token', async () => {
    tokens.rt3 = (await tokensFrom(exchange(file, 3), { refresh: tokens.rt2 })).refresh;
  });
  it('(4) reusing a rotated refresh token: invalid_grant', async () => {
    await expectSameAnswer(exchange(file, 4), { refresh: tokens.rt0 });
  });
  it('(5) after that reuse, even the newest refresh token: invalid_grant', async () => {
    await expectSameAnswer(exchange(file, 5), { refresh: tokens.rt3 ?? tokens.rt2 });
  });
});

/** Tokens from Logto's variant (a) (JWT, resource) and (b) or (c) (opaque) sign-ins. */
async function jwtAndOpaque(opaqueVariant: 1 | 2): Promise<Values> {
  const file = capture('token-responses.json');
  const a = exchange(file, 0);
  const opaque = exchange(file, opaqueVariant);
  const jwt = await tokensFrom(a, await codeFor(authorizationUrlOf(a)));
  const plain = await tokensFrom(opaque, await codeFor(authorizationUrlOf(opaque)));
  return { jwt: jwt.jwt, idToken: plain.idToken, opaque: plain.opaque, refresh: plain.refresh };
}

describe('revocation.json: 200 for anything a client holds', () => {
  const file = capture('revocation.json');
  let values: Values;
  beforeAll(async () => {
    values = await jwtAndOpaque(1);
  });
  it.each([
    [0, 'an opaque access token: 200, empty body'],
    [1, 'a JWT access token: 200, empty body (it stays valid by signature until it expires)'],
    [2, 'a refresh token: 200, empty body'],
    [3, 'then userinfo with the revoked access token: 401 invalid_token'],
    [4, 'then the revoked refresh token: invalid_grant'],
    [5, 'then introspection of the revoked access token: active false'],
    [6, 'a garbage token: 200, empty body'],
    [7, 'no client_id: 400 invalid_request "no client authentication mechanism provided"'],
  ])('(%s) %s', async (index) => {
    await expectSameAnswer(exchange(file, index), values);
  });
});

describe('introspection.json: who may introspect what', () => {
  const file = capture('introspection.json');
  let values: Values;
  beforeAll(async () => {
    values = await jwtAndOpaque(1);
  });
  it.each([
    [0, 'a public client, its own opaque token: active, with its claims', {}],
    [1, 'a public client, a JWT access token: active false', {}],
    [2, 'a confidential client (Basic), an opaque token: active', {}],
    [3, 'a confidential client (Basic), a JWT access token: active false', {}],
    [4, 'a confidential client (Basic), a refresh token: active', {}],
    [5, 'a confidential client, an opaque token (replayed with Basic)', { basicAuth: true }],
  ])('(%s) %s', async (index, _name, options) => {
    await expectSameAnswer(exchange(file, index), values, options);
  });
});

describe('userinfo.json: /oidc/me takes only opaque tokens', () => {
  const file = capture('userinfo.json');
  let values: Values;
  beforeAll(async () => {
    values = await jwtAndOpaque(2);
  });
  it.each([
    [0, 'an opaque access token: the profile claims'],
    [1, 'a JWT access token for the API: 401 invalid_token'],
    [2, 'garbage: 401 invalid_token with WWW-Authenticate'],
    [3, 'no token: 400 invalid_request "no access token provided"'],
    [4, 'revoking the opaque token: 200'],
    [5, 'then the revoked token: 401 invalid_token'],
  ])('(%s) %s', async (index) => {
    await expectSameAnswer(exchange(file, index), values);
  });
});

describe('end-session.json: RP-initiated logout', () => {
  const file = capture('end-session.json');
  let values: Values;
  beforeAll(async () => {
    values = await jwtAndOpaque(1);
  });
  it.each([
    [0, 'the registered post-logout URI: a page (200 HTML)'],
    [
      1,
      'an unregistered post-logout URI: 400 invalid_request "post_logout_redirect_uri not registered"',
    ],
    [
      2,
      'the registered path on another loopback port: refused too (exact match, no any-port rule)',
    ],
    [3, 'no post-logout URI: a page (200 HTML)'],
  ])('(%s) %s', async (index) => {
    await expectSameAnswer(exchange(file, index), values);
  });

  it('signed in, confirming sign-out lands on the post-logout URI with only state', async () => {
    const browser = new Browser(issuer.origin);
    const first = exchange(capture('token-responses.json'), 1);
    const { verifier, challenge } = pkce();
    const { code } = await sandboxWalk(
      authorizationUrlOf(first),
      ALICE,
      'allow',
      { challenge },
      browser,
    );
    const { idToken } = await tokensFrom(first, { code, verifier });
    const page = await browser.go(sandboxUrl(exchange(file, 4).request.url, { idToken }).href);
    expect(page.response.status).toBe(exchange(file, 4).response.status);
    const done = await browser.submit(page.body, '/session/end/confirm', { logout: 'yes' });
    const landed = file.browser_landed_on ?? '';
    expect(done.leftTo && redirectAnswer(303, done.leftTo.href, [])).toEqual(
      redirectAnswer(303, fromLogto(landed), []),
    );
  });

  it("the desktop app's own post-logout URI is registered exactly", async () => {
    const url = sandboxUrl(exchange(file, 0).request.url, values);
    url.searchParams.set('post_logout_redirect_uri', APP_POST_LOGOUT_REDIRECT_URI);
    expect((await fetch(url)).status).toBe(200);
  });
});
