import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIssuer, type RunningIssuer } from '../../main/issuer';
import { startMcpServer, type RunningMcpServer, type WhoamiResult } from '../../main/server';
import {
  MCP_POST_HEADERS,
  accessTokenClaims,
  bearerChallenge,
  freePort,
  initializeBody,
  openSseStream,
  readIssuerKey,
  signInForTokens,
  signToken,
  type SigningKey,
} from './server-helpers';

const ALICE = { username: 'alice', password: 'alice-sandbox' };
const BOB = { username: 'bob', password: 'bob-sandbox' };

let dataDir: string;
let issuer: RunningIssuer;
let key: SigningKey;
let server: RunningMcpServer;
let strict: RunningMcpServer;
let aliceId: string;
let bobId: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mcp-server-transports-'));
  // The issuer must know both servers' resource indicators before they start (as on Logto).
  const [port, strictPort] = [await freePort(), await freePort()];
  const apiResource = (indicator: string) => ({
    indicator,
    name: 'MCP server under test',
    scopes: [{ name: 'whoami:read', description: 'whoami' }],
    accessTokenTtlSec: 3600,
  });
  issuer = await startIssuer({
    port: 0,
    dataDir,
    apiResources: [
      apiResource(`http://localhost:${port}/`),
      apiResource(`http://localhost:${strictPort}/`),
    ],
  });
  key = await readIssuerKey(dataDir);
  server = await startMcpServer({ port, issuer: issuer.issuer });
  strict = await startMcpServer({
    port: strictPort,
    issuer: issuer.issuer,
    requiredScopes: ['whoami:read'],
  });
  aliceId = issuer.users.find((u) => u.username === 'alice')?.id ?? '';
  bobId = issuer.users.find((u) => u.username === 'bob')?.id ?? '';
});

