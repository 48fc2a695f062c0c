/**
 * `npm run connect -- <mcp-server-url> [options]`: the inspector's engine, headless. Prints each
 * step as it finishes, then the tool's answer.
 */
import { writeFile } from 'node:fs/promises';
import { createInterface, type Interface as ReadlineInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Flow, settingsFromProfile } from '../client/engine/flow';
import type { AnyStepState } from '../client/engine/flow-steps';
import { followAuthorizationUrl } from '../client/engine/headless-follower';
import { FlowStepError } from '../client/engine/notes';
import { SessionStore } from '../client/engine/session-store';
import { RedirectReceiver, startLoopbackListener } from '../client/redirect';
import { validateProfileInput } from '../profiles/schema';
import { MemorySecretStore } from '../profiles/secret-store';
import { logTrace, TraceRecorder } from '../trace';
import { createLogger, parseLogLevel, type LogLevel } from '../shared/logger';
import { openInBrowser } from './open-browser';
import { UsageError } from './usage-error';

const HELP = `npm run connect -- <mcp-server-url> [options]

Signs in to an OAuth-protected MCP server, the way the desktop app does, and calls a tool.

  --transport <t>        streamable-http | sse (default: sse when the URL ends in /sse)
  --client-id <id>       a pre-registered client ID (a Logto app's App ID), or a Client ID
                         Metadata Document URL; without one the client registers itself if the
                         issuer allows Dynamic Client Registration
  --client-secret <s>    for confidential clients (or env MCP_CLIENT_SECRET); with --issuer it
                         is sent only to that issuer
  --client-metadata-url <url>
                         this app's Client ID Metadata Document, used when no client ID is set
                         and the issuer accepts such documents
  --client-info-env <v>  read {"client_id","client_secret"} JSON from environment variable v
                         (ignored when unset)
  --issuer <url>         the issuer to sign in at; the sign-in stops if the server trusts
                         another one
  --scope <s>            scope(s) to request on top of the server's (repeatable); with none
                         and none advertised, no scope is sent (e.g. add: openid profile email)
  --resource <r>         auto (from the server's metadata, a JWT) | none (an opaque token) | <url>
  --prompt <p>           e.g. login, consent
  --param <k=v>          extra authorization parameter (repeatable), e.g. first_screen=register
  --refresh-tokens       ask for a refresh token (offline_access + prompt=consent, as Logto needs)
  --tool <name>          the tool to call (default whoami, when the server has it)
  --args <json>          the tool's arguments as JSON (default {})
  --auto                 follow the sign-in URL without a browser (for servers that approve
                         without a person)
  The browser: $BROWSER (e.g. BROWSER=firefox, or "chromium %s"), else the system's opener.
  --redirect-port <n>    the loopback port to receive the redirect on (default: any free port)
  --timeout <seconds>    how long to wait for the sign-in (default 300)
  --sign-out             after the call, revoke the tokens, open the issuer's sign-out page
                         and show what the server says to the old token then
  --trace <file>         write the redacted trace of every exchange to a JSON file
  --log-level <l>        error | warn | info | debug (env LOG_LEVEL; default warn); debug prints
                         every HTTP exchange, redacted
`;

function clientInfoFromEnv(
  name: string | undefined,
): { client_id?: string; client_secret?: string } | undefined {
  const raw = name ? process.env[name] : undefined;
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return {
      ...(typeof parsed.client_id === 'string' && { client_id: parsed.client_id }),
      ...(typeof parsed.client_secret === 'string' && { client_secret: parsed.client_secret }),
    };
  } catch {
    throw new UsageError(
      `The environment variable ${name} must hold JSON such as {"client_id":"..."}.`,
    );
  }
}

function printStep(step: AnyStepState): void {
  if (step.status === 'pending' || step.status === 'running') return;
  if (step.status === 'waiting') {
    if (step.id === 'sign-in')
      console.log(`… ${step.title}: waiting for you to sign in in the browser`);
    return;
  }
  const mark = step.status === 'done' ? '✓' : step.status === 'skipped' ? '–' : '✗';
  const time =
    step.durationMs !== undefined && step.status !== 'skipped' ? ` (${step.durationMs} ms)` : '';
  console.log(`${mark} ${step.title}${time}`);
  for (const finding of step.findings) {
    const prefix = finding.level === 'info' ? ' ' : finding.level === 'warning' ? '!' : '✗';
    console.log(`    ${prefix} ${finding.message}`);
  }
  if (step.error) {
    console.log(`    ✗ ${step.error.message}`);
    if (step.error.fix) console.log(`    → ${step.error.fix}`);
  }
}

