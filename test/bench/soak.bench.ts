/**
 * `npm run bench:soak`: 32 concurrent MCP sessions (the real SDK Client over Streamable HTTP,
 * each with a real sandbox JWT) make 2,000 authenticated whoami calls each against the bundled
 * server in this process. Prints calls/s, p50/p99 latency, errors (target: none) and resident
 * memory after warm-up vs at the end (target: within 10%), then what the server still holds once
 * the clients have ended their sessions. Figures go to test-results/bench/soak.json.
 *
 * Bounded: it stops by itself after SOAK_DEADLINE_MS (default 5 min) even if calls hang.
 * Run with --expose-gc (the npm script does) so memory is compared after a full collection.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { TestOAuthProvider } from '../support/oauth-provider';
import { startTestSandbox } from '../support/sandbox';
import { signIn } from '../support/sign-in';

const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 32);
const CALLS_PER_SESSION = Number(process.env.SOAK_CALLS ?? 2_000);
const WARMUP_CALLS_PER_SESSION = Number(process.env.SOAK_WARMUP_CALLS ?? 200);
const DEADLINE_MS = Number(process.env.SOAK_DEADLINE_MS ?? 5 * 60_000);
const MEMORY_TOLERANCE = 0.1;
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

// The SDK's client transport passes one long-lived AbortSignal to every fetch of a session, and
// undici only drops its listener from that signal at garbage collection; thousands of calls on one
// session trip Node's listener-count warning. It is about the bench's clients, not the server.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning' && /AbortSignal/.test(warning.message)) return;
  console.warn(warning);
});

const gc = (globalThis as { gc?: () => void }).gc;

/** Resident memory after a full collection (when --expose-gc allows one), in bytes. */
async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().rss;
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function getJwt(sandbox: Awaited<ReturnType<typeof startTestSandbox>>): Promise<string> {
  const provider = new TestOAuthProvider({ redirectUri: REDIRECT_URI, clientId: 'sandbox-native' });
  const transport = new StreamableHTTPClientTransport(new URL(sandbox.server.url), {
    authProvider: provider,
  });
  await new Client({ name: 'soak', version: '1' }).connect(transport).catch(() => undefined);
  const user = sandbox.issuer.users.find((u) => u.username === 'alice')!;
  const { callback } = await signIn(provider.authorizationUrl!, {
    ...user,
    redirectUri: REDIRECT_URI,
  });
  await transport.finishAuth(callback.searchParams.get('code')!);
  const token = provider.tokens()!.access_token;
  if (token.split('.').length !== 3) throw new Error('Expected a JWT access token');
  return token;
}

