import { parseArgs } from 'node:util';
import { openDataDir } from '../shared/data-dir';
import { startSandboxStack, type SandboxStack } from '../stack';
import type { VerificationEvent, VerificationMode } from '../server';
import { UsageError } from './usage-error';

const HELP = `npm run serve -- [options]

Starts the sandbox issuer and the bundled MCP server on loopback, headless.

  --port <n>              MCP server port (default 3001, env PORT)
  --issuer-port <n>       sandbox issuer port (default 3100, env ISSUER_PORT)
  --verification <mode>   auto | jwt | userinfo (default auto)
  --require-scope <s>     a scope every call must carry (repeatable), e.g. whoami:read
  --dcr                   let clients register themselves (Logto has no DCR; off by default)
  --data-dir <path>       where the sandbox keeps its keys (env MCP_AUTH_DESKTOP_DATA)
  --quiet                 do not print each verification decision
`;

function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`${flag} must be a port number from 0 to 65535, not "${value}".`);
  }
  return n;
}

function mode(value: string | undefined): VerificationMode | undefined {
  if (value === undefined || value === 'auto' || value === 'jwt' || value === 'userinfo')
    return value;
  throw new UsageError(`--verification must be auto, jwt or userinfo, not "${value}".`);
}

/** `{ key: value }` when value is set, else nothing (exactOptionalPropertyTypes forbids undefined). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

export function describeStack(stack: SandboxStack): string {
  const { issuer, server } = stack;
  const lines = [
    'MCP Auth Desktop sandbox is running.',
    '',
    `  Issuer:    ${issuer.issuer}`,
    `  MCP URL:   ${server.url}   (Streamable HTTP)`,
    `  SSE URL:   ${server.sseUrl}   (legacy SSE)`,
    `  Resource:  ${server.resource}`,
    '',
    'Demo users:',
    ...issuer.users.map((u) => `  username: ${u.username}  password: ${u.password}`),
    '',
    'Clients:',
  ];
  for (const client of issuer.clients) {
    lines.push(`  ${client.appType} client id: ${client.clientId}`);
    if (client.clientSecret)
      lines.push(`  ${client.appType} client secret: ${client.clientSecret}`);
  }
  lines.push('', 'Press Ctrl-C to stop.');
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
        verification: { type: 'string' },
        'require-scope': { type: 'string', multiple: true },
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
  const verification = mode(values.verification);
  const data = await openDataDir(values['data-dir']);
  for (const message of data.notes) console.log(message);
  const stack = await startSandboxStack({
    dataDir: data.dir,
    ...optional('serverPort', port(values.port ?? process.env.PORT, '--port')),
    ...optional(
      'issuerPort',
      port(values['issuer-port'] ?? process.env.ISSUER_PORT, '--issuer-port'),
    ),
    ...(verification && { verification }),
    ...(values['require-scope'] && { requiredScopes: values['require-scope'] }),
    ...(values.dcr && { dynamicClientRegistration: true }),
  });
  // Listen for Ctrl-C before saying "Press Ctrl-C": a person (or a script) may press it at once.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  console.log(describeStack(stack));
  if (!values.quiet) {
    stack.server.events.on('verification', (event) => console.log(describeDecision(event)));
  }
  await stopped;
  console.log('\nStopping…');
  await stack.close();
  console.log('Stopped.');
  return 0;
}