/**
 * After a bare callback (Logto's consent Cancel, or any page that hits the address), the sign-in
 * stays open and asks: Enter tries again, "stop" (or the end of input) stops it.
 */
function askAboutSuspectedCancel(flow: Flow): { close(): void } {
  let rl: ReadlineInterface | undefined;
  let asked = false;
  const stop = flow.onChange((steps) => {
    const question = steps.find((step) => step.id === 'sign-in')?.question;
    if (!question || rl) return;
    asked = true;
    const ask = (rl = createInterface({ input: process.stdin }));
    console.log(
      `\n! ${question.message}\n  Press Enter to open the sign-in page again, or type stop and press Enter to stop.`,
    );
    const done = () => {
      if (rl === ask) rl = undefined; // first: close() below must not read as "no one answers"
      ask.close();
    };
    ask.once('line', (line) => {
      done();
      if (/^\s*(s|stop|n|no|q|quit)\s*$/i.test(line)) flow.cancel();
      else flow.retrySignIn();
    });
    ask.once('close', () => {
      if (rl !== ask) return;
      rl = undefined;
      flow.cancel(); // no one to answer: stop, as asked
    });
  });
  return {
    close: () => {
      stop();
      const open = rl;
      rl = undefined;
      open?.close();
      // Once read from, stdin would keep the command alive after its work is done.
      if (asked) (process.stdin as { unref?: () => void }).unref?.();
    },
  };
}

