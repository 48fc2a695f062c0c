import { parseArgs } from 'node:util';
import { openDataDir } from '../shared/data-dir';
import { BundledStack } from '../stack';
import {
  DEFAULT_SERVER_SETTINGS,
  trustsSandbox,
  type IssuerStatus,
  type VerificationEvent,
} from '../server';
import {
  SERVER_FLAG_OPTIONS,
  SERVER_FLAGS_HELP,
  settingsFromFlags,
  portFlag,
} from './server-flags';
import { UsageError } from './usage-error';

const HELP = `npm run serve -- [options]

Starts the bundled MCP server on loopback, headless, trusting the sandbox issuer (started with
it) or the issuer you name.

  --port <n>              MCP server port (default 3001, env PORT)
${SERVER_FLAGS_HELP}
  --issuer-port <n>       sandbox issuer port (default 3100, env ISSUER_PORT)
  --dcr                   let clients register at the sandbox (Logto has no DCR; off by default)
  --data-dir <path>       where the sandbox keeps its keys (env MCP_AUTH_DESKTOP_DATA)
  --quiet                 do not print each verification decision

Example, the server of Logto's MCP tutorial trusting your tenant:
  npm run serve -- --issuer https://<tenant>.logto.app/oidc --require-scope whoami:read
`;

/** `{ key: value }` when value is set, else nothing (exactOptionalPropertyTypes forbids undefined). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** One line on whether the trusted issuer can be asked. */
export function describeIssuerStatus(status: IssuerStatus): string {
  switch (status.state) {
    case 'ready':
      return `Issuer ${status.issuer} answers (discovery: ${status.discovery}); tokens can be verified.`;
    case 'checking':
      return `Checking the issuer ${status.issuer}…`;
    case 'unavailable':
      return (
        `Cannot reach the issuer ${status.issuer}: ${status.problem.replace(/\.+$/, '')}.\n` +
        `  Until it answers, /mcp and /sse answer 503 with this reason and Retry-After; the server asks ` +
        `the issuer again on its own and on each request, and picks it up when it is back.`
      );
  }
}

export function describeStack(stack: BundledStack): string {
  const { server, settings } = stack;
  const sandbox = stack.sandboxIssuer;
  const lines = [
    trustsSandbox(settings)
      ? 'MCP Auth Desktop sandbox is running.'
      : 'MCP Auth Desktop server is running.',
    '',
    `  Issuer:    ${server.issuer}${trustsSandbox(settings) ? '   (the sandbox)' : ''}`,
    `  MCP URL:   ${server.url}   (Streamable HTTP)`,
    `  SSE URL:   ${server.sseUrl}   (legacy SSE)`,
    `  Resource:  ${server.resource}`,
    `  Verifies:  ${server.verification}, cached ${settings.cacheTtlSec} s` +
      (server.requiredScopes.length ? `, requires ${server.requiredScopes.join(' ')}` : ''),
    `  Clients:   ${server.allowedClientIds.length ? server.allowedClientIds.join(', ') : 'any client of the issuer'}`,
    '',
  ];
  if (sandbox) {
    lines.push('Demo users:');
    lines.push(...sandbox.users.map((u) => `  username: ${u.username}  password: ${u.password}`));
    lines.push('', 'Clients:');
    for (const client of sandbox.clients) {
      lines.push(`  ${client.appType} client id: ${client.clientId}`);
      if (client.clientSecret)
        lines.push(`  ${client.appType} client secret: ${client.clientSecret}`);
    }
    lines.push('');
  } else {
    lines.push(describeIssuerStatus(server.issuerStatus()), '');
  }
  lines.push('Press Ctrl-C to stop.');
  return lines.join('\n');
}

export function describeDecision(e: VerificationEvent): string {
  const who = e.subject ? ` sub=${e.subject}` : '';
  const why = e.reason ? ` (${e.reason})` : '';
  const via = e.method ? ` via ${e.method}${e.cached ? ' (cached)' : ''}` : '';
  return `${e.at} ${e.httpMethod} ${e.path} -> ${e.status} ${e.verdict}${via}${who}${why} ${e.latencyMs.toFixed(1)} ms`;
}

export async function runServe(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        'issuer-port': { type: 'string' },
        ...SERVER_FLAG_OPTIONS,
        dcr: { type: 'boolean' },
        'data-dir': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${HELP}`);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  // Flags only: `serve` is the tutorial's server, independent of what the app saved.
  const settings = settingsFromFlags(values, DEFAULT_SERVER_SETTINGS);
  const data = await openDataDir(values['data-dir']);
  for (const message of data.notes) console.log(message);
  const stack = await BundledStack.start({
    dataDir: data.dir,
    settings,
    ...optional('serverPort', portFlag(values.port ?? process.env.PORT, '--port')),
    ...optional(
      'issuerPort',
      portFlag(values['issuer-port'] ?? process.env.ISSUER_PORT, '--issuer-port'),
    ),
    ...(values.dcr && { dynamicClientRegistration: true }),
  });
  // Listen for Ctrl-C before saying "Press Ctrl-C": a person (or a script) may press it at once.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await stack.server.issuerChecked();
  console.log(describeStack(stack));
  // What was repaired at start (key files whose permissions were tightened), as the app shows it.
  for (const note of stack.notes) console.log(`Note: ${note}`);
  stack.events.on('issuer-status', (status) => console.log(describeIssuerStatus(status)));
  if (!values.quiet) {
    stack.events.on('verification', (event) => console.log(describeDecision(event)));
  }
  await stopped;
  console.log('\nStopping…');
  await stack.close();
  console.log('Stopped.');
  return 0;
}
