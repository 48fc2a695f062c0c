/**
 * `npm run bench`: authenticated whoami calls per second and p50/p99 latency at 1 and 16
 * concurrent clients, for the same server with auth off (baseline), with JWT verification, with
 * cached userinfo verification, and for a server built the way the seed tutorial builds it. All
 * run in this one process on loopback; figures are reported as ratios to the baseline.
 *
 * Each is measured with the issuer answering at once (everything on one machine) and with the
 * issuer as far away as a tenant in another region (BENCH_ISSUER_LATENCY_MS, default "0,50"):
 * on loopback a userinfo call costs about as much as the MCP call itself, so only distance shows
 * what verifying at userinfo on every request costs in practice.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startMcpServer } from '../../main/server';
import { TestOAuthProvider } from '../support/oauth-provider';
import { startTestSandbox } from '../support/sandbox';
import { signIn } from '../support/sign-in';
import { startTutorialReferenceServer } from '../support/tutorial-reference-server';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3_000);
const WARMUP_MS = 500;
const CONCURRENCY = [1, 16];
const LATENCIES = (process.env.BENCH_ISSUER_LATENCY_MS ?? '0,50').split(',').map(Number);
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

interface Figures {
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

async function getToken(
  sandbox: Awaited<ReturnType<typeof startTestSandbox>>,
  sendResource: boolean,
): Promise<string> {
  const provider = new TestOAuthProvider({
    redirectUri: REDIRECT_URI,
    clientId: 'sandbox-native',
    sendResource,
  });
  const transport = new StreamableHTTPClientTransport(new URL(sandbox.server.url), {
    authProvider: provider,
  });
  await new Client({ name: 'bench', version: '1' }).connect(transport).catch(() => undefined);
  const user = sandbox.issuer.users[0]!;
  const { callback } = await signIn(provider.authorizationUrl!, {
    ...user,
    redirectUri: REDIRECT_URI,
  });
  await transport.finishAuth(callback.searchParams.get('code')!);
  return provider.tokens()!.access_token;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function measure(url: string, token: string | null, concurrency: number): Promise<Figures> {
  const clients = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const client = new Client({ name: 'bench', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} },
        }),
      );
      return client;
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  const run = async (client: Client, until: number, record: boolean) => {
    while (performance.now() < until) {
      const start = performance.now();
      try {
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        if (result.isError) errors += record ? 1 : 0;
      } catch {
        if (record) errors++;
      }
      if (record) latencies.push(performance.now() - start);
    }
  };
  await Promise.all(clients.map((c) => run(c, performance.now() + WARMUP_MS, false)));
  const started = performance.now();
  await Promise.all(clients.map((c) => run(c, started + DURATION_MS, true)));
  const elapsed = performance.now() - started;
  await Promise.all(clients.map((c) => c.close()));
  latencies.sort((a, b) => a - b);
  return {
    callsPerSec: (latencies.length / elapsed) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
  };
}

// The SDK's client transport passes one long-lived AbortSignal to every fetch of a session, and
// undici only drops its listener from that signal at garbage collection; thousands of calls on one
// session trip Node's listener-count warning. It is about the bench's clients, not the servers.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning' && /AbortSignal/.test(warning.message)) return;
  console.warn(warning);
});

async function main() {
  const sandbox = await startTestSandbox();
  const baseline = await startMcpServer({ port: 0, issuer: sandbox.issuer.issuer, auth: false });
  const reference = await startTutorialReferenceServer(sandbox.issuer.issuer);
  try {
    const jwt = await getToken(sandbox, true);
    const opaque = await getToken(sandbox, false);
    const variants = [
      { name: 'baseline (auth off)', url: baseline.url, token: null },
      { name: 'jwt', url: sandbox.server.url, token: jwt },
      { name: 'userinfo (cached)', url: sandbox.server.url, token: opaque },
      { name: 'tutorial reference', url: reference.url, token: opaque },
    ];
    type Cell = Figures & { ratioToBaseline: number };
    const results: Record<string, Record<string, Record<number, Cell>>> = {};
    const verdicts: string[] = [];
    for (const latency of LATENCIES) {
      let met = 0;
      sandbox.issuer.setLatency(latency);
      const scenario = `issuer latency ${latency} ms`;
      const table: Record<string, Record<number, Cell>> = (results[scenario] = {});
      for (const concurrency of CONCURRENCY) {
        for (const variant of variants) {
          const figures = await measure(variant.url, variant.token, concurrency);
          const base =
            table['baseline (auth off)']?.[concurrency]?.callsPerSec ?? figures.callsPerSec;
          (table[variant.name] ??= {})[concurrency] = {
            ...figures,
            ratioToBaseline: figures.callsPerSec / base,
          };
        }
      }

      console.log(
        `\nwhoami over Streamable HTTP on loopback, ${DURATION_MS / 1000} s per cell, ${scenario}\n`,
      );
      console.log(
        'variant                 clients   calls/s    p50 ms   p99 ms   x baseline  errors',
      );
      for (const concurrency of CONCURRENCY) {
        for (const variant of variants) {
          const f = table[variant.name]![concurrency]!;
          console.log(
            `${variant.name.padEnd(22)} ${String(concurrency).padStart(8)} ${f.callsPerSec.toFixed(0).padStart(9)} ${f.p50Ms.toFixed(2).padStart(9)} ${f.p99Ms.toFixed(2).padStart(8)} ${f.ratioToBaseline.toFixed(2).padStart(11)}x ${String(f.errors).padStart(7)}`,
          );
        }
      }
      console.log(
        'Targets (jwt and cached userinfo: >= 0.85x baseline and >= 3x the tutorial reference):',
      );
      for (const concurrency of CONCURRENCY) {
        const ref = table['tutorial reference']![concurrency]!.callsPerSec;
        for (const name of ['jwt', 'userinfo (cached)']) {
          const f = table[name]![concurrency]!;
          const vsRef = f.callsPerSec / ref;
          const ok = f.ratioToBaseline >= 0.85 && vsRef >= 3 && f.errors === 0;
          if (ok) met++;
          console.log(
            `  ${ok ? 'met   ' : 'MISSED'} ${name} at ${concurrency}: ${f.ratioToBaseline.toFixed(2)}x baseline, ${vsRef.toFixed(2)}x reference`,
          );
        }
      }
      verdicts.push(`${scenario}: ${met} of ${CONCURRENCY.length * 2} targets met`);
    }
    sandbox.issuer.setLatency(0);
    console.log(`\n${verdicts.join('\n')}`);
    const file = 'test-results/bench/whoami.json';
    await mkdir('test-results/bench', { recursive: true });
    await writeFile(
      file,
      JSON.stringify(
        { at: new Date().toISOString(), durationMs: DURATION_MS, node: process.version, results },
        null,
        2,
      ),
    );
    console.log(`\nFigures saved to ${file}`);
  } finally {
    await Promise.allSettled([baseline.close(), reference.close(), sandbox.close()]);
  }
}

await main();
