/**
 * A client that opens session after session and never ends them (a reconnect loop, a tool that
 * crashes and restarts) must not grow the server without bound for the 30 minutes the idle sweep
 * waits: each user keeps at most 100 sessions, the least recently used are closed first (their
 * client is told to start again), and one user's churn never closes another user's session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox } from '../support/sandbox';
import {
  MCP_POST_HEADERS,
  accessTokenClaims,
  initializeBody,
  readIssuerKey,
  signToken,
} from './server-helpers';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let alice: string;
let bob: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const key = await readIssuerKey(sandbox.dataDir);
  const tokenFor = (subject: string) =>
    signToken(
      key,
      accessTokenClaims({
        issuer: sandbox.issuer.issuer,
        audience: sandbox.server.resource,
        subject,
      }),
    );
  [alice, bob] = await Promise.all([tokenFor('alice-churn'), tokenFor('bob-churn')]);
});
afterAll(() => sandbox?.close());

async function open(token: string): Promise<string> {
  const response = await fetch(sandbox.server.url, {
    method: 'POST',
    headers: { ...MCP_POST_HEADERS, authorization: `Bearer ${token}` },
    body: initializeBody(),
  });
  await response.text();
  expect(response.status).toBe(200);
  return response.headers.get('mcp-session-id')!;
}

async function whoami(token: string, session: string) {
  const response = await fetch(sandbox.server.url, {
    method: 'POST',
    headers: {
      ...MCP_POST_HEADERS,
      authorization: `Bearer ${token}`,
      'mcp-session-id': session,
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {} },
    }),
  });
  return { status: response.status, text: await response.text() };
}

describe('session churn', () => {
  it('keeps at most 100 sessions per user, closing the least recently used, never another user’s', async () => {
    const bobs = await open(bob);
    const alices: string[] = [];
    for (let i = 0; i < 100; i++) alices.push(await open(alice));
    expect(sandbox.server.stats().streamableHttpSessions).toBe(101);
    // Alice's first session is used again: it becomes her most recently used one.
    expect((await whoami(alice, alices[0]!)).status).toBe(200);
    for (let i = 0; i < 11; i++) alices.push(await open(alice));

    expect(sandbox.server.stats().streamableHttpSessions).toBe(101); // 100 of alice's, bob's one
    const evicted = await whoami(alice, alices[1]!);
    expect(evicted.status).toBe(404);
    expect(JSON.parse(evicted.text)).toMatchObject({
      error: { message: 'Session not found; start a new session with initialize.' },
    });
    for (const session of alices.slice(2, 12))
      expect((await whoami(alice, session)).status).toBe(404);
    for (const session of [alices[0]!, ...alices.slice(12)]) {
      expect((await whoami(alice, session)).text).toContain('alice-churn');
    }
    expect((await whoami(bob, bobs)).text).toContain('bob-churn');
  });
});
