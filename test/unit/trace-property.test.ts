/**
 * Property: whatever token-like secrets go into the recorder, in whatever position, none of them
 * comes out of the export — raw, URL-encoded or JSON-escaped. Seeded, so a failure reproduces.
 */
import { describe, expect, it } from 'vitest';
import type { RawHeaders, RawHttpBody, TraceInput } from '../../main/trace';
import { TraceRecorder } from '../../main/trace';
import { seededRandom } from '../support/seeded-random';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';

function generator(seed: number) {
  const random = seededRandom(seed).next;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const chars = (alphabet: string, length: number) =>
    Array.from({ length }, () => alphabet[int(0, alphabet.length - 1)]).join('');
  const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  const jwt = () =>
    [
      b64url({
        alg: pick(['RS256', 'ES384', 'EdDSA']),
        typ: pick(['JWT', 'at+jwt']),
        kid: chars(HEX, 8),
      }),
      b64url({
        iss: 'http://127.0.0.1:3002/oidc',
        sub: chars(B64URL, 12),
        aud: 'http://localhost:3001/',
        scope: 'read:profile',
        exp: int(1_700_000_000, 1_900_000_000),
        jti: chars(B64URL, 16),
      }),
      chars(B64URL, int(43, 86)),
    ].join('.');

  const token = (): string =>
    pick([
      () => chars(B64URL, int(16, 90)),
      () => chars(HEX, int(32, 64)),
      () => `${chars(B64, int(16, 60))}${pick(['', '=', '=='])}`,
      () => `${pick(['rt_', 'sk_live_', 'gho_', 'ya29.'])}${chars(B64URL, int(20, 50))}`,
      jwt,
    ])();

  return { int, pick, chars, token, random };
}

const TOKEN_KEYS = [
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'id_token_hint',
  'assertion',
  'client_assertion',
  'registration_access_token',
  'subject_token',
];
const SECRET_KEYS = ['code', 'code_verifier', 'client_secret', 'password', 'device_code'];
const JSON_ONLY_KEYS = ['accessToken', 'refreshToken', 'Client-Secret', 'apiKey', 'x_auth_token'];
const FILLER_KEYS = ['data', 'items', 'meta', 'value', 'list', 'detail'];

interface Case {
  inputs: TraceInput[];
  secrets: string[];
  /** Values the engine registers (free-text positions need it for opaque tokens). */
  registered: string[];
}

