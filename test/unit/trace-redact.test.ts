import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RedactedToken } from '../../main/trace';
import {
  createRedactionContext,
  fingerprint,
  redactBody,
  redactForm,
  redactHeaders,
  redactJson,
  redactText,
  redactToken,
  redactUrl,
} from '../../main/trace';
import { SecretRegistry } from '../../main/trace/secret-registry';

let accessToken: string;

beforeAll(async () => {
  const { privateKey } = await generateKeyPair('ES384');
  accessToken = await new SignJWT({
    scope: 'read:profile',
    client_id: 'desktop-app',
  })
    .setProtectedHeader({ alg: 'ES384', typ: 'at+jwt', kid: 'key-1' })
    .setIssuer('http://127.0.0.1:3002/oidc')
    .setAudience('http://localhost:3001/')
    .setSubject('user-1')
    .setExpirationTime('1h')
    .sign(privateKey);
});

const CODE = 'Zq3mV0cK1pR8sYw2tXn4bLh6jDf9gAe5uCo7iNkMvQy';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

describe('tokens', () => {
  it("keeps a JWT's header and claims, never its signature or raw text", () => {
    const token = redactToken(accessToken);
    expect(token).toMatchObject({
      redacted: 'token',
      kind: 'jwt',
      length: accessToken.length,
      jwt: {
        header: { alg: 'ES384', typ: 'at+jwt', kid: 'key-1' },
        payload: {
          iss: 'http://127.0.0.1:3002/oidc',
          aud: 'http://localhost:3001/',
          scope: 'read:profile',
          sub: 'user-1',
        },
      },
    });
    expect(typeof token.jwt?.payload['exp']).toBe('number');
    const signature = accessToken.split('.')[2] ?? '';
    expect(JSON.stringify(token)).not.toContain(signature);
    expect(JSON.stringify(token)).not.toContain(accessToken);
  });

  it('gives an opaque token a fingerprint and length only, equal for equal tokens', () => {
    const opaque = 'xYz0123456789abcdefghijklmnopqrstuvwxyzABCD';
    expect(redactToken(opaque)).toEqual({
      redacted: 'token',
      kind: 'opaque',
      fingerprint: fingerprint(opaque),
      length: 43,
    });
    expect(fingerprint(opaque)).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(redactToken(opaque).fingerprint).toBe(redactToken(opaque).fingerprint);
  });
});

describe('URLs', () => {
  it('masks the code of an authorization callback and keeps state, iss and the rest', () => {
    const url = `io.example.app://callback?code=${CODE}&state=st_4f2a&iss=http%3A%2F%2F127.0.0.1%3A3002%2Foidc`;
    const out = redactUrl(url);
    expect(out).not.toContain(CODE);
    expect(out).toBe(
      `io.example.app://callback?code=«redacted code ${fingerprint(CODE)}»&state=st_4f2a&iss=http%3A%2F%2F127.0.0.1%3A3002%2Foidc`,
    );
  });

  it('keeps authorization request parameters that are not secret (code_challenge is a hash)', () => {
    const url =
      'http://127.0.0.1:3002/oidc/auth?response_type=code&client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%3A5173%2Fcb' +
      '&scope=openid%20offline_access&resource=http%3A%2F%2Flocalhost%3A3001%2F&state=abc123&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256';
    expect(redactUrl(url)).toBe(url);
  });

  it('masks tokens in the fragment and in logout hints, with their claims kept aside', () => {
    const ctx = createRedactionContext();
    const out = redactUrl(
      `http://127.0.0.1:3002/oidc/session/end?id_token_hint=${accessToken}&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%2F#access_token=${accessToken}&token_type=Bearer`,
      ctx,
    );
    expect(out).not.toContain(accessToken);
    expect(out).toContain(`id_token_hint=«redacted jwt ${fingerprint(accessToken)}»`);
    expect(out).toContain('token_type=Bearer');
    expect(out).toContain('post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%2F');
    expect([...ctx.tokens.values()][0]?.jwt?.payload['aud']).toBe('http://localhost:3001/');
  });

  it('masks a password in the URL and secrets hidden in a nested, encoded redirect URL', () => {
    expect(redactUrl('https://alice:hunter2hunter2@example.com/x')).toBe(
      'https://alice:«redacted password»@example.com/x',
    );
    const nested = `http://a/?next=${encodeURIComponent(`http://b/cb?code=${CODE}&state=s`)}`;
    const out = redactUrl(nested);
    expect(out).not.toContain(CODE);
    expect(out).not.toContain(encodeURIComponent(CODE));
    expect(out).toContain('state=s');
  });
});

