import { describe, expect, it } from 'vitest';
import { extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import {
  buildBearerChallenge,
  quoteString,
  sanitizeDescription,
} from '../../main/server/auth/challenge';
import { bearerChallenge, parseChallenges } from '../integration/server-helpers';

const headerResponse = (value: string) =>
  new Response(null, { status: 401, headers: { 'WWW-Authenticate': value } });

describe('RFC 6750 challenge building', () => {
  it('gives a request without credentials a bare challenge pointing at the metadata (no error code, RFC 6750 §3.1)', () => {
    const header = buildBearerChallenge({
      resourceMetadata: 'http://localhost:3001/.well-known/oauth-protected-resource',
      scope: 'openid profile whoami:read',
    });
    const parsed = bearerChallenge(header);
    expect(parsed.params).toEqual({
      resource_metadata: 'http://localhost:3001/.well-known/oauth-protected-resource',
      scope: 'openid profile whoami:read',
    });
    expect(parsed.params.error).toBeUndefined();
  });

  it('is read back identically by a strict RFC 9110 parser and by the MCP SDK client', () => {
    const header = buildBearerChallenge({
      error: 'insufficient_scope',
      errorDescription: 'The token lacks a required scope; this server requires: whoami:read.',
      resourceMetadata: 'http://localhost:3001/.well-known/oauth-protected-resource',
      scope: 'whoami:read',
    });
    expect(bearerChallenge(header).params).toEqual({
      error: 'insufficient_scope',
      error_description: 'The token lacks a required scope; this server requires: whoami:read.',
      resource_metadata: 'http://localhost:3001/.well-known/oauth-protected-resource',
      scope: 'whoami:read',
    });
    const sdk = extractWWWAuthenticateParams(headerResponse(header));
    expect(sdk.error).toBe('insufficient_scope');
    expect(sdk.scope).toBe('whoami:read');
    expect(sdk.resourceMetadataUrl?.href).toBe(
      'http://localhost:3001/.well-known/oauth-protected-resource',
    );
  });

  it('escapes quotes and backslashes (RFC 9110 quoted-string) so values survive a round trip', () => {
    expect(quoteString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    const [challenge] = parseChallenges(`Bearer x=${quoteString('a "quoted" \\path\\')}`);
    expect(challenge?.params.x).toBe('a "quoted" \\path\\');
  });

  it('keeps error_description inside the RFC 6750 §3 character set (no quote, backslash or non-ASCII)', () => {
    const text = sanitizeDescription('Expected "Bearer <token>" at C:\\ — café');
    expect(text).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]*$/);
    const header = buildBearerChallenge({
      error: 'invalid_request',
      errorDescription: 'Expected "Bearer <token>"',
    });
    expect(bearerChallenge(header).params.error_description).toBe("Expected 'Bearer <token>'");
  });

  it("would reject mcp-auth's own header for a malformed Authorization (unescaped quotes)", () => {
    // What mcp-auth 0.2.0 sends for "Authorization: Basic ...": this is why we adapt at the edge.
    const mcpAuthHeader =
      'Bearer error="invalid_auth_header_format", error_description="Invalid `Authorization` header format. Expected "Bearer <token>"."';
    expect(() => parseChallenges(mcpAuthHeader)).toThrow(/Malformed/);
  });
});

describe('the strict challenge parser used by the tests', () => {
  it('reads several challenges, token68 and case-insensitive names', () => {
    const parsed = parseChallenges(
      'Basic realm="x", Bearer ERROR=invalid_token, scope="a b", Negotiate abc==',
    );
    expect(parsed).toEqual([
      { scheme: 'Basic', params: { realm: 'x' } },
      { scheme: 'Bearer', params: { error: 'invalid_token', scope: 'a b' } },
      { scheme: 'Negotiate', token68: 'abc==', params: {} },
    ]);
  });

  it('rejects repeated parameters, stray quotes and missing commas', () => {
    expect(() => parseChallenges('Bearer a="1", a="2"')).toThrow();
    expect(() => parseChallenges('Bearer a="1" b="2"')).toThrow();
    expect(() => parseChallenges('Bearer a="unterminated')).toThrow();
  });
});
