/**
 * The whole story over real HTTP: the official MCP SDK client meets the bundled server's 401,
 * discovers the sandbox issuer, signs in through its pages (and consent), exchanges the code and
 * calls whoami. Both token paths (JWT with `resource`, opaque + userinfo without) and both
 * transports (Streamable HTTP, legacy SSE).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestOAuthProvider, type TestProviderOptions } from '../support/oauth-provider';
import { startTestSandbox } from '../support/sandbox';
import { signIn, type SignInResult } from '../support/sign-in';

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
type TransportKind = 'streamable-http' | 'sse';

const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

interface WhoamiResult {
  subject: string;
  issuer: string;
  clientId: string | null;
  audience: string | string[] | null;
  scopes: string[];
  verifiedBy: 'jwt' | 'userinfo';
  expiresAt: string | null;
  claims: Record<string, unknown>;
}

async function signInAndCallWhoami(
  sandbox: Sandbox,
  kind: TransportKind,
  provider: TestOAuthProvider,
  user: { username: string; password: string },
  consent?: 'allow' | 'deny',
): Promise<{ whoami?: WhoamiResult; signIn: SignInResult }> {
  const makeTransport = () =>
    kind === 'sse'
      ? new SSEClientTransport(new URL(sandbox.server.sseUrl), { authProvider: provider })
      : new StreamableHTTPClientTransport(new URL(sandbox.server.url), { authProvider: provider });

  const first = makeTransport();
  await expect(new Client({ name: 'test', version: '1' }).connect(first)).rejects.toThrow(
    UnauthorizedError,
  );
  expect(provider.authorizationUrl, 'the SDK asked to open the sign-in page').toBeDefined();

  const result = await signIn(provider.authorizationUrl!, {
    ...user,
    redirectUri: REDIRECT_URI,
    ...(consent && { consent }),
  });
  const code = result.callback.searchParams.get('code');
  if (!code) return { signIn: result };
  await first.finishAuth(code);

  const client = new Client({ name: 'test', version: '1' });
  await client.connect(makeTransport());
  try {
    const call = await client.callTool({ name: 'whoami', arguments: {} });
    expect(call.isError).toBeFalsy();
    return { whoami: call.structuredContent as unknown as WhoamiResult, signIn: result };
  } finally {
    await client.close();
  }
}

describe('the MCP SDK client signs in at the sandbox issuer and calls whoami', () => {
  let sandbox: Sandbox;
  let alice: { id: string; username: string; password: string; email: string };
  let bob: { id: string; username: string; password: string };
  let thirdParty: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const users = sandbox.issuer.users;
    alice = users.find((u) => u.username === 'alice')!;
    bob = users.find((u) => u.username === 'bob')!;
    const client = sandbox.issuer.clients.find((c) => !c.firstParty && c.clientSecret)!;
    thirdParty = { clientId: client.clientId, clientSecret: client.clientSecret! };
  });
  afterAll(() => sandbox?.close());

  const native = (extra: Partial<TestProviderOptions> = {}) =>
    new TestOAuthProvider({ redirectUri: REDIRECT_URI, clientId: 'sandbox-native', ...extra });

  describe.each<TransportKind>(['streamable-http', 'sse'])('over %s', (kind) => {
    it('with a resource indicator: a JWT for the server, verified by signature', async () => {
      const provider = native();
      const { whoami, signIn } = await signInAndCallWhoami(sandbox, kind, provider, alice);

      expect(signIn.pagesSeen).toEqual(['sign-in']); // first-party: no consent screen
      expect(provider.authorizationUrl!.searchParams.get('resource')).toBe(sandbox.server.resource);
      expect(provider.authorizationUrl!.searchParams.get('code_challenge_method')).toBe('S256');
      const accessToken = provider.tokens()!.access_token;
      expect(decodeProtectedHeader(accessToken)).toMatchObject({ typ: 'at+jwt', alg: 'ES384' });

      expect(whoami).toMatchObject({
        subject: alice.id,
        issuer: sandbox.issuer.issuer,
        clientId: 'sandbox-native',
        audience: sandbox.server.resource,
        scopes: ['whoami:read'],
        verifiedBy: 'jwt',
      });
      expect(Date.parse(whoami!.expiresAt!)).toBeGreaterThan(Date.now());
      expect(JSON.stringify(whoami)).not.toContain(accessToken);
    });

    it('without a resource indicator: an opaque token, verified at userinfo', async () => {
      const provider = native({ sendResource: false });
      const { whoami } = await signInAndCallWhoami(sandbox, kind, provider, alice);

      expect(provider.authorizationUrl!.searchParams.has('resource')).toBe(false);
      const accessToken = provider.tokens()!.access_token;
      expect(accessToken).toMatch(/^[\w-]{43}$/); // Logto's opaque token shape
      expect(whoami).toMatchObject({
        subject: alice.id,
        issuer: sandbox.issuer.issuer,
        verifiedBy: 'userinfo',
        // The server asks for openid and profile only (no email), so no email claim.
        claims: { sub: alice.id, username: 'alice', name: 'Alice Liddell' },
      });
    });
  });

  it('a third-party client shows the consent screen, and Allow leads to whoami', async () => {
    const provider = native({ ...thirdParty });
    const { whoami, signIn } = await signInAndCallWhoami(
      sandbox,
      'streamable-http',
      provider,
      alice,
      'allow',
    );
    expect(signIn.pagesSeen).toEqual(['sign-in', 'consent']);
    expect(whoami).toMatchObject({ subject: alice.id, clientId: thirdParty.clientId });
  });

  it("Deny on the consent screen returns to the bare redirect URI, as Logto's Cancel does", async () => {
    const provider = native({ ...thirdParty });
    const { whoami, signIn } = await signInAndCallWhoami(
      sandbox,
      'streamable-http',
      provider,
      alice,
      'deny',
    );
    expect(whoami).toBeUndefined();
    expect([...signIn.callback.searchParams.keys()]).toEqual([]);
  });

  it("a user's roles decide the API scopes in the JWT", async () => {
    const provider = native();
    const { whoami } = await signInAndCallWhoami(sandbox, 'streamable-http', provider, bob);
    expect(whoami).toMatchObject({ subject: bob.id, verifiedBy: 'jwt', scopes: [] });
  });
});