describe('headers', () => {
  it('shows Bearer tokens as markers and keeps the client id of Basic credentials', () => {
    const basic = Buffer.from('desktop-app:s3cr3t~client~secret').toString('base64');
    const out = redactHeaders({
      Authorization: `Bearer ${accessToken}`,
      'Proxy-Authorization': `Basic ${basic}`,
    });
    expect(out['authorization']).toBe(`Bearer «redacted jwt ${fingerprint(accessToken)}»`);
    expect(out['proxy-authorization']).toBe(
      `Basic desktop-app:«redacted client_secret ${fingerprint('s3cr3t~client~secret')}»`,
    );
    expect(JSON.stringify(out)).not.toContain(basic);
  });

  it('decodes a form-encoded Basic client id (RFC 6749 §2.3.1)', () => {
    const basic = Buffer.from('my%20app:p%2Bss-word-123').toString('base64');
    const out = redactHeaders({ authorization: `Basic ${basic}` });
    expect(out['authorization']).toBe(
      `Basic my app:«redacted client_secret ${fingerprint('p+ss-word-123')}»`,
    );
  });

  it('masks cookie values and keeps cookie names and attributes', () => {
    const out = redactHeaders({
      cookie: '_session=9f8e7d6c5b4a39281706; _interaction=abcdefghij0123; theme=dark',
      'set-cookie': [
        '_session=9f8e7d6c5b4a39281706; Path=/; HttpOnly; SameSite=Lax',
        '_interaction_resume=zyxwvutsrq98765; Path=/oidc/auth; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
      ],
    });
    expect(out['cookie']).toBe(
      `_session=«redacted cookie ${fingerprint('9f8e7d6c5b4a39281706')}»; _interaction=«redacted cookie ${fingerprint('abcdefghij0123')}»; theme=«redacted cookie»`,
    );
    expect(out['set-cookie']).toBe(
      `_session=«redacted cookie ${fingerprint('9f8e7d6c5b4a39281706')}»; Path=/; HttpOnly; SameSite=Lax\n` +
        `_interaction_resume=«redacted cookie ${fingerprint('zyxwvutsrq98765')}»; Path=/oidc/auth; Expires=Wed, 21 Oct 2026 07:28:00 GMT`,
    );
  });

  it('keeps WWW-Authenticate challenges whole and masks the code in a Location', () => {
    const challenge =
      'Bearer realm="mcp", error="invalid_token", error_description="token expired", resource_metadata="http://localhost:3001/.well-known/oauth-protected-resource"';
    const out = redactHeaders({
      'WWW-Authenticate': challenge,
      Location: `http://127.0.0.1:5173/callback?code=${CODE}&state=xyz`,
      DPoP: accessToken,
      'X-Api-Key': 'sk_live_0123456789abcdef',
      'Mcp-Session-Id': 'b3c1b0f2-6f0e-4d5c-9d36-0c3c2f4f7e11',
    });
    expect(out['www-authenticate']).toBe(challenge);
    expect(out['location']).toBe(
      `http://127.0.0.1:5173/callback?code=«redacted code ${fingerprint(CODE)}»&state=xyz`,
    );
    expect(out['dpop']).toBe(`«redacted jwt ${fingerprint(accessToken)}»`);
    expect(out['x-api-key']).toBe(
      `«redacted x-api-key ${fingerprint('sk_live_0123456789abcdef')}»`,
    );
    expect(out['mcp-session-id']).toBe('b3c1b0f2-6f0e-4d5c-9d36-0c3c2f4f7e11');
  });
});