function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish within ${DEADLINE_MS} ms`)),
      DEADLINE_MS,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  const sandbox = await startTestSandbox();
  try {
    const token = await getJwt(sandbox);
    const sessions = await Promise.all(
      Array.from({ length: SESSIONS }, async () => {
        const transport = new StreamableHTTPClientTransport(new URL(sandbox.server.url), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        });
        const client = new Client({ name: 'soak', version: '1' });
        await client.connect(transport);
        return { client, transport };
      }),
    );

    let errors = 0;
    const errorSamples = new Set<string>();
    const latencies: number[] = [];
    const run = async (client: Client, calls: number, record: boolean) => {
      for (let i = 0; i < calls; i++) {
        const started = performance.now();
        try {
          const result = await client.callTool({ name: 'whoami', arguments: {} });
          const content = result.structuredContent as { authenticated?: boolean } | undefined;
          if (result.isError || content?.authenticated !== true)
            throw new Error('whoami did not authenticate');
        } catch (error) {
          if (record) {
            errors++;
            if (errorSamples.size < 5) errorSamples.add((error as Error).message);
          }
        }
        if (record) latencies.push(performance.now() - started);
      }
    };

    console.log(
      `Soak: ${SESSIONS} sessions × ${CALLS_PER_SESSION} whoami calls (after ${WARMUP_CALLS_PER_SESSION} warm-up calls each), Streamable HTTP, JWT, loopback, ${gc ? 'with' : 'WITHOUT'} global.gc before each memory reading${gc ? '' : ' (run node with --expose-gc for a fair reading)'}`,
    );
    await withDeadline(
      Promise.all(sessions.map(({ client }) => run(client, WARMUP_CALLS_PER_SESSION, false))),
      'warm-up',
    );
    const rssWarm = await settledRss();
    const heapWarm = process.memoryUsage().heapUsed;

    const started = performance.now();
    await withDeadline(
      Promise.all(sessions.map(({ client }) => run(client, CALLS_PER_SESSION, true))),
      'the soak',
    );
    const elapsedMs = performance.now() - started;
    const rssEnd = await settledRss();
    const heapEnd = process.memoryUsage().heapUsed;
    const during = sandbox.server.stats();

    await Promise.allSettled(
      sessions.map(async ({ client, transport }) => {
        await transport.terminateSession();
        await client.close();
      }),
    );
    const after = sandbox.server.stats();

    latencies.sort((a, b) => a - b);
    const calls = latencies.length;
    const figures = {
      sessions: SESSIONS,
      callsPerSession: CALLS_PER_SESSION,
      calls,
      elapsedMs: Math.round(elapsedMs),
      callsPerSec: Math.round((calls / elapsedMs) * 1000),
      p50Ms: Number(percentile(latencies, 50).toFixed(2)),
      p99Ms: Number(percentile(latencies, 99).toFixed(2)),
      errors,
      errorSamples: [...errorSamples],
      gc: Boolean(gc),
      rssAfterWarmupBytes: rssWarm,
      rssAtEndBytes: rssEnd,
      rssGrowth: Number(((rssEnd - rssWarm) / rssWarm).toFixed(4)),
      heapUsedAfterWarmupBytes: heapWarm,
      heapUsedAtEndBytes: heapEnd,
      serverDuringSoak: during,
      serverAfterClientsLeft: after,
    };

    console.log(`\ncalls:          ${calls} in ${(elapsedMs / 1000).toFixed(1)} s`);
    console.log(`calls/s:        ${figures.callsPerSec}`);
    console.log(`latency:        p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms`);
    console.log(
      `errors:         ${errors}${errorSamples.size ? ` (e.g. ${[...errorSamples].join(' | ')})` : ''}`,
    );
    console.log(
      `resident memory: ${mb(rssWarm)} after warm-up, ${mb(rssEnd)} at the end (${(figures.rssGrowth * 100).toFixed(1)}%); heap ${mb(heapWarm)} → ${mb(heapEnd)}`,
    );
    console.log(
      `server holds:   ${during.streamableHttpSessions} sessions and ${during.cachedVerdicts} cached verdict(s) during the soak; ${after.streamableHttpSessions} sessions after the clients ended theirs`,
    );

    const zeroErrors = errors === 0 && calls === SESSIONS * CALLS_PER_SESSION;
    const memoryFlat = Math.abs(figures.rssGrowth) <= MEMORY_TOLERANCE;
    console.log(`\n${zeroErrors ? 'PASS' : 'FAIL'} errors: ${errors} (target 0)`);
    console.log(
      `${memoryFlat ? 'PASS' : 'FAIL'} memory: RSS ${figures.rssGrowth >= 0 ? '+' : ''}${(figures.rssGrowth * 100).toFixed(1)}% from warm-up to end (target within ±${MEMORY_TOLERANCE * 100}%, ${gc ? 'after global.gc' : 'no global.gc'})`,
    );

    const file = 'test-results/bench/soak.json';
    await mkdir('test-results/bench', { recursive: true });
    await writeFile(
      file,
      `${JSON.stringify({ at: new Date().toISOString(), node: process.version, ...figures, pass: { errors: zeroErrors, memory: memoryFlat } }, null, 2)}\n`,
    );
    console.log(`\nFigures saved to ${file}`);
    return zeroErrors && memoryFlat ? 0 : 1;
  } finally {
    await sandbox.close();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error('FAIL soak:', error);
  return 1;
});
// Bounded even if a hung call (after a deadline) still holds a socket: leave 10 s later at most.
setTimeout(() => process.exit(), 10_000).unref();
