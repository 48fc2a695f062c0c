/**
 * The bundled server's settings as a person chooses them: which issuer it trusts, for which
 * resource, how it checks tokens. One zod schema, used where settings enter (the Server tab,
 * `serve`/`web` flags, the settings file) and by every host, so all agree on what is valid.
 */
import { z } from 'zod';
import type { ServerSettings, SettingsValidation } from './settings-types';
import {
  DEFAULT_CLOCK_TOLERANCE_SEC,
  DEFAULT_SCOPES_SUPPORTED,
  DEFAULT_VERIFICATION_CACHE_TTL_MS,
  isHttpUrl,
  scopeToken,
  VERIFICATION_MODES,
  type McpServerOptions,
} from './config';

/** The trusted issuer is the bundled sandbox issuer, wherever it runs. */
export const SANDBOX_ISSUER = 'sandbox';

/** Longest cache window one may choose: past that a revoked token would live on for too long. */
export const MAX_CACHE_TTL_SEC = 300;
/** Most clock leeway one may choose: past that an expired token would live on for too long. */
export const MAX_CLOCK_TOLERANCE_SEC = 300;

export const serverSettingsSchema = z.object({
  /** `sandbox`, or an issuer URL such as https://<tenant>.logto.app/oidc. */
  issuer: z
    .string()
    .trim()
    .refine((value) => value === SANDBOX_ISSUER || isHttpUrl(value), {
      message: `The issuer is "${SANDBOX_ISSUER}" or an http(s) URL such as https://your-tenant.logto.app/oidc.`,
    })
    .default(SANDBOX_ISSUER),
  /** RFC 8707 resource indicator; empty means `http://localhost:<port>/` (Logto's guides). */
  resource: z
    .string()
    .trim()
    .refine((value) => value === '' || isHttpUrl(value), {
      message:
        'The resource indicator is an http(s) URL without a fragment, such as http://localhost:3001/ (empty for that default).',
    })
    .default(''),
  verification: z
    .enum(VERIFICATION_MODES, { error: 'The verification mode is auto, jwt or userinfo.' })
    .default('auto'),
  requiredScopes: z.array(scopeToken).default([]),
  scopesSupported: z.array(scopeToken).default([...DEFAULT_SCOPES_SUPPORTED]),
  cacheTtlSec: z
    .number({ error: 'The cache window is a number of seconds, such as 10.' })
    .int('The cache window is a whole number of seconds.')
    .min(0, 'The cache window cannot be negative (0 asks the issuer on every request).')
    .max(MAX_CACHE_TTL_SEC, `The cache window is at most ${MAX_CACHE_TTL_SEC} s.`)
    .default(DEFAULT_VERIFICATION_CACHE_TTL_MS / 1000),
  /** Empty accepts tokens issued to any client of the issuer. */
  allowedClientIds: z
    .array(z.string().trim().min(1, 'A client ID cannot be empty.').max(200))
    .default([]),
  /** RFC 7519 §4.1.4 allows "some small leeway" for clock skew between issuer and server. */
  clockToleranceSec: z
    .number({ error: 'The clock leeway is a number of seconds, such as 30.' })
    .int('The clock leeway is a whole number of seconds.')
    .min(0, 'The clock leeway cannot be negative (0 trusts the clocks to agree exactly).')
    .max(MAX_CLOCK_TOLERANCE_SEC, `The clock leeway is at most ${MAX_CLOCK_TOLERANCE_SEC} s.`)
    .default(DEFAULT_CLOCK_TOLERANCE_SEC),
});

export type { ServerSettings, SettingsValidation } from './settings-types';

// The plain types the renderer sees and the schema's output must stay the same shape.
type SchemaOutput = z.output<typeof serverSettingsSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<SchemaOutput, ServerSettings> = true;
void sameShape;

export const DEFAULT_SERVER_SETTINGS: ServerSettings = serverSettingsSchema.parse({});

/** Validates settings from outside (a form, a file, flags); each issue names its field. */
export function validateServerSettings(input: unknown): SettingsValidation {
  const result = serverSettingsSchema.safeParse(input ?? {});
  if (result.success) return { ok: true, settings: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: issue.path.join('.') || 'settings',
      message: issue.message,
    })),
  };
}

export const trustsSandbox = (settings: ServerSettings): boolean =>
  settings.issuer === SANDBOX_ISSUER;

/** The options startMcpServer takes, once the sandbox's URL (if it is trusted) is known. */
export function serverOptionsFrom(
  settings: ServerSettings,
  issuerUrl: string,
): Pick<
  McpServerOptions,
  | 'issuer'
  | 'resource'
  | 'verification'
  | 'requiredScopes'
  | 'scopesSupported'
  | 'verificationCacheTtlMs'
  | 'allowedClientIds'
  | 'clockToleranceSec'
> {
  return {
    issuer: issuerUrl,
    ...(settings.resource && { resource: settings.resource }),
    verification: settings.verification,
    requiredScopes: settings.requiredScopes,
    scopesSupported: settings.scopesSupported,
    verificationCacheTtlMs: settings.cacheTtlSec * 1000,
    allowedClientIds: settings.allowedClientIds,
    clockToleranceSec: settings.clockToleranceSec,
  };
}
