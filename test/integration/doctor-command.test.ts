/** `npm run doctor`: what a person reads in the terminal, what a script parses, and the exit code. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../main/doctor';
import { runNpm } from '../support/spawn-cli';
import { startTestSandbox } from '../support/sandbox';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());

/** The sandbox's issuer, Native app and MCP server, as a person would type them. */
const sandboxArgs = () => [
  '--issuer',
  sandbox.issuer.issuer,
  '--client-id',
  'sandbox-native',
  '--server',
  sandbox.server.url,
];

async function doctor(args: string[]) {
  const command = runNpm(['doctor', '--', ...args]);
  const { code } = await command.exited;
  return { code, output: command.output() };
}

describe('npm run doctor', () => {
  it('prints a table of passing checks and the three columns, and exits 0', async () => {
    const { code, output } = await doctor(sandboxArgs());
    expect(output).toMatch(/^PASS {2}Client ID known \[authorization\.client\]$/m);
    expect(output).toMatch(
      /^PASS {2}Server trusts this issuer \[server\.authorization-servers\]$/m,
    );
    expect(output).toMatch(/Server advertises +Issuer advertises +Client will send/);
    expect(output).toMatch(
      new RegExp(`^ {2}Resource \\(token audience\\) +${sandbox.server.resource}`, 'm'),
    );
    expect(output).toMatch(/^\d+ passed, 0 warnings, 0 failed\.$/m);
    expect(output).not.toMatch(/^FAIL/m);
    expect(code).toBe(0);
  });

  it('prints the cause and the fix of a failed check, marks the mismatch, and exits 1', async () => {
    const { code, output } = await doctor([
      ...sandboxArgs(),
      '--resource',
      'http://localhost:3999/',
    ]);
    expect(output).toMatch(/^FAIL {2}Resource known to the issuer \[authorization\.resource\]$/m);
    expect(output).toMatch(
      /^ {6}Fix: In Logto Console → API resources, create one whose API identifier is exactly http:\/\/localhost:3999\//m,
    );
    expect(output).toMatch(/^✗ Resource \(token audience\)/m);
    expect(code).toBe(1);
  });

  it('prints the report as JSON with --json', async () => {
    const { code, output } = await doctor([
      '--issuer',
      sandbox.issuer.issuer,
      '--client-id',
      'no-such-client',
      '--json',
    ]);
    const report = JSON.parse(output) as DoctorReport;
    expect(report.verdict).toBe('fail');
    expect(report.checks.find((c) => c.id === 'authorization.client')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('App ID'),
    });
    expect(report.columns.map((row) => row.field)).toContain('Issuer');
    expect(code).toBe(1);
  });

  it('says what is missing instead of a stack trace', async () => {
    const { code, output } = await doctor(['--client-id', 'x']);
    expect(output).toContain('Which issuer? Give --issuer <url> (or --server <url>');
    expect(output).not.toMatch(/\n\s+at /);
    expect(code).not.toBe(0);
    const help = await doctor(['--help']);
    expect(help.output).toContain(
      'npm run doctor -- --issuer <url> [--server <mcp url>] [options]',
    );
    expect(help.code).toBe(0);
    const bad = await doctor(['--issuer', 'tenant.logto.app']);
    expect(bad.output).toContain('--issuer must be an http(s) URL, not "tenant.logto.app".');
  });
});