export async function runConnect(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        transport: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'client-metadata-url': { type: 'string' },
        'client-info-env': { type: 'string' },
        issuer: { type: 'string' },
        scope: { type: 'string', multiple: true },
        resource: { type: 'string' },
        prompt: { type: 'string' },
        param: { type: 'string', multiple: true },
        'refresh-tokens': { type: 'boolean' },
        tool: { type: 'string' },
        args: { type: 'string' },
        auto: { type: 'boolean' },
        'redirect-port': { type: 'string' },
        timeout: { type: 'string' },
        'sign-out': { type: 'boolean' },
        trace: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${HELP}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  // The conformance suite appends the server URL last; take the last positional.
  const serverUrl = positionals.at(-1);
  if (!serverUrl) throw new UsageError(`Which MCP server? Give its URL.\n\n${HELP}`);

  const extraParams: Record<string, string> = {};
  for (const pair of values.param ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--param takes key=value, not "${pair}".`);
    extraParams[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  let toolArgs: Record<string, unknown> = {};
  if (values.args) {
    try {
      toolArgs = JSON.parse(values.args) as Record<string, unknown>;
    } catch {
      throw new UsageError(`--args must be a JSON object, e.g. '{"name":"x"}'.`);
    }
  }
  const resource = values.resource ?? 'auto';
  const fromEnv = clientInfoFromEnv(values['client-info-env']);
  const clientId = values['client-id'] ?? fromEnv?.client_id;
  const clientSecret =
    values['client-secret'] ?? process.env.MCP_CLIENT_SECRET ?? fromEnv?.client_secret;
  const validated = validateProfileInput({
    id: 'cli',
    name: 'Command line',
    kind: 'custom',
    serverUrl,
    transport:
      values.transport ??
      (/\/sse\/?$/.test(new URL(serverUrl, 'http://x').pathname) ? 'sse' : 'streamable-http'),
    issuer: values.issuer,
    clientId,
    hasClientSecret: !!clientSecret,
    // Only what was asked for: MCP's scope selection sends no scope when nothing names one.
    scopes: (values.scope ?? []).flatMap((s) => s.split(/\s+/)).filter(Boolean),
    resource:
      resource === 'auto' || resource === 'none'
        ? { mode: resource }
        : { mode: 'custom', value: resource },
    prompt: values.prompt,
    extraParams,
    redirectMode: 'loopback',
    refreshTokens: !!values['refresh-tokens'],
  });
  if (!validated.ok) {
    throw new UsageError(
      validated.issues.map((i) => `${i.path || 'options'}: ${i.message}`).join('\n'),
    );
  }
  const redirectPort = values['redirect-port'] ? Number(values['redirect-port']) : 0;
  if (!Number.isInteger(redirectPort) || redirectPort < 0 || redirectPort > 65535) {
    throw new UsageError('--redirect-port must be a port number.');
  }
  const timeoutSec = values.timeout ? Number(values.timeout) : 300;
  if (!(timeoutSec > 0)) throw new UsageError('--timeout must be a number of seconds.');

  let level: LogLevel;
  try {
    level = parseLogLevel(values['log-level'] ?? process.env.LOG_LEVEL, 'warn');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const recorder = new TraceRecorder();
  // Each finding is printed under its step below: the log would only say it twice.
  logTrace(
    recorder,
    createLogger({ level, scrub: (text) => recorder.secrets.replaceKnown(text) }),
    { findings: false },
  );
  const receiver = new RedirectReceiver();
  const listener = await startLoopbackListener({ receiver, port: redirectPort });
  const auto = !!values.auto;
  const settings = settingsFromProfile(validated.profile, clientSecret);
  if (values['client-metadata-url']) settings.clientMetadataUrl = values['client-metadata-url'];
  if (redirectPort) settings.redirectPort = redirectPort;
  if (clientSecret && !values.issuer) {
    // The person typed both the server and the secret for this run: honour that, and say what
    // it means (a saved profile never does this: it needs its issuer).
    settings.allowSecretToServerIssuer = true;
    console.log(
      '! A client secret without --issuer goes to whichever issuer the server names. Add --issuer <url> to send it only there.',
    );
  }
  const flow: Flow = new Flow(settings, {
    recorder,
    receiver,
    redirectUri: listener.redirectUri,
    sessions: new SessionStore(new MemorySecretStore()),
    signInTimeoutMs: timeoutSec * 1000,
    headless: auto,
    openAuthorizationUrl: async (url) => {
      if (auto) {
        await followAuthorizationUrl(url, {
          redirectUri: listener.redirectUri,
          receiver,
          fetchFn: fetch,
        });
        return;
      }
      const opened = await openInBrowser(url.href);
      console.log(
        opened
          ? `Opened the sign-in page in your browser. If it did not appear, open this URL:\n  ${url.href}`
          : `No browser could be opened (set BROWSER to the browser to use). Open this URL in a browser to sign in:\n  ${url.href}`,
      );
    },
  });
  const answers = askAboutSuspectedCancel(flow);
  const seen = new Map<string, string>();
  flow.onChange((steps) => {
    // The sign-in steps, then refresh and sign-out, which the engine keeps as steps of their own.
    for (const step of [...steps, ...flow.sessionSteps]) {
      const key = `${step.status}:${step.durationMs ?? ''}`;
      if (seen.get(step.id) === key) continue;
      seen.set(step.id, key);
      printStep(step);
    }
  });

  let code = 0;
  try {
    const { tools } = await flow.run();
    const wanted = values.tool ?? (tools.some((t) => t.name === 'whoami') ? 'whoami' : undefined);
    if (wanted) {
      if (!tools.some((t) => t.name === wanted)) {
        throw new FlowStepError(
          `The server has no tool named ${wanted}.`,
          `Its tools: ${tools.map((t) => t.name).join(', ') || 'none'}.`,
        );
      }
      const result = await flow.callTool(wanted, toolArgs);
      console.log(`\n${wanted}:`);
      console.log(JSON.stringify(result.structuredContent ?? result.content, null, 2));
      if (result.isError) code = 1;
    }
    if (values['sign-out']) {
      // The end-session URL carries the ID token as its hint: it goes to the browser, never to
      // the terminal. The steps above already told the server's answer to the old token.
      let endSession = '';
      const report = await flow.signOut({
        openEndSession: async (url) => {
          // --auto: no person at a browser, so the page is only named.
          endSession =
            !auto && (await openInBrowser(url.href))
              ? 'Opened the issuer’s sign-out page in your browser, to end its session too.'
              : `To end the issuer’s session too, open this in a browser (it asks you to confirm):\n    ${withoutIdTokenHint(url)}`;
        },
      });
      console.log('\nSigned out.');
      for (const r of report.revoked)
        console.log(`  revoked ${r.token}: ${r.status}${r.note ? ` (${r.note})` : ''}`);
      if (endSession) console.log(`  ${endSession}`);
    }
  } catch (error) {
    code = 1;
    if (!(error instanceof FlowStepError)) console.error(`\n${(error as Error).message}`);
  } finally {
    answers.close();
    await flow.close();
    await listener.close();
    receiver.cancelAll('The command ended.');
    if (values.trace) {
      await writeFile(values.trace, recorder.export(), { mode: 0o600 });
      console.log(`\nTrace (redacted) written to ${values.trace}`);
    }
  }
  return code;
}

/** The end-session URL without the ID token (OpenID RP-Initiated Logout §2: the hint is optional). */
function withoutIdTokenHint(url: URL): string {
  const copy = new URL(url);
  copy.searchParams.delete('id_token_hint');
  return copy.href;
}
