/**
 * The official MCP conformance client suite (@modelcontextprotocol/conformance), auth scenarios of
 * spec 2025-11-25 and 2025-03-26, run against the command line the way anyone can run it by hand:
 *
 *   conformance client --command "npm run --silent conformance:client --" --scenario <name>
 *
 * The suite starts a mock MCP server and authorization server for the scenario, runs the command
 * with the server URL appended as its last argument (MCP_CONFORMANCE_SCENARIO and, for
 * pre-registration, MCP_CONFORMANCE_CONTEXT in the environment), then judges what the mocks saw.
 * One test per scenario, so a failure names the scenario and the checks that failed.
 *
 * The suite needs Node 22 (it imports fs.globSync); the project runs on Node 20. Node 22 comes from
 * CONFORMANCE_NODE, the running Node if it is 22+, or the npm package node@22 (`npm exec`). If
 * neither the suite nor Node 22 can be had, every scenario is skipped with the reason, printed.
 *
 * Environment: CONFORMANCE_CLIENT_COMMAND replaces the command under test,
 * CONFORMANCE_CLIENT_TIMEOUT_MS the time each client run gets (default 30000, the suite's own),
 * CONFORMANCE_NODE the path of a Node 22+ binary.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const EXPECTED_FAILURES_FILE = join(HERE, 'expected-failures.yaml');

/** The auth scenarios of @modelcontextprotocol/conformance 0.1.16, by spec version. */
const SCENARIOS = {
  '2025-11-25': [
    'auth/metadata-default',
    'auth/metadata-var1',
    'auth/metadata-var2',
    'auth/metadata-var3',
    'auth/basic-cimd',
    'auth/scope-from-www-authenticate',
    'auth/scope-from-scopes-supported',
    'auth/scope-omitted-when-undefined',
    'auth/scope-step-up',
    'auth/scope-retry-limit',
    'auth/token-endpoint-auth-basic',
    'auth/token-endpoint-auth-post',
    'auth/token-endpoint-auth-none',
    'auth/pre-registration',
  ],
  '2025-03-26': [
    'auth/2025-03-26-oauth-metadata-backcompat',
    'auth/2025-03-26-oauth-endpoint-fallback',
  ],
} as const satisfies Record<string, readonly string[]>;
type SpecVersion = keyof typeof SCENARIOS;
const SPEC_VERSIONS = Object.keys(SCENARIOS) as SpecVersion[];
const ALL_SCENARIOS: readonly string[] = SPEC_VERSIONS.flatMap((v) => SCENARIOS[v]);

const CLIENT_COMMAND =
  process.env.CONFORMANCE_CLIENT_COMMAND ?? 'npm run --silent conformance:client --';
const CLIENT_TIMEOUT_MS = Number(process.env.CONFORMANCE_CLIENT_TIMEOUT_MS ?? 30_000);
/**
 * The suite's own timeout only kills the shell it starts the command with (dash does not exec it),
 * so npm and node live on, the suite waits for their output pipes to close and writes no results.
 * Where coreutils' `timeout` exists, it wraps the command: it kills the command's whole process
 * group in time, and the suite reports the checks and the client's output as usual. The suite's
 * timeout stays as a backstop, and we kill the suite's process group after that.
 */
const WRAPPER_GRACE_MS = 10_000;
/** The suite's own run of a scenario: the client's time plus starting and stopping the mocks. */
const SUITE_TIMEOUT_MS = CLIENT_TIMEOUT_MS + WRAPPER_GRACE_MS + 10_000;
/** After this many client timeouts in a row the remaining scenarios fail without running. */
const MAX_CONSECUTIVE_TIMEOUTS = 3;
/** Finding node@22 may download it once (about 40 MB). */
const NODE22_TIMEOUT_MS = 240_000;

// ---------------------------------------------------------------------------------------------
// Processes

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** true when we had to kill it. */
  killed: boolean;
  error?: string;
}

/** Runs a command in its own process group; on timeout the whole group is killed. */
function run(
  command: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    let killed = false;
    const child = spawn(command, args, {
      cwd: opts.cwd ?? REPO,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: null, signal: null, stdout, stderr, killed, error: error.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, killed });
    });
  });
}

const lastLines = (text: string, n: number) => text.trimEnd().split('\n').slice(-n).join('\n');

// ---------------------------------------------------------------------------------------------
// The suite and Node 22