describe('bodies', () => {
  it("masks a token request's code, code_verifier and client_secret, keeps grant_type and redirect_uri", () => {
    const form = redactForm(
      new URLSearchParams({
        grant_type: 'authorization_code',
        code: CODE,
        code_verifier: VERIFIER,
        client_secret: 'client-secret-value-1',
        redirect_uri: 'http://127.0.0.1:5173/callback',
        resource: 'http://localhost:3001/',
      }).toString() + '&resource=http%3A%2F%2Fother%2F',
    );
    expect(form).toEqual({
      grant_type: 'authorization_code',
      code: `«redacted code ${fingerprint(CODE)}»`,
      code_verifier: `«redacted code_verifier ${fingerprint(VERIFIER)}»`,
      client_secret: `«redacted client_secret ${fingerprint('client-secret-value-1')}»`,
      redirect_uri: 'http://127.0.0.1:5173/callback',
      resource: ['http://localhost:3001/', 'http://other/'],
    });
  });

  it('never fingerprints a password', () => {
    const form = redactForm('username=alice&password=correct-horse-battery');
    expect(form).toEqual({ username: 'alice', password: '«redacted password»' });
  });

  it('redacts JSON at any depth, by key and by shape, and leaves Logto error codes readable', () => {
    const out = redactJson({
      error: 'invalid_grant',
      code: 'oidc.invalid_grant',
      message: 'Grant request is invalid.',
      data: [
        { nested: { refreshToken: 'opaque-refresh-0123456789', keep: 'visible' } },
        { registration_access_token: 'reg-token-0123456789' },
        { anywhere: accessToken },
      ],
      jwks: { keys: [{ kty: 'EC', crv: 'P-384', x: 'xx', y: 'yy', d: 'private-d-value' }] },
      rpc: { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' } },
    }) as Record<string, unknown>;
    const text = JSON.stringify(out);
    for (const raw of [
      'opaque-refresh-0123456789',
      'reg-token-0123456789',
      accessToken,
      'private-d-value',
    ]) {
      expect(text).not.toContain(raw);
    }
    expect(out['code']).toBe('oidc.invalid_grant');
    expect(text).toContain('"keep":"visible"');
    expect(text).toContain('"code":-32600');
    const anywhere = ((out['data'] as unknown[])[2] as { anywhere: RedactedToken }).anywhere;
    expect(anywhere.kind).toBe('jwt');
  });

  it('treats a JSON token request (Logto accepts them) like a form', () => {
    const body = redactBody({
      contentType: 'application/json',
      text: JSON.stringify({
        grant_type: 'authorization_code',
        code: CODE,
        code_verifier: VERIFIER,
      }),
    });
    expect(body.json).toEqual({
      grant_type: 'authorization_code',
      code: `«redacted code ${fingerprint(CODE)}»`,
      code_verifier: `«redacted code_verifier ${fingerprint(VERIFIER)}»`,
    });
  });

  it('still masks secret fields in a truncated JSON body, and drops a half-cut token at the end', () => {
    const full = JSON.stringify({
      access_token: 'opaque-access-0123456789',
      refresh_token: 'opaque-refresh-abcdefghij',
    });
    const cut = full.slice(0, full.length - 10);
    const body = redactBody({
      contentType: 'application/json',
      text: cut,
      truncated: true,
      bytes: full.length,
    });
    expect(body.truncated).toBe(true);
    expect(body.json).toBeUndefined();
    expect(body.text).not.toContain('opaque-access-0123456789');
    expect(body.text).not.toContain('opaque-refresh-a');
    expect(body.text).toContain('"access_token":"«redacted token');
  });
});

describe('free text', () => {
  it('masks secrets in HTML: hidden inputs, password inputs, links and bearer credentials', () => {
    const html = `<form method="post" action="http://127.0.0.1:5173/cb">
<input type="hidden" name="code" value="${CODE}"><input type="hidden" name="state" value="state-1">
<input type="password" name="pw" value="typed-password-1"></form>
<a href="http://x/cb?code=${CODE}&amp;state=state-1">continue</a>
<pre>Authorization: Bearer opaque_0123456789abcdef</pre>`;
    const out = redactText(html);
    expect(out).not.toContain(CODE);
    expect(out).not.toContain('typed-password-1');
    expect(out).not.toContain('opaque_0123456789abcdef');
    expect(out).toContain('name="state" value="state-1"');
    expect(out).toContain('&amp;state=state-1');
  });

  it('masks registered values wherever they appear, including URL-encoded', () => {
    const registry = new SecretRegistry();
    registry.register('s3cr3t/value+with=chars', 'client_secret');
    registry.register('short', 'client_secret'); // under 8 characters: ignored, would over-match
    const ctx = createRedactionContext(registry);
    const out = redactText(
      'bad secret s3cr3t/value+with=chars or s3cr3t%2Fvalue%2Bwith%3Dchars; short is fine',
      ctx,
    );
    expect(out).not.toContain('s3cr3t');
    expect(out).toContain('short is fine');
  });

  it('leaves prose alone: "Bearer authentication", "basic setup", exit code=1', () => {
    const prose = 'Bearer authentication failed; see basic setup; exit code=1; response_type=code';
    expect(redactText(prose)).toBe(prose);
  });

  it('does not mask a mask twice (redaction is idempotent)', () => {
    const once = redactUrl(`http://x/cb?code=${CODE}&state=s`);
    expect(redactUrl(once)).toBe(once);
    expect(
      redactText(
        `${once} ${redactHeaders({ authorization: `Bearer ${accessToken}` })['authorization']}`,
      ),
    ).toBe(`${once} Bearer «redacted jwt ${fingerprint(accessToken)}»`);
  });
});
