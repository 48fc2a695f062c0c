/** `npm run connect`: what a person sees in the terminal when the tenant is misconfigured. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNpm } from '../support/spawn-cli';
import { startTestSandbox } from '../support/sandbox';

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
});
