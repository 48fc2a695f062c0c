/**
 * Seeded random text through the server's challenge builder and token classifier: whatever a
 * description or a token holds (quotes, backslashes, commas, CR/LF, NUL, unicode), the header
 * stays one printable-ASCII line that a strict RFC 9110 parser and the MCP SDK client read back
 * as exactly one Bearer challenge, and classifying a token never throws.
 */
import { extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { describe, expect, it } from 'vitest';
import {
  buildBearerChallenge,
  sanitizeDescription,
  type BearerErrorCode,
} from '../../main/server/auth/challenge';
import { looksLikeJwt } from '../../main/server/auth/verify-token';
import { bearerChallenge } from '../integration/server-helpers';
import { seededRandom } from '../support/seeded-random';

const ALPHABET = [
  ...'aZ09 .,;:=/-_~+',
  '"',
  '\\',
  '\\"',
  '", error="none',
  '\r\n',
  '\r\nSet-Cookie: x=1',
  '\n',
  '\t',
  '\u0000',
  '\u007f',
  '\u0085',
  '\u2028',
  'é',
  '€',
  '🔑',
  '\ud800',
];

function random(seed: number) {
  const r = seededRandom(seed);
  return { ...r, text: (max: number) => r.text(ALPHABET, max) };
}

const ERRORS: BearerErrorCode[] = ['invalid_request', 'invalid_token', 'insufficient_scope'];

describe('WWW-Authenticate under random text', () => {
  it('stays one printable ASCII line that strict and SDK parsers read back exactly', () => {
    const r = random(0xc4a1);
    for (let i = 0; i < 2000; i++) {
      const error = r.next() < 0.8 ? r.pick(ERRORS) : undefined;
      const description = r.text(40);
      // A URL from the server's own config: URL characters only (the SDK's regex reader does not
      // undo quoted-pairs, and a real metadata URL never needs them).
      const resourceMetadata = `http://localhost:3001/.well-known/oauth-protected-resource${r.pick(['', '/mcp', '/sse?x=1,2;y'])}`;
      const scope = r.next() < 0.5 ? r.text(10) : undefined;
      const header = buildBearerChallenge({
        ...(error && { error }),
        errorDescription: description,
        resourceMetadata,
        ...(scope && { scope }),
      });
      const context = JSON.stringify({ error, description, scope });

      // No CR/LF (header injection), nothing outside printable ASCII.
      expect(header, context).toMatch(/^[\x20-\x7e]+$/);
      const parsed = bearerChallenge(header);
      const printable = (value: string) => value.replace(/[^\x20-\x7e]/g, '?');
      expect(parsed.params.resource_metadata, context).toBe(resourceMetadata);
      if (scope) expect(parsed.params.scope, context).toBe(printable(scope));
      if (error) {
        expect(parsed.params.error, context).toBe(error);
        if (description) {
          // RFC 6750 §3: the description never holds '"' or '\', so naive readers see it whole.
          expect(parsed.params.error_description, context).toBe(sanitizeDescription(description));
          expect(parsed.params.error_description, context).not.toMatch(/["\\]/);
        }
      } else {
        expect(Object.keys(parsed.params).sort(), context).toEqual(
          ['resource_metadata', ...(scope ? ['scope'] : [])].sort(),
        );
      }
      // The MCP SDK client finds the same metadata URL and error code.
      const sdk = extractWWWAuthenticateParams(
        new Response(null, { status: 401, headers: { 'WWW-Authenticate': header } }),
      );
      expect(sdk.resourceMetadataUrl?.href, context).toBe(
        new URL(printable(resourceMetadata)).href,
      );
      if (error) expect(sdk.error, context).toBe(error);
    }
  });
});

describe('looksLikeJwt under random tokens', () => {
  it('never throws, and says yes only to three base64url segments whose header names an alg', () => {
    const r = random(99);
    const b64 = (value: string) => Buffer.from(value).toString('base64url');
    const shapes = [
      () => r.text(30),
      () => `${b64(r.text(20))}.${b64(r.text(20))}.${b64(r.text(20))}`,
      () =>
        `${b64(`{"alg":${r.pick(['"ES384"', '1', 'null', '"none"', '[]'])}}`)}.${b64('{}')}.sig`,
      () => `${b64(r.pick(['[]', 'null', '"alg"', '{"alg":"x"', '{"ALG":"x"}']))}.e30.sig`,
      () => `${b64('{"alg":"ES384"}')}.${r.text(8)}.${r.text(8)}`,
      () => Array.from({ length: r.int(7) }, () => b64(r.text(6))).join('.'),
    ];
    let yes = 0;
    for (let i = 0; i < 3000; i++) {
      const token = r.pick(shapes)();
      const verdict = looksLikeJwt(token);
      if (verdict) {
        yes++;
        const parts = token.split('.');
        expect(parts, token).toHaveLength(3);
        expect(
          parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p)),
          token,
        ).toBe(true);
        const header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString()) as {
          alg?: unknown;
        };
        expect(typeof header.alg, token).toBe('string');
      }
    }
    expect(yes).toBeGreaterThan(100);
  });
});
