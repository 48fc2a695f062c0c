import { describe, expect, it } from 'vitest';
import {
  readOldTokenAnswer,
  readRevocationAnswer,
} from '../../main/client/engine/sign-out-answers';

describe('reading the answers sign-out gets', () => {
  it('revocation: the status, and a note only for unsupported_token_type', () => {
    expect(readRevocationAnswer(200, undefined)).toEqual({ status: 200 });
    expect(readRevocationAnswer(400, { error: 'invalid_client' })).toEqual({ status: 400 });
    expect(readRevocationAnswer(400, { error: 'unsupported_token_type' })).toEqual({
      status: 400,
      note: 'The issuer cannot revoke this token type (a JWT access token is self-contained).',
    });
    expect(readRevocationAnswer(502, 'not json')).toEqual({ status: 502 });
  });

  it('the old token refused: rejected, whatever the token kind', () => {
    expect(readOldTokenAnswer(401, true, null)).toEqual({
      status: 401,
      accepted: false,
      explanation: 'the server rejects it.',
    });
  });

  it('a JWT still accepted: self-contained until it expires', () => {
    const answer = readOldTokenAnswer(200, true, 'mcp-auth; hit; ttl=30');
    expect(answer.accepted).toBe(true);
    expect(answer.explanation).toMatch(/JWT access token is self-contained/);
    expect(answer.explanation).not.toMatch(/30 s/);
  });

  it('an opaque token still accepted: the cache window, when the server says it (RFC 9211)', () => {
    expect(readOldTokenAnswer(200, false, 'mcp-auth; hit; ttl=42').explanation).toMatch(
      /cache entry expires \(this server says: in about 42 s\)\.$/,
    );
    expect(readOldTokenAnswer(200, false, 'mcp-auth; fwd=miss; ttl=42').explanation).toMatch(
      /cache entry expires\.$/,
    );
    expect(readOldTokenAnswer(200, false, null).explanation).toMatch(/cache entry expires\.$/);
  });
});
