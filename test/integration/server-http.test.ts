import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  discoverOAuthProtectedResourceMetadata,
  extractWWWAuthenticateParams,
  selectResourceURL,
  type OAuthClientProvider,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { PortInUseError, startMcpServer, type RunningMcpServer } from '../../main/server';
import {
  MCP_POST_HEADERS,
  accessTokenClaims,
  initializeBody,
  rawRequest,
  readIssuerKey,
  signToken,
  startTestIssuer,
  type SigningKey,
  type TestIssuer,
} from './server-helpers';

let issuer: TestIssuer;
let key: SigningKey;
let server: RunningMcpServer;

beforeAll(async () => {
  issuer = await startTestIssuer();
  key = await readIssuerKey(issuer.dataDir);
  server = await startMcpServer({ port: 0, issuer: issuer.issuer });
});

afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

const bearer = async (target = server) =>
  `Bearer ${await signToken(key, accessTokenClaims({ issuer: issuer.issuer, audience: target.resource, subject: 'http-test' }))}`;

/** The SDK's own resource selection, as its auth() runs it (no custom validateResourceURL). */
const sdkProvider = {} as OAuthClientProvider;

describe('protected resource metadata (RFC 9728)', () => {
  it('prints the URL a user pastes into a client, on the resource origin', () => {
    expect(server.url).toBe(`http://localhost:${server.port}/mcp`);
    expect(server.sseUrl).toBe(`http://localhost:${server.port}/sse`);
    expect(server.resource).toBe(`http://localhost:${server.port}/`);
    expect(server.resourceMetadataUrl).toBe(
      `http://localhost:${server.port}/.well-known/oauth-protected-resource`,
    );
  });

  it('serves one document at the root and the /mcp and /sse suffixed paths clients try first', async () => {
    const expected = {
      resource: server.resource,
      authorization_servers: [issuer.issuer],
      scopes_supported: ['openid', 'profile', 'whoami:read'],
      bearer_methods_supported: ['header'],
      resource_name: 'MCP Auth Desktop server',
    };
    for (const path of ['', '/mcp', '/sse', '/mcp/']) {
      const response = await fetch(`${server.origin}/.well-known/oauth-protected-resource${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.json()).toEqual(expected);
    }
  });

  it("passes the SDK client's resource check for /mcp, /mcp/ and /sse, from discovery and from the 401", async () => {
    for (const url of [server.url, `${server.url}/`, server.sseUrl]) {
      const serverUrl = new URL(url);
      const discovered = await discoverOAuthProtectedResourceMetadata(serverUrl);
      expect(discovered.resource).toBe(server.resource);
      expect((await selectResourceURL(serverUrl, sdkProvider, discovered))?.href).toBe(
        server.resource,
      );

      const challenge = await fetch(serverUrl, {
        method: 'POST',
        headers: MCP_POST_HEADERS,
        body: initializeBody(),
      });
      expect(challenge.status).toBe(401);
      const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(challenge);
      expect(scope).toBe('openid profile whoami:read');
      expect(resourceMetadataUrl?.href).toBe(server.resourceMetadataUrl);
      const viaChallenge = await discoverOAuthProtectedResourceMetadata(serverUrl, {
        resourceMetadataUrl: resourceMetadataUrl ?? '',
      });
      expect(await selectResourceURL(serverUrl, sdkProvider, viaChallenge)).toBeDefined();
    }
  });

  it('with a path resource (http://localhost:PORT/mcp) serves it at the suffixed path and passes the SDK check', async () => {
    const probe = await startMcpServer({ port: 0, issuer: issuer.issuer });
    const port = probe.port;
    await probe.close();
    const pathServer = await startMcpServer({
      port,
      issuer: issuer.issuer,
      resource: `http://localhost:${port}/mcp`,
    });
    try {
      expect(pathServer.url).toBe(`http://localhost:${port}/mcp`);
      expect(pathServer.resourceMetadataUrl).toBe(
        `http://localhost:${port}/.well-known/oauth-protected-resource/mcp`,
      );
      for (const url of [pathServer.url, `${pathServer.url}/`]) {
        const discovered = await discoverOAuthProtectedResourceMetadata(new URL(url));
        expect(discovered.resource).toBe(pathServer.resource);
        expect(await selectResourceURL(new URL(url), sdkProvider, discovered)).toBeDefined();
      }
    } finally {
      await pathServer.close();
    }
  });
});

