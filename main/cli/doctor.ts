/**
 * `npm run doctor -- --issuer <url> --client-id <id> [--server <mcp url>] ...`: every check that
 * needs no person, as a table (or JSON with --json). Exit code 1 when any check fails.
 */
import { parseArgs } from 'node:util';
import { formatReport, runDoctor, type DoctorInput } from '../doctor';
import { doctorFetch } from '../doctor/run';
import { UsageError } from './usage-error';

const HELP = `npm run doctor -- --issuer <url> [--server <mcp url>] [options]

Checks a tenant's configuration the way a sign-in would meet it, without signing in: the issuer,
the client registration, the authorization request (client, redirect URI on two ports, resource,
scopes), the MCP server's metadata and challenge, and clock skew. Each check passes, warns or
fails with the cause and the fix in Logto Console terms.

  --issuer <url>         the issuer, e.g. https://<tenant>.logto.app/oidc (without it, the one
                         the server's metadata names, as the app does)
  --client-id <id>       the App ID of your Logto app (the request is probed only with one)
  --server <url>         the MCP server URL, e.g. http://localhost:3001/mcp
  --transport <t>        streamable-http | sse (default: sse when the URL ends in /sse)
  --resource <r>         auto (the server's resource, a JWT) | none (an opaque token) | <url>
  --scope <s>            scope(s) the profile adds (repeatable)
  --refresh-tokens       the profile asks for a refresh token
  --redirect-uri <uri>   the redirect URI to probe (default http://127.0.0.1:<any port>/callback,
                         as the app's loopback listener)
  --timeout <seconds>    deadline for each request (default 5)
  --json                 print the report as JSON
`;

const httpUrl = (value: string, option: string): string => {
  const url = URL.parse(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`${option} must be an http(s) URL, not "${value}".`);
  }
  return value;
};

export function doctorInputFromArgs(
  args: string[],
): { input: DoctorInput; json: boolean; timeoutMs: number } | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        issuer: { type: 'string' },
        'client-id': { type: 'string' },
        server: { type: 'string' },
        transport: { type: 'string' },
        resource: { type: 'string' },
        scope: { type: 'string', multiple: true },
        'refresh-tokens': { type: 'boolean' },
        'redirect-uri': { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${HELP}`);
  }
  const { values } = parsed;
  if (values.help) return undefined;
  if (!values.issuer && !values.server) {
    throw new UsageError(
      `Which issuer? Give --issuer <url> (or --server <url> to follow its metadata).\n\n${HELP}`,
    );
  }
  const timeout = Number(values.timeout ?? 5);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new UsageError(`--timeout takes a number of seconds, not "${values.timeout}".`);
  }
  const transport =
    values.transport ?? (/\/sse\/?$/.test(values.server ?? '') ? 'sse' : 'streamable-http');
  if (transport !== 'sse' && transport !== 'streamable-http') {
    throw new UsageError(`--transport is streamable-http or sse, not "${transport}".`);
  }
  const resource = values.resource ?? 'auto';
  const input: DoctorInput = {
    ...(values.issuer && { issuer: httpUrl(values.issuer, '--issuer') }),
    ...(values['client-id'] && { clientId: values['client-id'] }),
    ...(values.server && { serverUrl: httpUrl(values.server, '--server'), transport }),
    resource:
      resource === 'auto' || resource === 'none'
        ? { mode: resource }
        : { mode: 'custom', value: httpUrl(resource, '--resource') },
    scopes: (values.scope ?? []).flatMap((s) => s.split(/\s+/)).filter(Boolean),
    refreshTokens: !!values['refresh-tokens'],
    ...(values['redirect-uri'] && { redirectUri: values['redirect-uri'] }),
  };
  return { input, json: !!values.json, timeoutMs: timeout * 1000 };
}

export async function runDoctorCommand(args: string[]): Promise<number> {
  const options = doctorInputFromArgs(args);
  if (!options) {
    console.log(HELP);
    return 0;
  }
  const report = await runDoctor(options.input, {
    fetch: doctorFetch({ timeoutMs: options.timeoutMs }),
  });
  console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.verdict === 'fail' ? 1 : 0;
}