afterAll(async () => {
  await server?.close();
  await strict?.close();
  await issuer?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function forgedJwt(subject: string, target = server, scope = 'whoami:read') {
  return signToken(
    key,
    accessTokenClaims({ issuer: issuer.issuer, audience: target.resource, subject, scope }),
  );
}

async function callWhoami(transport: Transport): Promise<{ result: WhoamiResult; text: string }> {
  const client = new Client({ name: 'server-transports-test', version: '0.0.0' });
  await client.connect(transport);
  try {
    const tools = await client.listTools();
    const whoami = tools.tools.find((t) => t.name === 'whoami');
    expect(whoami?.title).toBe('Who am I?');
    expect(whoami?.annotations?.readOnlyHint).toBe(true);
    const response = await client.callTool({ name: 'whoami' });
    const content = response.content as Array<{ type: string; text: string }>;
    return { result: response.structuredContent as WhoamiResult, text: content[0]?.text ?? '' };
  } finally {
    await client.close();
  }
}

const streamable = (token: string, target = server) =>
  new StreamableHTTPClientTransport(new URL(target.url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
const sse = (token: string, target = server) =>
  new SSEClientTransport(new URL(target.sseUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });

describe('whoami through the real MCP SDK client', () => {
  it('Streamable HTTP + JWT: subject, client, audience, scopes and expiry from the token', async () => {
    const token = await forgedJwt(aliceId);
    const { result, text } = await callWhoami(streamable(token));
    expect(result).toMatchObject({
      authenticated: true,
      subject: aliceId,
      issuer: issuer.issuer,
      clientId: 'sandbox-native',
      audience: server.resource,
      scopes: ['whoami:read'],
      verifiedBy: 'jwt',
    });
    expect(result.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(result.claims.sub).toBe(aliceId);
    expect(JSON.parse(text)).toEqual(result);
    expect(text).not.toContain(token);
  });

  it('SSE + opaque token from a real sign-in: verified at userinfo, with the profile claims', async () => {
    const tokens = await signInForTokens(issuer.issuer, ALICE);
    expect(tokens.access_token.split('.')).toHaveLength(1);
    const { result, text } = await callWhoami(sse(tokens.access_token));
    expect(result).toMatchObject({
      authenticated: true,
      subject: aliceId,
      issuer: issuer.issuer,
      clientId: null,
      audience: null,
      verifiedBy: 'userinfo',
      expiresAt: null,
    });
    expect(result.claims).toMatchObject({
      sub: aliceId,
      username: 'alice',
      email: 'alice@sandbox.test',
    });
    expect(text).not.toContain(tokens.access_token);
  });

  it('Streamable HTTP + opaque token and SSE + JWT work too', async () => {
    const opaque = (await signInForTokens(issuer.issuer, BOB)).access_token;
    expect((await callWhoami(streamable(opaque))).result).toMatchObject({
      subject: bobId,
      verifiedBy: 'userinfo',
    });
    const jwt = await forgedJwt(bobId);
    expect((await callWhoami(sse(jwt))).result).toMatchObject({
      subject: bobId,
      verifiedBy: 'jwt',
    });
  });

  it('a JWT the issuer really issued for this resource (sign-in with resource) is accepted', async () => {
    const tokens = await signInForTokens(issuer.issuer, ALICE, {
      scope: 'openid whoami:read',
      resource: server.resource,
    });
    const { result } = await callWhoami(streamable(tokens.access_token));
    expect(result).toMatchObject({
      subject: aliceId,
      verifiedBy: 'jwt',
      scopes: ['whoami:read'],
      clientId: 'sandbox-native',
    });
  });
});

describe('required scopes (MCP step-up)', () => {
  it("answers bob's real token (no API permission) with 403 insufficient_scope naming the scope", async () => {
    const bob = await signInForTokens(issuer.issuer, BOB, {
      scope: 'openid whoami:read',
      resource: strict.resource,
    });
    const response = await fetch(strict.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${bob.access_token}` },
      body: initializeBody(),
    });
    expect(response.status).toBe(403);
    const challenge = bearerChallenge(response.headers.get('www-authenticate'));
    expect(challenge.params).toMatchObject({
      error: 'insufficient_scope',
      scope: 'whoami:read',
      resource_metadata: strict.resourceMetadataUrl,
    });
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('insufficient_scope');
    expect(JSON.stringify(body)).not.toContain(bob.access_token);
  });

  it("lets alice's real token (whoami:read through her role) in", async () => {
    const alice = await signInForTokens(issuer.issuer, ALICE, {
      scope: 'openid whoami:read',
      resource: strict.resource,
    });
    const { result } = await callWhoami(streamable(alice.access_token, strict));
    expect(result.scopes).toContain('whoami:read');
  });

  it('cannot credit scopes to an opaque token (userinfo does not say), so it is refused with 403', async () => {
    const opaque = (await signInForTokens(issuer.issuer, ALICE)).access_token;
    const response = await fetch(strict.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${opaque}` },
      body: initializeBody(),
    });
    expect(response.status).toBe(403);
  });
});

describe('sessions belong to the user who opened them', () => {
  it("refuses bob on alice's Streamable HTTP session, keeps serving alice, forgets it after DELETE", async () => {
    const alice = `Bearer ${await forgedJwt(aliceId)}`;
    const bob = `Bearer ${await forgedJwt(bobId)}`;
    const init = await fetch(server.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, authorization: alice },
      body: initializeBody(),
    });
    expect(init.status).toBe(200);
    await init.text();
    const sessionId = init.headers.get('mcp-session-id') ?? '';
    const listTools = (authorization: string) =>
      fetch(server.url, {
        method: 'POST',
        headers: {
          ...MCP_POST_HEADERS,
          authorization,
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });

    const asBob = await listTools(bob);
    expect(asBob.status).toBe(403);
    expect(((await asBob.json()) as { error: { message: string } }).error.message).toMatch(
      /another user/,
    );

    const asAlice = await listTools(alice);
    expect(asAlice.status).toBe(200);
    expect(await asAlice.text()).toContain('whoami');

    const bye = await fetch(server.url, {
      method: 'DELETE',
      headers: {
        authorization: alice,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
    });
    expect(bye.status).toBe(200);
    expect((await listTools(alice)).status).toBe(404);
  });

  it("refuses bob's POSTs to alice's SSE session", async () => {
    const alice = `Bearer ${await forgedJwt(aliceId)}`;
    const bob = `Bearer ${await forgedJwt(bobId)}`;
    const stream = await openSseStream(server.sseUrl, alice);
    try {
      const send = (authorization: string) =>
        fetch(stream.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: initializeBody(),
        });
      const asBob = await send(bob);
      expect(asBob.status).toBe(403);
      expect(await asBob.text()).toMatch(/another user/);
      expect((await send(alice)).status).toBe(202);
    } finally {
      stream.close();
    }
  });

  it('tells a client with an unknown session to start over (404) and one without a session to initialize (400)', async () => {
    const alice = `Bearer ${await forgedJwt(aliceId)}`;
    const unknown = await fetch(server.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, authorization: alice, 'mcp-session-id': crypto.randomUUID() },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(unknown.status).toBe(404);
    const none = await fetch(server.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, authorization: alice },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(none.status).toBe(400);
    const unknownSse = await fetch(new URL('/messages?sessionId=nope', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: alice },
      body: initializeBody(),
    });
    expect(unknownSse.status).toBe(404);
  });
});