describe('DNS-rebinding protection and CORS', () => {
  it('refuses a foreign Host header with a clear 403, on every route', async () => {
    for (const path of ['/mcp', '/sse', '/.well-known/oauth-protected-resource']) {
      const response = await rawRequest({
        port: server.port,
        path,
        headers: { host: `attacker.example:${server.port}`, authorization: await bearer() },
      });
      expect(response.status, path).toBe(403);
      const body = JSON.parse(response.body) as { error: string; error_description: string };
      expect(body.error).toBe('host_not_allowed');
      expect(body.error_description).toMatch(/DNS rebinding/);
      expect(body.error_description).toMatch(/allowedHosts/);
    }
  });

  it('answers its loopback names and configured extra hosts', async () => {
    for (const host of [
      `localhost:${server.port}`,
      `127.0.0.1:${server.port}`,
      `[::1]:${server.port}`,
    ]) {
      const response = await rawRequest({
        port: server.port,
        path: '/.well-known/oauth-protected-resource',
        headers: { host },
      });
      expect(response.status, host).toBe(200);
    }
    const proxied = await startMcpServer({
      port: 0,
      issuer: issuer.issuer,
      allowedHosts: ['mcp.example.test'],
    });
    try {
      const response = await rawRequest({
        port: proxied.port,
        path: '/.well-known/oauth-protected-resource',
        headers: { host: 'mcp.example.test' },
      });
      expect(response.status).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('refuses web pages from foreign origins but lets the MCP Inspector (localhost:6274) in, with CORS', async () => {
    const evil = await fetch(server.url, {
      method: 'POST',
      headers: {
        ...MCP_POST_HEADERS,
        origin: 'https://attacker.example',
        authorization: await bearer(),
      },
      body: initializeBody(),
    });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: string }).error).toBe('origin_not_allowed');

    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:6274',
        'access-control-request-method': 'POST',
        'access-control-request-headers':
          'authorization, content-type, mcp-session-id, mcp-protocol-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of [
      'authorization',
      'content-type',
      'mcp-session-id',
      'mcp-protocol-version',
      'last-event-id',
    ]) {
      expect(allowed).toContain(header);
    }

    // A browser client must be able to read the challenge (to start OAuth) and the session id.
    const challenged = await fetch(server.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, origin: 'http://localhost:6274' },
      body: initializeBody(),
    });
    expect(challenged.status).toBe(401);
    const exposed = (challenged.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    expect(exposed).toContain('www-authenticate');
    expect(exposed).toContain('mcp-session-id');

    const initialized = await fetch(server.url, {
      method: 'POST',
      headers: {
        ...MCP_POST_HEADERS,
        origin: 'http://127.0.0.1:5173',
        authorization: await bearer(),
      },
      body: initializeBody(),
    });
    expect(initialized.status).toBe(200);
    expect(initialized.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    await initialized.text();
  });

  it('accepts configured extra origins', async () => {
    const web = await startMcpServer({
      port: 0,
      issuer: issuer.issuer,
      allowedOrigins: ['https://app.example.test'],
    });
    try {
      const response = await fetch(web.url, {
        method: 'POST',
        headers: { ...MCP_POST_HEADERS, origin: 'https://app.example.test' },
        body: initializeBody(),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    } finally {
      await web.close();
    }
  });
});

describe('the rest of the HTTP surface', () => {
  it('answers unknown routes with JSON 404 pointing at the MCP endpoints', async () => {
    const response = await fetch(`${server.origin}/nope`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('not_found');
    expect(body.error_description).toContain(server.url);
  });

  it('limits request bodies to 1 MB, and never reads the body of an unauthenticated request', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { pad: 'x'.repeat(2_000_000) },
    });
    const authed = await fetch(server.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, authorization: await bearer() },
      body: big,
    });
    expect(authed.status).toBe(413);
    expect(((await authed.json()) as { error: string }).error).toBe('payload_too_large');
    const anonymous = await fetch(server.url, {
      method: 'POST',
      headers: MCP_POST_HEADERS,
      body: big,
    });
    expect(anonymous.status).toBe(401);
  });

  it('answers a body that is not JSON with a JSON-RPC parse error', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, authorization: await bearer() },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it('says which port is busy and how to pick another', async () => {
    const attempt = startMcpServer({ port: server.port, issuer: issuer.issuer });
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(new RegExp(`port ${server.port}.*--port or PORT`));
  });

  it('with auth off (benchmark baseline) serves whoami unauthenticated and no metadata', async () => {
    const open = await startMcpServer({ port: 0, issuer: issuer.issuer, auth: false });
    try {
      expect((await fetch(`${open.origin}/.well-known/oauth-protected-resource`)).status).toBe(404);
      const client = new Client({ name: 'baseline', version: '0.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(open.url)));
      const result = await client.callTool({ name: 'whoami' });
      expect(result.structuredContent).toMatchObject({ authenticated: false, subject: null });
      await client.close();
    } finally {
      await open.close();
    }
  });

  it('closes cleanly with open SSE streams and sessions', async () => {
    const extra = await startMcpServer({ port: 0, issuer: issuer.issuer });
    const controller = new AbortController();
    const stream = await fetch(extra.sseUrl, {
      headers: { accept: 'text/event-stream', authorization: await bearer(extra) },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const started = Date.now();
    await extra.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    controller.abort();
  });
});
