/** `npm run serve`: what a person sees in the terminal, what answers on loopback, and Ctrl-C. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, runNpm, type RunningCommand } from '../support/spawn-cli';

describe('npm run serve', () => {
  let dataDir: string;
  let serve: RunningCommand;
  let output: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mcp-auth-serve-'));
    serve = runNpm(['serve', '--', '--port', '0', '--issuer-port', '0', '--data-dir', dataDir]);
    output = await serve.waitFor(/Press Ctrl-C to stop/, 30_000);
  });
  afterAll(async () => {
    if (serve.child.exitCode === null && serve.child.signalCode === null) serve.interrupt();
    await serve.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  const line = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(output)?.[1];

  it('prints the issuer, the MCP URL, the demo users and the clients', () => {
    expect(line('Issuer')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oidc$/);
    expect(line('MCP URL')).toMatch(/^http:\/\/localhost:\d+\/mcp$/);
    expect(output).toMatch(/^ {2}username: alice {2}password: \S+$/m);
    expect(output).toMatch(/^ {2}username: bob {2}password: \S+$/m);
    expect(output).toMatch(/^ {2}Native client id: sandbox-native$/m);
    expect(output).toMatch(/^ {2}SPA client id: \S+$/m);
    expect(output).toMatch(/client secret: \S{20,}$/m);
  });

  it('answers discovery at the issuer and challenges at /mcp', async () => {
    const discovery = await fetch(`${line('Issuer')}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(line('Issuer'));

    const mcp = await fetch(line('MCP URL')!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(mcp.status).toBe(401);
    expect(mcp.headers.get('www-authenticate')).toMatch(
      /^Bearer resource_metadata="http:\/\/localhost:\d+\//,
    );
  });

  it('stops cleanly on Ctrl-C: both servers closed, nothing but "Stopped."', async () => {
    serve.interrupt();
    // npm re-raises the SIGINT it was sent once its child has exited, as for any npm script.
    expect(await serve.exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(serve.output()).toMatch(/\nStopping…\nStopped\.\n$/);
    expect(serve.output()).not.toMatch(/error/i);
    await expect(fetch(line('MCP URL')!)).rejects.toThrow();
    await expect(fetch(line('Issuer')!)).rejects.toThrow();
  });
});

describe('the serve command itself', () => {
  it('exits with status 0 on Ctrl-C', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-auth-serve-'));
    const serve = runCommand(process.execPath, [
      '--import',
      'tsx',
      'main/cli.ts',
      'serve',
      '--port',
      '0',
      '--issuer-port',
      '0',
      '--data-dir',
      dataDir,
    ]);
    try {
      await serve.waitFor(/Press Ctrl-C/, 30_000);
      serve.interrupt();
      expect(await serve.exited).toEqual({ code: 0, signal: null });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm run serve on a busy port', () => {
  it('names the port and how to change it, without a stack trace', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-auth-serve-'));
    const first = runNpm([
      'serve',
      '--',
      '--port',
      '0',
      '--issuer-port',
      '0',
      '--data-dir',
      dataDir,
      '--quiet',
    ]);
    try {
      const issuerPort = /Issuer:\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(
        await first.waitFor(/Press Ctrl-C/, 30_000),
      )?.[1];
      const second = runNpm([
        'serve',
        '--',
        '--port',
        '0',
        '--issuer-port',
        issuerPort!,
        '--data-dir',
        dataDir,
      ]);
      expect((await second.exited).code).toBe(1);
      expect(second.output()).toContain(`port ${issuerPort}`);
      expect(second.output()).toMatch(/--issuer-port/);
      expect(second.output()).not.toMatch(/^\s+at /m);
    } finally {
      first.interrupt();
      await first.exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
