/**
 * "Would the server accept this token?" with real sandbox tokens and the bundled server's own
 * verifiers: the verdict, the reason that decides it, and why the token is a JWT or opaque.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  wouldServerAccept,
  type ServerTrust,
  type TokenVerdict,
} from '../../main/doctor/token-verdict';
import { tokensFor } from './issuer-helpers';
import { accessTokenClaims, foreignKey, readIssuerKey, signToken } from './server-helpers';
import { startTestSandbox } from '../support/sandbox';

const ALICE = { username: 'alice', password: 'alice-sandbox' };
const REDIRECT = 'http://127.0.0.1:7777/callback';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let trust: ServerTrust;
let jwt: string;
let opaque: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  trust = {
    issuer: sandbox.issuer.issuer,
    resource: sandbox.server.resource,
    verification: 'auto',
    requiredScopes: [],
  };
  const base = { client_id: 'sandbox-native', redirect_uri: REDIRECT };
  const withResource = await tokensFor(
    sandbox.issuer,
    { ...base, scope: 'openid profile whoami:read', resource: sandbox.server.resource },
    ALICE,
  );
  jwt = withResource.json.access_token as string;
  const without = await tokensFor(sandbox.issuer, { ...base, scope: 'openid profile' }, ALICE);
  opaque = without.json.access_token as string;
});
afterAll(() => sandbox.close());

const reason = (verdict: TokenVerdict, id: string) => verdict.reasons.find((r) => r.id === id);

describe('a JWT access token', () => {
  it('is accepted with every reason passing, and explained by the resource that was sent', async () => {
    const verdict = await wouldServerAccept(
      jwt,
      { ...trust, requiredScopes: ['whoami:read'] },
      {
        resourceSent: sandbox.server.resource,
      },
    );
    expect(verdict.accepted).toBe(true);
    expect(verdict.shape).toBe('jwt');
    expect(verdict.reasons.map((r) => [r.id, r.status])).toEqual([
      ['signature', 'pass'],
      ['iss', 'pass'],
      ['aud', 'pass'],
      ['exp', 'pass'],
      ['scopes', 'pass'],
    ]);
    expect(verdict.explainer).toContain(`resource indicator ${sandbox.server.resource}`);
    expect(verdict.judgedBy).toEqual({
      issuer: trust.issuer,
      resource: trust.resource,
      verification: 'auto',
    });
    expect(JSON.stringify(verdict)).not.toContain(jwt);
  });

  it('is refused by a server with another resource indicator: aud', async () => {
    const verdict = await wouldServerAccept(jwt, { ...trust, resource: 'http://localhost:4999/' });
    expect(verdict.accepted).toBe(false);
    expect(reason(verdict, 'aud')).toMatchObject({ status: 'fail' });
    expect(verdict.refusal).toMatch(/expected audience http:\/\/localhost:4999\//);
  });

  it('is refused by a server trusting another issuer: iss', async () => {
    const verdict = await wouldServerAccept(jwt, { ...trust, issuer: 'http://127.0.0.1:9/oidc' });
    expect(verdict.accepted).toBe(false);
    expect(reason(verdict, 'iss')?.status).toBe('fail');
    expect(reason(verdict, 'signature')?.status).toBe('warn');
  });

  it('is refused when signed by a key the issuer does not publish: signature', async () => {
    const forged = await signToken(
      await foreignKey(),
      accessTokenClaims({ issuer: trust.issuer, audience: trust.resource, subject: 'alice' }),
    );
    const verdict = await wouldServerAccept(forged, trust);
    expect(verdict.accepted).toBe(false);
    expect(reason(verdict, 'signature')?.status).toBe('fail');
  });

  it('is refused once expired: exp', async () => {
    const key = await readIssuerKey(sandbox.dataDir);
    const expired = await signToken(
      key,
      accessTokenClaims({
        issuer: trust.issuer,
        audience: trust.resource,
        subject: 'alice',
        extra: {
          iat: Math.floor(Date.now() / 1000) - 7200,
          exp: Math.floor(Date.now() / 1000) - 3600,
        },
      }),
    );
    const verdict = await wouldServerAccept(expired, trust);
    expect(verdict.accepted).toBe(false);
    expect(reason(verdict, 'exp')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^Expired 36\d\d s ago/),
    });
  });

  it('is refused when it lacks a scope the server requires: scopes', async () => {
    const verdict = await wouldServerAccept(jwt, { ...trust, requiredScopes: ['admin:all'] });
    expect(verdict.accepted).toBe(false);
    expect(reason(verdict, 'scopes')?.detail).toMatch(/Lacks admin:all: give the user a role/);
  });
});

describe('an opaque access token', () => {
  it('is accepted through userinfo, and explained by the missing resource', async () => {
    const verdict = await wouldServerAccept(opaque, trust);
    expect(verdict).toMatchObject({ accepted: true, shape: 'opaque' });
    expect(reason(verdict, 'userinfo')?.status).toBe('pass');
    expect(verdict.subject).toBeTruthy();
    expect(verdict.explainer).toMatch(/no resource indicator was sent/);
  });

  it('is refused by a server that verifies only JWTs', async () => {
    const verdict = await wouldServerAccept(opaque, { ...trust, verification: 'jwt' });
    expect(verdict.accepted).toBe(false);
    expect(reason(verdict, 'shape')?.detail).toMatch(/accepts only JWT access tokens/);
  });

  it('cannot carry an API permission the server requires', async () => {
    const verdict = await wouldServerAccept(opaque, { ...trust, requiredScopes: ['whoami:read'] });
    expect(verdict.accepted).toBe(false);
    expect(reason(verdict, 'scopes')?.detail).toMatch(/which an opaque token cannot carry/);
  });

  it('is refused by userinfo once it is garbage', async () => {
    const verdict = await wouldServerAccept('x'.repeat(43), trust);
    expect(verdict.accepted).toBe(false);
    expect(reason(verdict, 'userinfo')).toMatchObject({ status: 'fail' });
  });
});
