/** `npm run connect`: what a person sees in the terminal when the tenant is misconfigured. */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runNpm } from '../support/spawn-cli';
import { startTestSandbox } from '../support/sandbox';
import { signIn } from '../support/sign-in';

describe('npm run connect', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox?.close());

  it('a wrong client ID: the steps so far, the cause and the fix, exit 1, no browser, no stack trace', async () => {
    const run = runNpm(['connect', '--', sandbox.server.url, '--client-id', 'no-such-app']);
    const { code } = await run.exited;
    const out = run.output();
    expect(code).toBe(1);
    expect(out).toMatch(/✓ Ask the MCP server without a token/);
    expect(out).toMatch(/✓ Read the authorization server metadata/);
    expect(out).toMatch(/✗ Prepare the authorization request/);
    expect(out).toMatch(/does not know the client ID no-such-app/);
    expect(out).toMatch(/→ .*App ID/);
    expect(out).not.toMatch(/Opened the sign-in page/);
    expect(out).not.toMatch(/^\s+at /m);
  });

  it('--auto against an issuer that needs a person says so instead of hanging', async () => {
    const run = runNpm([
      'connect',
      '--',
      sandbox.server.url,
      '--client-id',
      'sandbox-native',
      '--auto',
    ]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.output()).toMatch(/this sign-in needs a person\. Run without --auto/);
  });

  it('a mistyped option is one clear line with the help', async () => {
    const run = runNpm(['connect', '--', sandbox.server.url, '--resource', 'not a url']);
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.output()).toMatch(/resource/i);
    expect(run.output()).not.toMatch(/^\s+at /m);
  });

  describe('the browser', () => {
    let bin: string;
    beforeAll(async () => {
      bin = await mkdtemp(join(tmpdir(), 'connect-browser-'));
      // A browser that writes down the URL it was asked to open; an opener that always fails.
      await writeFile(join(bin, 'record-url'), '#!/bin/sh\necho "$1" > "$URL_FILE"\n');
      await writeFile(join(bin, 'xdg-open'), '#!/bin/sh\nexit 3\n');
      await chmod(join(bin, 'record-url'), 0o755);
      await chmod(join(bin, 'xdg-open'), 0o755);
    });
    afterAll(() => rm(bin, { recursive: true, force: true }));

    it('honours BROWSER, says it opened the page, prints the refresh token and whoami', async () => {
      const urlFile = join(bin, 'url.txt');
      const run = runNpm(
        [
          'connect',
          '--',
          sandbox.server.url,
          '--issuer',
          sandbox.issuer.issuer,
          '--client-id',
          'sandbox-native',
          '--scope',
          'openid profile',
          '--refresh-tokens',
          '--sign-out',
        ],
        { BROWSER: join(bin, 'record-url'), URL_FILE: urlFile },
      );
      const opened = await vi.waitFor(async () => (await readFile(urlFile, 'utf8')).trim(), {
        timeout: 20_000,
        interval: 100,
      });
      const url = new URL(opened);
      const { callback } = await signIn(url, {
        username: 'alice',
        password: 'alice-sandbox',
        redirectUri: url.searchParams.get('redirect_uri')!,
      });
      const page = await (await fetch(callback)).text();
      expect(page).toContain('Signed in — you can return to MCP Auth Desktop');
      await run.waitFor(/"authenticated": true/);
      const { code } = await run.exited;
      const out = run.output();
      expect(code).toBe(0);
      expect(out).toContain('Opened the sign-in page in your browser.');
      expect(out).toContain('A refresh token was received.');
      expect(out).toMatch(/whoami:\n\{\n {2}"authenticated": true/);
      // Signing out is told as steps, like the sign-in.
      expect(out).toMatch(/✓ Revoke the tokens \(\d+ ms\)/);
      expect(out).toMatch(/✓ Ask the MCP server about the old token \(\d+ ms\)/);
      expect(out).toMatch(/revoked refresh_token: 200/);
      // Its warning about the old token is said once, under its step, not again as a log line.
      expect(out.match(/After sign-out the MCP server answered 200/g)).toHaveLength(1);
      // The issuer's sign-out page goes to the browser with its ID token hint; the terminal
      // never shows the ID token.
      expect(out).toContain('Opened the issuer’s sign-out page in your browser');
      const endSession = new URL((await readFile(urlFile, 'utf8')).trim());
      expect(endSession.pathname).toMatch(/\/session\/end$/);
      const idToken = endSession.searchParams.get('id_token_hint');
      expect(idToken).toBeTruthy();
      expect(out).not.toContain(idToken!);
      expect(out).not.toMatch(/copy the sign-in link from the app/);
    });

    it('no browser: says so instead of "Opened"; a bare callback asks, Enter tries again, stop stops', async () => {
      const run = runNpm(
        ['connect', '--', sandbox.server.url, '--client-id', 'sandbox-native', '--scope', 'openid'],
        { BROWSER: '/bin/false', PATH: `${bin}:${process.env.PATH ?? ''}` },
      );
      const first = await run.waitFor(/Open this URL in a browser to sign in:\n\s+(\S+)/);
      expect(first).toContain('No browser could be opened (set BROWSER');
      expect(first).not.toContain('Opened the sign-in page');
      const url = new URL(/Open this URL in a browser to sign in:\n\s+(\S+)/.exec(first)![1]!);
      const redirectUri = url.searchParams.get('redirect_uri')!;

      // Cancel on the consent page (or any web page hitting the address): the sign-in stays open.
      await run.waitFor(/waiting for you to sign in/);
      const page = await (await fetch(redirectUri)).text();
      expect(page).toContain('It looks like you pressed Cancel on the consent page');
      await run.waitFor(/It looks like you pressed Cancel on the consent page/);
      run.child.stdin.write('\n');
      await vi.waitFor(
        () => expect(run.output().match(/Open this URL in a browser to sign in/g)).toHaveLength(2),
        { timeout: 10_000 },
      );
      await fetch(redirectUri);
      await vi.waitFor(
        () => expect(run.output().match(/pressed Cancel on the consent page/g)?.length).toBe(2),
        { timeout: 10_000 },
      );
      run.child.stdin.write('stop\n');
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.output()).toMatch(/cancelled on the consent screen, so no permission was granted/);
    });
  });
});