function buildCase(seed: number): Case {
  const g = generator(seed);
  const secrets: string[] = [];
  const registered: string[] = [];
  const fresh = () => {
    const value = g.token();
    secrets.push(value);
    return value;
  };
  const secretKey = () => g.pick([...TOKEN_KEYS, ...SECRET_KEYS]);

  const requestHeaders: RawHeaders = {};
  const responseHeaders: RawHeaders = {};
  const query: string[] = ['state=st-1', 'scope=openid'];
  const fragment: string[] = [];
  const form = new URLSearchParams({ grant_type: 'authorization_code' });
  let json: unknown = { ok: true };
  const text: string[] = ['<html><body>'];
  const notes: string[] = [];
  let error: string | undefined;
  let path = '/oidc/token';

  const placements = [
    () => (requestHeaders['authorization'] = `Bearer ${fresh()}`),
    () => {
      const secret = fresh();
      const credentials = Buffer.from(`client-${g.chars(HEX, 4)}:${secret}`).toString('base64');
      secrets.push(credentials);
      requestHeaders['Authorization'] = `Basic ${credentials}`;
    },
    () =>
      (requestHeaders[g.pick(['DPoP', 'X-Api-Key', 'X-Auth-Token', 'x-access-token'])] = fresh()),
    () => (requestHeaders['cookie'] = `_session=${fresh()}; _interaction=${fresh()}`),
    () =>
      (responseHeaders['set-cookie'] = [`_session=${fresh()}; Path=/; HttpOnly`, `b=${fresh()}`]),
    () => query.push(`${secretKey()}=${encodeURIComponent(fresh())}`),
    () => fragment.push(`${g.pick(TOKEN_KEYS)}=${encodeURIComponent(fresh())}`),
    () =>
      (responseHeaders['location'] =
        `io.example.app://cb?code=${encodeURIComponent(fresh())}&state=x`),
    () => form.append(secretKey(), fresh()),
    () => {
      let node: unknown = { [g.pick([...TOKEN_KEYS, ...SECRET_KEYS, ...JSON_ONLY_KEYS])]: fresh() };
      for (let depth = g.int(0, 6); depth > 0; depth -= 1) {
        node = g.random() < 0.3 ? [node, 'filler'] : { [g.pick(FILLER_KEYS)]: node, n: depth };
      }
      json = { outer: json, inner: node };
    },
    () => {
      const value = fresh();
      registered.push(value);
      text.push(`<p>Something failed for ${value}.</p>`);
    },
    // A JWT is recognised by its shape alone; an unregistered opaque token in prose cannot be.
    () => text.push(`<pre>${jwtOnly()}</pre>`),
    () => text.push(`<code>Authorization: Bearer ${fresh()}</code>`),
    () => text.push(`<a href="/cb?${g.pick(SECRET_KEYS)}=${fresh()}&amp;state=1">next</a>`),
    () => text.push(`{"${secretKey()}": "${fresh()}"}`),
    () => text.push(`<input type="hidden" name="${secretKey()}" value="${fresh()}">`),
    () => {
      const value = fresh();
      registered.push(value);
      notes.push(`engine handled ${value} at step token`);
    },
    () => {
      const value = fresh();
      registered.push(value);
      path = `/tokens/${encodeURIComponent(value)}/introspect`;
    },
    () => (error = `TypeError: fetch failed for http://x/cb?code=${fresh()}&state=1`),
  ];
  // A JWT placed into text with no hint around it at all.
  function jwtOnly(): string {
    let value = g.token();
    while (!value.startsWith('eyJ')) value = g.token();
    secrets.push(value);
    return value;
  }

  for (let i = g.int(3, 9); i > 0; i -= 1) g.pick(placements)();

  const htmlBody: RawHttpBody = {
    contentType: g.pick(['text/html; charset=utf-8', 'text/plain', null]),
    text: [...text, '</body></html>'].join('\n'),
  };
  const url = `http://127.0.0.1:3002${path}?${query.join('&')}${fragment.length ? `#${fragment.join('&')}` : ''}`;
  const inputs: TraceInput[] = [
    {
      type: 'http',
      exchange: {
        party: g.pick(['client', 'server', 'issuer'] as const),
        startedAt: '2026-05-01T10:00:00.000Z',
        durationMs: 1,
        request: {
          method: 'POST',
          url,
          headers: requestHeaders,
          body: { contentType: 'application/x-www-form-urlencoded', text: form.toString() },
        },
        response: {
          status: 200,
          statusText: 'OK',
          headers: responseHeaders,
          body: { contentType: 'application/json', text: JSON.stringify(json) },
        },
      },
    },
    {
      type: 'http',
      exchange: {
        party: 'client',
        startedAt: '2026-05-01T10:00:00.000Z',
        durationMs: 1,
        request: { method: 'GET', url: 'http://127.0.0.1:3001/page', headers: {} },
        response: { status: 500, statusText: 'Internal Server Error', headers: {}, body: htmlBody },
        ...(error === undefined ? {} : { error }),
      },
    },
    ...notes.map((message): TraceInput => ({ type: 'note', level: 'warning', message })),
  ];
  return { inputs, secrets, registered };
}

/** Every spelling of a value that would count as a leak. */
const spellings = (value: string): string[] => {
  const out = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  if (value.split('.').length === 3 && value.startsWith('eyJ')) out.add(value.split('.')[2] ?? '');
  return [...out].filter((s) => s.length >= 8);
};

describe('no secret survives export (property)', () => {
  it('holds for many random cases (TRACE_PROPERTY_CASES, default 400) across headers, URLs, forms, JSON and text', () => {
    for (let seed = 1; seed <= Number(process.env.TRACE_PROPERTY_CASES ?? 400); seed += 1) {
      const { inputs, secrets, registered } = buildCase(seed);
      const recorder = new TraceRecorder();
      // Half the cases run with a crowded registry (its indexed lookup), half with a small one.
      if (seed % 2 === 0) {
        for (let i = 0; i < 100; i += 1) recorder.secrets.register(`decoy-${seed}-${i}-secret`);
      }
      for (const value of registered) recorder.secrets.register(value, 'access_token');
      for (const input of inputs) recorder.record(input);
      const exported = recorder.export();
      for (const secret of secrets) {
        for (const spelling of spellings(secret)) {
          if (exported.includes(spelling)) {
            throw new Error(`seed ${seed}: ${JSON.stringify(spelling)} survived in\n${exported}`);
          }
        }
      }
      // What is not secret is still there.
      expect(exported).toContain('state=st-1');
      expect(exported).toContain('"grant_type": "authorization_code"');
    }
  });
});
