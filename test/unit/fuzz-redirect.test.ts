/**
 * Seeded random callbacks against the RedirectReceiver and random argv against parseDeepLink:
 * nothing throws, a sign-in completes exactly when the response is a genuine one for it, a refused
 * response leaves the sign-in waiting, and every outcome is one clean sentence that never repeats
 * the authorization code.
 */
import { describe, expect, it } from 'vitest';
import { parseDeepLink } from '../../main/client/redirect/deep-link';
import { MAX_CALLBACK_URL_LENGTH, RedirectReceiver } from '../../main/client/redirect/receiver';
import { APP_REDIRECT_URI } from '../../main/shared/app-identity';
import { seededRandom } from '../support/seeded-random';

const ALPHABET = [
  'a',
  'Z',
  '0',
  ' ',
  '"',
  "'",
  '\\',
  '<',
  '>',
  '&',
  '=',
  '%',
  '#',
  '?',
  '+',
  '\u0000',
  '\u0007',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  'é',
  '€',
  '🔑',
  '\u200b',
];

function random(seed: number) {
  const r = seededRandom(seed);
  return { ...r, text: (max: number) => r.text(ALPHABET, max) };
}

const LOOPBACK = 'http://127.0.0.1:53682/callback';
const ISSUER = 'https://tenant.logto.app/oidc';
const CODE = 'codeCANARY-7f3a9c';
const ERRORS = ['access_denied', 'invalid_scope', 'server_error', 'temporarily_unavailable', 'x'];

interface Generated {
  url: string;
  source: 'loopback' | 'deep-link';
  /** Whether this response must complete the waiting sign-in (the oracle). */
  genuine: boolean;
}

function generate(
  r: ReturnType<typeof random>,
  flow: { state: string; redirectUri: string; expectedIssuer?: string },
): Generated {
  const bases = [
    flow.redirectUri,
    flow.redirectUri,
    flow.redirectUri,
    'http://127.0.0.1:53682/other',
    'http://127.0.0.1:1/callback',
    'http://localhost:53682/callback',
    'app.mcpauthdesktop://evil.example/oauth/callback',
    'APP.MCPAUTHDESKTOP:/oauth/callback',
    'https://evil.example/callback',
    'app.mcpauthdesktop:/oauth/other',
  ];
  const base = r.next() < 0.35 ? flow.redirectUri : r.pick(bases);
  const pieces: [string, string][] = [
    ['state', flow.state],
    ['state', flow.state],
    ['state', `${flow.state}x`],
    ['state', ''],
    ['code', CODE],
    ['code', CODE],
    ['code', ''],
    ['error', r.pick(ERRORS)],
    ['error_description', r.text(12)],
    ['iss', ISSUER],
    ['iss', 'https://evil.example/oidc'],
    ['junk', r.text(6)],
  ];
  const raw = ['%', '%Z', '%C3%28', '&&', '=', 'a=%GG', '%E0%A4%A'];
  const params: string[] = [];
  let broken = false;
  const nearlyGenuine = r.next() < 0.35;
  if (nearlyGenuine) {
    // Start from the genuine response (so the oracle sees both answers often), then disturb it.
    params.push(`code=${CODE}`, `state=${encodeURIComponent(flow.state)}`);
    if (flow.expectedIssuer) params.push(`iss=${encodeURIComponent(flow.expectedIssuer)}`);
    params.sort(() => r.next() - 0.5);
  }
  for (let i = nearlyGenuine ? r.int(3) : r.int(6); i > 0; i--) {
    if (r.next() < 0.08) {
      const piece = r.pick(raw);
      params.push(piece);
      if (/%/.test(piece)) broken = true;
      continue;
    }
    const [name, value] = r.pick(pieces);
    params.push(`${name}=${encodeURIComponent(value)}`);
  }
  const query = params.length ? `?${params.join('&')}` : '';
  const fragment = r.next() < 0.1 ? `#code=${CODE}&state=${flow.state}` : '';
  const url = `${base}${query}${fragment}`;
  const source: Generated['source'] =
    r.next() < 0.1
      ? r.pick(['loopback', 'deep-link'] as const)
      : base.startsWith('http')
        ? 'loopback'
        : 'deep-link';

  const parsed = new URL(url, 'http://unused.invalid');
  const sameBase =
    `${parsed.protocol}//${parsed.host}${parsed.pathname}` ===
    (() => {
      const expected = new URL(flow.redirectUri);
      return `${expected.protocol}//${expected.host}${expected.pathname}`;
    })();
  const names = [...parsed.searchParams.keys()];
  const value = (name: string) => {
    const v = parsed.searchParams.get(name);
    return v === null || v === '' ? undefined : v;
  };
  const genuine =
    !broken &&
    sameBase &&
    // A deep link is only ever our scheme (the loopback listener builds its own http URL).
    (source === 'loopback' || parsed.protocol === 'app.mcpauthdesktop:') &&
    url.length <= MAX_CALLBACK_URL_LENGTH &&
    names.length > 0 &&
    new Set(names).size === names.length &&
    value('state') === flow.state &&
    value('error') === undefined &&
    value('code') === CODE &&
    (flow.expectedIssuer === undefined || value('iss') === flow.expectedIssuer);
  return { url, source, genuine };
}

