/** The bundled server's settings as command-line flags, shared by `serve` and `web`. */
import type { ParseArgsConfig } from 'node:util';
import { validateServerSettings, type ServerSettings } from '../server';
import { UsageError } from './usage-error';

export const SERVER_FLAG_OPTIONS = {
  issuer: { type: 'string' },
  resource: { type: 'string' },
  verification: { type: 'string' },
  'require-scope': { type: 'string', multiple: true },
  scope: { type: 'string', multiple: true },
  'cache-ttl': { type: 'string' },
  'clock-leeway': { type: 'string' },
  'allow-client': { type: 'string', multiple: true },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const SERVER_FLAGS_HELP = `  --issuer <url>          the issuer the MCP server trusts: "sandbox" (default) or a URL
                          such as https://<tenant>.logto.app/oidc
  --resource <url>        its resource indicator (default http://localhost:<port>/)
  --verification <mode>   auto | jwt | userinfo (default auto)
  --require-scope <s>     a scope every call must carry (repeatable), e.g. whoami:read
  --scope <s>             a scope to advertise (repeatable; default openid profile email whoami:read)
  --cache-ttl <seconds>   how long a verified token is trusted without asking again (default 10)
  --clock-leeway <sec>    how long past its exp a JWT is still accepted, for clock skew
                          (default 30)
  --allow-client <id>     accept only tokens issued to this client ID (repeatable)`;

type FlagValues = {
  issuer?: string | undefined;
  resource?: string | undefined;
  verification?: string | undefined;
  'require-scope'?: string[] | undefined;
  scope?: string[] | undefined;
  'cache-ttl'?: string | undefined;
  'clock-leeway'?: string | undefined;
  'allow-client'?: string[] | undefined;
};

/** A seconds flag as the schema sees it: empty is not zero. */
const seconds = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

const FLAG_OF: Record<string, string> = {
  issuer: '--issuer',
  resource: '--resource',
  verification: '--verification',
  requiredScopes: '--require-scope',
  scopesSupported: '--scope',
  cacheTtlSec: '--cache-ttl',
  clockToleranceSec: '--clock-leeway',
  allowedClientIds: '--allow-client',
};

/** The flags given, on top of `base`, checked by the one settings schema. */
export function settingsFromFlags(values: FlagValues, base: ServerSettings): ServerSettings {
  const ttl = values['cache-ttl'];
  const leeway = values['clock-leeway'];
  const result = validateServerSettings({
    ...base,
    ...(values.issuer !== undefined && { issuer: values.issuer }),
    ...(values.resource !== undefined && { resource: values.resource }),
    ...(values.verification !== undefined && { verification: values.verification }),
    ...(values['require-scope'] && { requiredScopes: values['require-scope'] }),
    ...(values.scope && { scopesSupported: values.scope }),
    ...(ttl !== undefined && { cacheTtlSec: seconds(ttl) }),
    ...(leeway !== undefined && { clockToleranceSec: seconds(leeway) }),
    ...(values['allow-client'] && { allowedClientIds: values['allow-client'] }),
  });
  if (result.ok) return result.settings;
  throw new UsageError(
    result.issues
      .map((issue) => {
        const field = issue.path.split('.')[0] ?? issue.path;
        return `${FLAG_OF[field] ?? issue.path}: ${issue.message}`;
      })
      .join('\n'),
  );
}

/** A port flag: a whole number from 0 (a free port) to 65535, or a UsageError naming the flag. */
export function portFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`${flag} must be a port number from 0 to 65535, not "${value}".`);
  }
  return n;
}
