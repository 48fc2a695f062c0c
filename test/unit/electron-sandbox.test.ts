// Plain Node, no fakes: the desktop host's sandbox start-up with real servers on loopback, and
// ports really taken by another listener.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { desktopRedirects, startDesktopStack } from '../../main/electron/sandbox';
import { redirectRegistrationNote } from '../../main/client/redirect/deep-link';
import { APP_REDIRECT_URI } from '../../main/shared/app-identity';
import { freePort } from '../../main/shared/free-port';

let dataDir: string;
const cleanup: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'electron-sandbox-'));
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  await rm(dataDir, { recursive: true, force: true });
});

async function occupy(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('startDesktopStack', () => {
  it('uses the preferred ports when they are free', async () => {
    const serverPort = await freePort('127.0.0.1');
    const issuerPort = await freePort('127.0.0.1');
    const { stack, notes } = await startDesktopStack({ dataDir, serverPort, issuerPort });
    cleanup.push(() => stack.close());
    expect(stack.server.url).toBe(`http://localhost:${serverPort}/mcp`);
    expect(new URL(stack.sandboxIssuer!.issuer).port).toBe(String(issuerPort));
    expect(notes).toEqual([]);
  });

  it('moves a busy server port and a busy issuer port to free ones, and says so', async () => {
    const serverPort = await occupy();
    const issuerPort = await occupy();
    const { stack, notes } = await startDesktopStack({ dataDir, serverPort, issuerPort });
    cleanup.push(() => stack.close());
    const newServerPort = new URL(stack.server.url).port;
    const newIssuerPort = new URL(stack.sandboxIssuer!.issuer).port;
    expect(newServerPort).not.toBe(String(serverPort));
    expect(newIssuerPort).not.toBe(String(issuerPort));
    expect(notes).toEqual([
      `Port ${issuerPort} was in use, so the sandbox issuer runs on port ${newIssuerPort} instead (${stack.sandboxIssuer!.issuer}). Clients set up for port ${issuerPort} must use the new address.`,
      `Port ${serverPort} was in use, so the MCP server runs on port ${newServerPort} instead (${stack.server.url}). Clients set up for port ${serverPort} must use the new address.`,
    ]);
    // The server really answers on its new port, and trusts the issuer on its new port.
    const response = await fetch(
      `http://localhost:${newServerPort}/.well-known/oauth-protected-resource`,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      authorization_servers: [stack.sandboxIssuer!.issuer],
    });
  });
});

describe('desktopRedirects', () => {
  it('offers both the custom scheme and the loopback listener, with what to register', () => {
    const redirects = desktopRedirects('http://127.0.0.1:49152/callback');
    expect(redirects).toEqual([
      {
        mode: 'custom-scheme',
        redirectUri: APP_REDIRECT_URI,
        ...redirectRegistrationNote('custom-scheme'),
      },
      {
        mode: 'loopback',
        redirectUri: 'http://127.0.0.1:49152/callback',
        ...redirectRegistrationNote('loopback'),
      },
    ]);
  });
});
