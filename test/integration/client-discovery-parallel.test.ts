/**
 * Authorization server metadata discovery asks every candidate location at once (one round trip
 * for Logto's /oidc issuer instead of three) yet uses the same document as asking one by one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readAuthorizationServerMetadata } from '../../main/client/engine/discovery';

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

/** An issuer at /oidc whose answers wait until every request has arrived (or 2 s have passed). */
async function issuerAnsweringTogether(documents: Record<string, (issuer: string) => object>) {
  const seen: string[] = [];
  let inFlight = 0;
  let mostAtOnce = 0;
  const waiting: Array<() => void> = [];
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    inFlight++;
    mostAtOnce = Math.max(mostAtOnce, inFlight);
    const answer = () => {
      inFlight--;
      const document = documents[req.url ?? ''];
      if (!document) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(document(issuer)));
    };
    waiting.push(answer);
    if (waiting.length === 3) waiting.splice(0).forEach((go) => go());
    else setTimeout(() => waiting.splice(0).forEach((go) => go()), 2_000);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oidc`;
  return { issuer, seen, mostAtOnce: () => mostAtOnce };
}

const metadata = (issuer: string, marker: string) => ({
  issuer,
  authorization_endpoint: `${issuer}/auth?from=${marker}`,
  token_endpoint: `${issuer}/token`,
  response_types_supported: ['code'],
  code_challenge_methods_supported: ['S256'],
  // what OpenID Connect Discovery requires besides
  jwks_uri: `${issuer}/jwks`,
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['ES384'],
});

/** What the engine does for an MCP server whose metadata names `issuer`. */
const discoverFor = (issuer: string) =>
  readAuthorizationServerMetadata({
    serverUrl: 'http://localhost:1/mcp',
    // the issuer chooseIssuer picked from the server's metadata
    authorizationServer: issuer,
    fetchFn: fetch,
  });

describe('authorization server metadata discovery', () => {
  it('asks the three locations of a path issuer at once and reads the OIDC one Logto serves', async () => {
    const scripted = await issuerAnsweringTogether({
      '/oidc/.well-known/openid-configuration': (issuer) => metadata(issuer, 'oidc-appended'),
    });
    const result = await discoverFor(scripted.issuer);
    expect(scripted.mostAtOnce()).toBe(3);
    expect(scripted.seen.sort()).toEqual([
      '/.well-known/oauth-authorization-server/oidc',
      '/.well-known/openid-configuration/oidc',
      '/oidc/.well-known/openid-configuration',
    ]);
    expect(result.metadata.authorization_endpoint).toContain('from=oidc-appended');
  });

  it('still prefers the RFC 8414 location when several answer, as asking in order would', async () => {
    const scripted = await issuerAnsweringTogether({
      '/.well-known/oauth-authorization-server/oidc': (issuer) => metadata(issuer, 'rfc8414'),
      '/oidc/.well-known/openid-configuration': (issuer) => metadata(issuer, 'oidc-appended'),
    });
    const result = await discoverFor(scripted.issuer);
    expect(result.metadata.authorization_endpoint).toContain('from=rfc8414');
  });
});