interface Ready {
  ok: true;
  node: string;
  nodeVersion: string;
  suite: string;
  suiteVersion: string;
  /** Whether coreutils' `timeout` can wrap the command. */
  timeoutWrapper: boolean;
}
type Environment = Ready | { ok: false; reason: string };

async function findSuite(): Promise<{ suite: string; suiteVersion: string } | { reason: string }> {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve(
      '@modelcontextprotocol/conformance/package.json',
    );
  } catch {
    return {
      reason:
        '@modelcontextprotocol/conformance is not installed (it belongs in devDependencies; run npm install)',
    };
  }
  const suite = join(dirname(manifest), 'dist', 'index.js');
  if (!existsSync(suite)) return { reason: `${suite} is missing` };
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return { suite, suiteVersion: version };
}

async function nodeVersionOf(node: string): Promise<string | undefined> {
  const result = await run(node, ['-p', 'process.versions.node'], { timeoutMs: 20_000 });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

const isNode22 = (version: string | undefined) => Number(version?.split('.')[0]) >= 22;

async function findNode22(): Promise<{ node: string; nodeVersion: string } | { reason: string }> {
  if (isNode22(process.versions.node)) {
    return { node: process.execPath, nodeVersion: process.versions.node };
  }
  const fromEnv = process.env.CONFORMANCE_NODE;
  if (fromEnv) {
    const version = await nodeVersionOf(fromEnv);
    if (isNode22(version)) return { node: fromEnv, nodeVersion: version! };
    return {
      reason: `CONFORMANCE_NODE=${fromEnv} is not a Node 22+ binary (${version ?? 'no answer'})`,
    };
  }
  // From a neutral directory, so that nothing of the project's own node_modules/.bin is in the way.
  const result = await run(
    'npm',
    ['exec', '--yes', '--package=node@22', '--', 'node', '-p', 'process.execPath'],
    { cwd: tmpdir(), timeoutMs: NODE22_TIMEOUT_MS },
  );
  const node = result.stdout.trim().split('\n').pop();
  if (result.code !== 0 || !node) {
    return {
      reason: `Node 22 could not be obtained with "npm exec --package=node@22" (${
        result.killed
          ? `no answer in ${NODE22_TIMEOUT_MS / 1000} s`
          : (result.error ?? (lastLines(result.stderr, 3) || `exit ${result.code}`))
      })`,
    };
  }
  const version = await nodeVersionOf(node);
  if (!isNode22(version)) return { reason: `npm's node@22 at ${node} answered ${version}` };
  return { node, nodeVersion: version! };
}

async function findEnvironment(): Promise<Environment> {
  const suite = await findSuite();
  if ('reason' in suite) return { ok: false, reason: suite.reason };
  const node = await findNode22();
  if ('reason' in node) return { ok: false, reason: node.reason };
  const wrapper = await run('timeout', ['--version'], { timeoutMs: 10_000 });
  return { ok: true, ...suite, ...node, timeoutWrapper: wrapper.code === 0 };
}

/** Why the command under test cannot be run at all, if it cannot. */
async function commandProblem(): Promise<string | undefined> {
  if (process.env.CONFORMANCE_CLIENT_COMMAND) return undefined;
  const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return pkg.scripts?.['conformance:client']
    ? undefined
    : 'package.json has no "conformance:client" script: the suite runs `npm run --silent conformance:client -- <server-url>`.';
}

// ---------------------------------------------------------------------------------------------
// Expected failures: the suite's baseline format, each entry with the reason it may fail.

interface ExpectedFailures {
  entries: Map<string, string>;
  problems: string[];
}

/**
 * Reads the `client:` list of the suite's baseline file (`client: []` or a block list), keeping
 * each entry's reason: its trailing comment or the comment lines right above it.
 */
function parseExpectedFailures(text: string): ExpectedFailures {
  const entries = new Map<string, string>();
  const problems: string[] = [];
  let section: string | undefined;
  let pendingComment: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    const where = `line ${index + 1}`;
    if (!line.trim()) {
      pendingComment = [];
      return;
    }
    const comment = /^\s*#\s?(.*)$/.exec(line);
    if (comment) {
      pendingComment.push(comment[1]!.trim());
      return;
    }
    const key = /^([A-Za-z_][\w-]*):\s*(.*?)\s*(?:#.*)?$/.exec(line);
    if (key) {
      section = key[1];
      pendingComment = [];
      const value = key[2]!;
      if (value && value !== '[]') {
        problems.push(
          `${where}: write "${section}:" as a block list (one "- name" per line) or []`,
        );
      }
      return;
    }
    const item = /^\s+-\s+(['"]?)([^'"#\s]+)\1\s*(?:#\s*(.*))?$/.exec(line);
    if (item && section !== undefined) {
      const reason = (item[3] ?? '').trim() || pendingComment.join(' ').trim();
      pendingComment = [];
      if (section !== 'client') return;
      const name = item[2]!;
      if (!reason) problems.push(`${where}: ${name} has no comment saying why it may fail`);
      else entries.set(name, reason);
      return;
    }
    problems.push(`${where}: cannot read "${line.trim()}"`);
  });
  return { entries, problems };
}

// ---------------------------------------------------------------------------------------------
// One scenario

interface Check {
  id: string;
  name?: string;
  description?: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
  details?: Record<string, unknown>;
}

interface ScenarioOutcome {
  passed: boolean;
  clientTimedOut: boolean;
  /** What to print when it failed, or what an expected failure looked like. */
  report: string;
}

async function findFile(dir: string, name: string): Promise<string | undefined> {
  const files = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const found = files.find((f) => f === name || f.endsWith(`/${name}`));
  return found && join(dir, found);
}

async function runScenario(env: Ready, scenario: string): Promise<ScenarioOutcome> {
  const work = await mkdtemp(join(tmpdir(), 'mcp-conformance-'));
  const resultsDir = join(work, 'results');
  // The suite splits the command on spaces and runs it with a shell, the URL appended.
  const command = env.timeoutWrapper
    ? `timeout --kill-after=3s ${Math.ceil(CLIENT_TIMEOUT_MS / 1000)}s ${CLIENT_COMMAND}`
    : CLIENT_COMMAND;
  const suite = await run(
    env.node,
    [
      env.suite,
      'client',
      '--command',
      command,
      '--scenario',
      scenario,
      '--timeout',
      String(CLIENT_TIMEOUT_MS + (env.timeoutWrapper ? WRAPPER_GRACE_MS : 0)),
      '--output-dir',
      resultsDir,
    ],
    {
      cwd: REPO,
      timeoutMs: SUITE_TIMEOUT_MS,
      env: {
        ...process.env,
        // Whatever the command line keeps (profiles, sessions) goes to a throwaway folder.
        MCP_AUTH_DESKTOP_DATA: join(work, 'data'),
        NO_COLOR: '1',
        FORCE_COLOR: '0',
      },
    },
  );

  const checksFile = await findFile(resultsDir, 'checks.json');
  const checks: Check[] = checksFile
    ? (JSON.parse(await readFile(checksFile, 'utf8')) as Check[])
    : [];
  const clientOut = checksFile
    ? await readFile(join(dirname(checksFile), 'stdout.txt'), 'utf8').catch(() => '')
    : '';
  const clientErr = checksFile
    ? await readFile(join(dirname(checksFile), 'stderr.txt'), 'utf8').catch(() => '')
    : '';
  const failed = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
  const clientExit = /Client exited with code (-?\d+)/.exec(suite.stderr)?.[1];
  const clientTimedOut =
    /Client timed out after/.test(suite.stderr) ||
    suite.killed ||
    (env.timeoutWrapper && (clientExit === '124' || clientExit === '137'));

  // The suite's verdict for one scenario: exit 0 when no check failed or warned, the client did
  // not time out, and it exited 0 (any exit code where the scenario expects the client to give up).
  // A client stopped by the `timeout` wrapper exits 124: still a timeout, as the suite would say.
  const passed = suite.code === 0 && checks.length > 0 && failed.length === 0 && !clientTimedOut;

  const lines = [
    `${scenario}: ${passed ? 'passed' : 'FAILED'} (suite exit ${suite.code ?? suite.signal}${
      suite.killed ? `, killed after ${SUITE_TIMEOUT_MS} ms` : ''
    })`,
  ];
  if (!checksFile) lines.push('  The suite wrote no checks.json: the scenario did not run.');
  for (const c of failed) {
    lines.push(`  ✗ [${c.status}] ${c.id}: ${c.description ?? c.name ?? ''}`);
    if (c.errorMessage) lines.push(`      ${c.errorMessage}`);
    if (c.details) lines.push(`      details: ${JSON.stringify(c.details)}`);
  }
  if (clientTimedOut) lines.push(`  The client did not finish within ${CLIENT_TIMEOUT_MS} ms.`);
  else if (clientExit) lines.push(`  The client exited with code ${clientExit}.`);
  if (!passed) {
    const requests = checks
      .filter((c) => c.status === 'INFO' && /^incoming/.test(c.id))
      .map((c) => `    ${c.description}`);
    if (requests.length) lines.push('  What the mock servers received:', ...requests);
    if (clientOut.trim()) lines.push('  --- client stdout (end) ---', lastLines(clientOut, 30));
    if (clientErr.trim()) lines.push('  --- client stderr (end) ---', lastLines(clientErr, 30));
    if (!checksFile) lines.push('  --- suite output (end) ---', lastLines(suite.stderr, 30));
    lines.push(`  Full results: ${resultsDir}`);
  }
  if (passed) await rm(work, { recursive: true, force: true });
  return { passed, clientTimedOut, report: lines.join('\n') };
}

// ---------------------------------------------------------------------------------------------
// Tests

const expectedFailures = parseExpectedFailures(await readFile(EXPECTED_FAILURES_FILE, 'utf8'));

describe('MCP conformance client suite, auth scenarios', () => {
  let env: Environment = { ok: false, reason: 'not looked for yet' };
  let problem: string | undefined;
  let consecutiveTimeouts = 0;
  /** The suite and Node 22, or the test is skipped with the reason they are missing. */
  const ready = (skip: (note?: string) => never): Ready => (env.ok ? env : skip(env.reason));

  beforeAll(async () => {
    env = await findEnvironment();
    problem = await commandProblem();
    if (!env.ok) {
      console.warn(`\n⚠ Conformance scenarios SKIPPED: ${env.reason}\n`);
    } else {
      console.warn(
        `Conformance suite ${env.suiteVersion} on Node ${env.nodeVersion} (${env.node}), command: ${CLIENT_COMMAND}`,
      );
    }
  }, NODE22_TIMEOUT_MS + 30_000);

  it(`${relative(REPO, EXPECTED_FAILURES_FILE)} names scenarios of this run, each with a reason`, () => {
    const unknown = [...expectedFailures.entries.keys()]
      .filter((s) => !ALL_SCENARIOS.includes(s))
      .map((s) => `${s} is not a scenario this test runs`);
    expect([...expectedFailures.problems, ...unknown]).toEqual([]);
  });

  it('the installed suite has exactly the auth scenarios this test runs', async ({ skip }) => {
    const runtime = ready(skip);
    for (const version of SPEC_VERSIONS) {
      const listed = await run(
        runtime.node,
        [runtime.suite, 'list', '--client', '--spec-version', version],
        { timeoutMs: 30_000 },
      );
      expect(listed.code, listed.stderr).toBe(0);
      const names = [...listed.stdout.matchAll(/^\s+- (auth\/\S+)/gm)].map((m) => m[1]);
      expect(
        names.sort(),
        `auth scenarios of spec ${version} in conformance ${runtime.suiteVersion}: update SCENARIOS`,
      ).toEqual([...SCENARIOS[version]].sort());
    }
  });

  for (const version of SPEC_VERSIONS) {
    describe(`spec ${version}`, () => {
      for (const scenario of SCENARIOS[version]) {
        it(
          scenario,
          async ({ skip }) => {
            const runtime = ready(skip);
            if (problem) throw new Error(problem);
            if (consecutiveTimeouts >= MAX_CONSECUTIVE_TIMEOUTS) {
              throw new Error(
                `Not run: the client timed out in the ${consecutiveTimeouts} scenarios before this one (each gets ${CLIENT_TIMEOUT_MS} ms).`,
              );
            }
            const outcome = await runScenario(runtime, scenario);
            consecutiveTimeouts = outcome.clientTimedOut ? consecutiveTimeouts + 1 : 0;
            const why = expectedFailures.entries.get(scenario);
            if (why !== undefined) {
              if (outcome.passed) {
                throw new Error(
                  `${scenario} passes now: remove it from ${relative(REPO, EXPECTED_FAILURES_FILE)} (it was listed because: ${why}).`,
                );
              }
              console.warn(`${outcome.report}\n  (expected failure: ${why})`);
              skip(`expected failure: ${why}`);
            }
            if (!outcome.passed) throw new Error(`\n${outcome.report}`);
          },
          SUITE_TIMEOUT_MS + 10_000,
        );
      }
    });
  }
});