describe('RedirectReceiver under random callbacks', () => {
  it('completes a sign-in exactly for its genuine response, and otherwise explains itself', async () => {
    const r = random(0x5eed);
    let completed = 0;
    let failed = 0;
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const receiver = new RedirectReceiver();
      const state = `st${r.int(1e9).toString(36)}${'x'.repeat(r.int(3))}`;
      const redirectUri = r.next() < 0.5 ? LOOPBACK : APP_REDIRECT_URI;
      const expectedIssuer = r.next() < 0.5 ? ISSUER : undefined;
      const pending = receiver.expect({
        state,
        redirectUri,
        ...(expectedIssuer && { expectedIssuer }),
      });
      const generated = generate(r, {
        state,
        redirectUri,
        ...(expectedIssuer && { expectedIssuer }),
      });
      const result = receiver.deliver(generated.url, generated.source);
      const context = `${generated.source} ${generated.url.slice(0, 200)} → ${result.status}: ${result.message}`;

      expect(result.status === 'completed', context).toBe(generated.genuine);
      for (const text of [result.title, result.message, result.hint ?? 'ok']) {
        expect(text.length, context).toBeGreaterThan(1);
        expect(text.length, context).toBeLessThan(700);
        // eslint-disable-next-line no-control-regex
        expect(text, context).not.toMatch(/[\x00-\x1f\x7f]/);
        expect(text, context).not.toContain(CODE);
      }
      if (result.status === 'completed') {
        completed++;
        await expect(pending.promise).resolves.toMatchObject({ code: CODE, state });
      } else if (result.status === 'failed') {
        failed++;
        expect(receiver.isPending(state), context).toBe(false);
        await expect(pending.promise).rejects.toThrow(result.message);
      } else {
        refused++;
        expect(receiver.isPending(state), context).toBe(true);
        pending.cancel('test over');
      }
    }
    // The generator reaches every outcome often enough for the oracle to mean something.
    expect(completed).toBeGreaterThan(150);
    // (a bare callback no longer ends a flow: it is refused and the flow asks the person)
    expect(failed).toBeGreaterThan(25);
    expect(refused).toBeGreaterThan(600);
  });

  it('never lets a refused or foreign response reach another waiting sign-in', () => {
    const r = random(42);
    const receiver = new RedirectReceiver();
    const waiting = Array.from({ length: 5 }, (_, i) =>
      receiver.expect({ state: `waiting-${i}`, redirectUri: i % 2 ? LOOPBACK : APP_REDIRECT_URI }),
    );
    for (let i = 0; i < 2000; i++) {
      // Random responses for states nobody waits for, on every path, in both sources.
      const generated = generate(r, {
        state: `stranger-${i}`,
        redirectUri: r.pick([LOOPBACK, APP_REDIRECT_URI]),
      });
      const result = receiver.deliver(generated.url, generated.source);
      if (result.status !== 'rejected') {
        // Only a parameterless response may end a flow that is alone at its address: never here.
        expect.fail(`${generated.url} → ${result.status}`);
      }
    }
    expect(receiver.pendingCount).toBe(5);
    for (const flow of waiting) flow.cancel();
  });
});

describe('parseDeepLink under random argv', () => {
  it('never throws, and only ever hands on an app.mcpauthdesktop: URL within the size limit', () => {
    const r = random(7);
    const shapes = [
      () => `${APP_REDIRECT_URI}?code=${encodeURIComponent(r.text(8))}&state=s`,
      () => `"${APP_REDIRECT_URI}?state=${r.text(5)}"`,
      () => `APP.MCPAUTHDESKTOP:${r.text(10)}`,
      () => `app.mcpauthdesktop:${'x'.repeat(r.int(10_000))}`,
      () => `app.mcpauthdesktop.evil:/oauth/callback`,
      () => `--flag=${APP_REDIRECT_URI}`,
      () => `https://evil.example/${r.text(8)}`,
      () => `javascript:${r.text(8)}`,
      () => r.text(20),
      () => `app.mcpauthdesktop:/oauth/callback?state=\ud800${r.text(3)}`,
      () => `  ${APP_REDIRECT_URI}#${r.text(6)}  `,
    ];
    for (let i = 0; i < 2000; i++) {
      const argv = Array.from({ length: r.int(5) }, () => r.pick(shapes)());
      const input: readonly string[] | string = r.next() < 0.3 ? (argv[0] ?? '') : argv;
      const parsed = parseDeepLink(input);
      if (parsed.ok) {
        expect(parsed.url.startsWith('app.mcpauthdesktop:')).toBe(true);
        expect(parsed.url.length).toBeLessThanOrEqual(MAX_CALLBACK_URL_LENGTH);
        expect(() => new URL(parsed.url)).not.toThrow();
      } else {
        expect(parsed.reason).toMatch(/^(No|Ignored) /);
        // eslint-disable-next-line no-control-regex
        expect(parsed.reason).not.toMatch(/[\x00-\x1f\x7f]/);
      }
    }
  });
});
