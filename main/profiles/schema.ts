/**
 * A profile is what the user configures to sign in at an issuer for one MCP server. Everything
 * that enters from the UI, the command line or a file is checked here, with messages that name
 * the field and say what to type instead: the UI shows them inline next to what the user typed.
 */
import { z } from 'zod';

/** The bundled MCP server's endpoint, as the sandbox starts it by default. */
export const DEFAULT_SANDBOX_MCP_URL = 'http://localhost:3001/mcp';

export const DEFAULT_SCOPES: readonly string[] = ['openid', 'profile', 'email'];

export const SANDBOX_FIRST_PARTY_ID = 'sandbox-first-party';
export const SANDBOX_THIRD_PARTY_ID = 'sandbox-third-party';

/**
 * Authorization request parameters the flow engine sets itself. A profile may not override them
 * through `extraParams`; the value says where the user configures the same thing instead.
 */
export const RESERVED_AUTHORIZATION_PARAMS: Readonly<Record<string, string>> = {
  client_id: 'use the Client ID field',
  redirect_uri: 'use the Redirect mode',
  response_type: 'the engine always uses the authorization code flow',
  code_challenge: 'the engine generates PKCE for every sign-in',
  code_challenge_method: 'the engine always uses S256',
  state: 'the engine generates a fresh state for every sign-in',
  scope: 'use the Scopes field',
  resource: 'use the Resource field',
  prompt: 'use the Prompt field',
};

export const PROMPT_VALUES = ['login', 'consent', 'none', 'select_account'] as const;

// ---------------------------------------------------------------------------------------------
// Field helpers

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const trimString = (value: unknown): unknown => (typeof value === 'string' ? value.trim() : value);

function tryParseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** "localhost:3001/" parses as a URL with the scheme "localhost:"; say what the user most likely meant. */
function looksLikeHostWithoutScheme(text: string): boolean {
  return /^[a-z0-9.-]+:\d+(\/|$)/i.test(text);
}

const requiredText = (required: string, wrongType: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? required : wrongType) });

/** An http(s) URL; `what` names the field in messages, `example` shows one that works. */
function httpUrl(what: string, example: string, opts: { allowQuery: boolean }) {
  const mustBe = `${what} must be an http(s) URL such as ${example}`;
  return requiredText(`${what} is required, e.g. ${example}`, mustBe).superRefine((text, ctx) => {
    const url = tryParseUrl(text);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      const hint = looksLikeHostWithoutScheme(text) ? ` (add "http://" in front)` : '';
      ctx.addIssue({ code: 'custom', message: `${mustBe}${hint}` });
      return;
    }
    if (url.username || url.password) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} must not contain a user name or password; remove the "user@" part`,
      });
    }
    if (text.includes('#')) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} must not contain a #fragment; remove everything from "#" on`,
      });
    }
    if (!opts.allowQuery && url.search) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} must not contain a ?query (OpenID Connect Discovery); use e.g. ${example}`,
      });
    }
  });
}

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const ScopeSchema = z
  .string({ error: 'Each scope must be text, e.g. "openid"' })
  .superRefine((scope, ctx) => {
    if (scope === '') {
      ctx.addIssue({ code: 'custom', message: 'Scope is empty; remove it from the list' });
    } else if (!SCOPE_TOKEN.test(scope)) {
      ctx.addIssue({
        code: 'custom',
        message:
          `Scope '${printable(scope)}' is not a valid scope: use printable ASCII without spaces, ` +
          `quotes (") or backslashes (\\), e.g. "openid" or "urn:logto:scope:organizations"`,
      });
    }
  });

/** A scope list may be typed as one space-separated string; it is stored as a de-duplicated array. */
const ScopesSchema = z
  .preprocess(
    (value) =>
      typeof value === 'string' ? value.split(/\s+/).filter((token) => token !== '') : value,
    z.array(ScopeSchema, {
      error: 'Scopes must be a list of scope names, e.g. ["openid", "profile", "email"]',
    }),
  )
  .transform((scopes) => [...new Set(scopes)]);

/** Shows control characters and overlong input in a message without letting them garble it. */
function printable(text: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  const visible = text.replace(/[\x00-\x1F\x7F]/g, '?');
  return visible.length > max ? `${visible.slice(0, max)}…` : visible;
}

const ResourceSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('auto') }),
    z.object({
      mode: z.literal('custom'),
      value: z.preprocess(
        trimString,
        requiredText(
          'Enter the resource indicator, e.g. the API identifier from Logto Console such as http://localhost:3001/',
          'Resource must be text, e.g. http://localhost:3001/',
        ).superRefine((text, ctx) => {
          const example = 'e.g. http://localhost:3001/';
          if (text === '') {
            ctx.addIssue({
              code: 'custom',
              message: `Enter the resource indicator (an absolute URL), ${example}`,
            });
            return;
          }
          const url = tryParseUrl(text);
          if (!url) {
            ctx.addIssue({
              code: 'custom',
              message: `Resource must be an absolute URL (RFC 8707), ${example}`,
            });
          } else if (text.includes('#')) {
            ctx.addIssue({
              code: 'custom',
              message: `Resource must not contain a #fragment (RFC 8707); remove everything from "#" on`,
            });
          } else if (looksLikeHostWithoutScheme(text)) {
            ctx.addIssue({
              code: 'custom',
              message: `Resource "${printable(text)}" reads as a host without a scheme; add "http://" or "https://" in front`,
            });
          }
        }),
      ),
    }),
    z.object({ mode: z.literal('none') }),
  ],
  {
    error:
      'Resource mode must be "auto" (use the resource the server\'s metadata names), ' +
      '"custom" (enter a resource indicator) or "none" (send no resource parameter)',
  },
);

const ClientIdSchema = z.preprocess(
  (value) => trimString(emptyToUndefined(value)),
  z
    .string({ error: 'Client ID must be text, e.g. the App ID from Logto Console' })
    .superRefine((text, ctx) => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
        // A Client ID Metadata Document: an https URL with a path, no fragment.
        const url = tryParseUrl(text);
        if (!url || url.protocol !== 'https:' || url.pathname === '/' || text.includes('#')) {
          ctx.addIssue({
            code: 'custom',
            message:
              'A client ID that is a URL must be an https URL with a path and no #fragment ' +
              '(a Client ID Metadata Document), e.g. https://example.com/oauth/client.json',
          });
        }
        return;
      }
      if (text.length > 255 || !/^[\x20-\x7E]+$/.test(text)) {
        ctx.addIssue({
          code: 'custom',
          message:
            'Client ID may contain only printable ASCII characters (up to 255); ' +
            'copy the App ID from Logto Console › Applications',
        });
      }
    })
    .optional(),
);

const PromptSchema = z.preprocess(
  emptyToUndefined,
  z
    .string({ error: `Prompt must be text: any of ${PROMPT_VALUES.join(', ')}` })
    .transform((text, ctx) => {
      const tokens = [...new Set(text.split(/\s+/).filter((token) => token !== ''))];
      const unknown = tokens.filter(
        (token) => !(PROMPT_VALUES as readonly string[]).includes(token),
      );
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message:
            `Prompt "${printable(unknown.join(' '))}" is not supported: use any of ` +
            `${PROMPT_VALUES.join(', ')}, separated by spaces`,
        });
        return z.NEVER;
      }
      if (tokens.includes('none') && tokens.length > 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            'Prompt "none" cannot be combined with other values (OpenID Connect Core §3.1.2.1)',
        });
        return z.NEVER;
      }
      return tokens.join(' ');
    })
    .optional(),
);

const PARAM_NAME = /^[A-Za-z0-9._~:-]+$/;
const MAX_PARAM_VALUE = 2048;

const ExtraParamsSchema = z
  .record(
    z.string(),
    z.string({
      error: `Each extra parameter's value must be text (up to ${MAX_PARAM_VALUE} characters)`,
    }),
    {
      error: 'Extra parameters must be name/value pairs, e.g. { "login_hint": "user@example.com" }',
    },
  )
  .superRefine((params, ctx) => {
    for (const [name, value] of Object.entries(params)) {
      const reserved = RESERVED_AUTHORIZATION_PARAMS[name.toLowerCase()];
      if (reserved !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `"${name}" is set by MCP Auth Desktop itself (${reserved}); remove it from the extra parameters`,
        });
      } else if (!PARAM_NAME.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `Parameter name "${printable(name)}" may contain only letters, digits, ".", "_", "-", "~" and ":", e.g. login_hint`,
        });
      } else if (value.length > MAX_PARAM_VALUE) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `The value of ${name} is too long (${value.length} characters; at most ${MAX_PARAM_VALUE})`,
        });
      }
    }
  });

const enumOf = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.enum(values, { error: message });

const bool = (what: string) => z.boolean({ error: `${what} must be true or false` });

// ---------------------------------------------------------------------------------------------
// The profile

export const ProfileSchema = z
  .object({
    id: requiredText('Profile id is required', 'Profile id must be text').regex(
      /^[A-Za-z0-9._-]{1,64}$/,
      "Profile id may contain only letters, digits, '.', '_' and '-' (1 to 64 characters)",
    ),
    name: z.preprocess(
      trimString,
      requiredText('Give the profile a name', 'Name must be text')
        .min(1, 'Give the profile a name, e.g. "My Logto tenant"')
        .max(80, 'Name must be at most 80 characters; shorten it'),
    ),
    serverUrl: z.preprocess(
      (value) => trimString(emptyToUndefined(value)),
      httpUrl('MCP server URL', DEFAULT_SANDBOX_MCP_URL, { allowQuery: true }),
    ),
    transport: enumOf(
      ['streamable-http', 'sse'],
      'Transport must be "streamable-http" (current MCP) or "sse" (the older HTTP+SSE transport)',
    ).default('streamable-http'),
    issuer: z.preprocess(
      (value) => trimString(emptyToUndefined(value)),
      httpUrl('Issuer', 'https://your-tenant.logto.app/oidc', { allowQuery: false }).optional(),
    ),
    clientId: ClientIdSchema,
    hasClientSecret: bool('"Has client secret"').default(false),
    scopes: ScopesSchema.default([...DEFAULT_SCOPES]),
    resource: ResourceSchema.default({ mode: 'auto' }),
    prompt: PromptSchema,
    extraParams: ExtraParamsSchema.default({}),
    redirectMode: enumOf(
      ['loopback', 'custom-scheme'],
      'Redirect mode must be "loopback" (http://127.0.0.1:<port>/callback, works on every host) ' +
        'or "custom-scheme" (the app.mcpauthdesktop: link, desktop app only)',
    ).default('loopback'),
    /**
     * A fixed loopback port for the redirect, for issuers that match redirect URIs exactly (a
     * Logto SPA or Traditional web app). Unset: any free port, which a Logto Native app accepts
     * as http://127.0.0.1/callback (RFC 8252 §7.3).
     */
    redirectPort: z.preprocess(
      (value) =>
        value === '' || value === null
          ? undefined
          : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
            ? Number(value)
            : value,
      z
        .number({ error: 'Redirect port must be a whole number from 1024 to 65535, e.g. 53123' })
        .int('Redirect port must be a whole number from 1024 to 65535, e.g. 53123')
        .min(1024, 'Redirect port must be 1024 or more (lower ports need administrator rights)')
        .max(65535, 'Redirect port must be at most 65535')
        .optional(),
    ),
    refreshTokens: bool('"Refresh tokens"').default(false),
    kind: enumOf(['sandbox', 'custom'], 'Kind must be "sandbox" or "custom"').default('custom'),
  })
  .refine((profile) => !(profile.refreshTokens && profile.prompt?.split(' ').includes('none')), {
    path: ['prompt'],
    message:
      'Prompt "none" cannot be used with refresh tokens: Logto issues a refresh token only ' +
      'with prompt=consent. Clear the prompt or turn refresh tokens off',
    // Run even when other fields have issues, so the form shows every problem at once.
    when: (payload) =>
      !payload.issues.some((issue) =>
        ['prompt', 'refreshTokens'].includes(String(issue.path?.[0])),
      ),
  })
  .refine(
    (profile) => !(profile.redirectPort !== undefined && profile.redirectMode !== 'loopback'),
    {
      path: ['redirectPort'],
      message:
        'A fixed redirect port applies to the loopback redirect only; clear it or choose the loopback redirect mode',
    },
  )
  // A blank optional field leaves no key behind (not a key holding undefined).
  .transform(
    (profile) =>
      Object.fromEntries(
        Object.entries(profile).filter(([, value]) => value !== undefined),
      ) as typeof profile,
  );

export type Profile = z.infer<typeof ProfileSchema>;
/** What a form or file may hand in: defaults fill the omitted fields. */
export type ProfileInput = z.input<typeof ProfileSchema>;
export type ProfileResource = Profile['resource'];

export interface ProfileIssue {
  /** Dotted path of the field, e.g. "issuer", "scopes.2", "extraParams.client_id"; "" for the whole profile. */
  path: string;
  message: string;
}

export type ProfileValidation =
  { ok: true; profile: Profile } | { ok: false; issues: ProfileIssue[] };

export function validateProfileInput(input: unknown): ProfileValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: 'A profile must be an object of fields' }] };
  }
  const result = ProfileSchema.safeParse(input);
  if (result.success) return { ok: true, profile: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}

export class ProfileValidationError extends Error {
  constructor(readonly issues: ProfileIssue[]) {
    super(
      `The profile is not valid: ${issues
        .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
        .join('; ')}.`,
    );
    this.name = 'ProfileValidationError';
  }
}

/** Validates or throws a ProfileValidationError listing every issue. */
export function parseProfile(input: unknown): Profile {
  const result = validateProfileInput(input);
  if (!result.ok) throw new ProfileValidationError(result.issues);
  return result.profile;
}

export function newProfileId(): string {
  return `p-${globalThis.crypto.randomUUID()}`;
}

// ---------------------------------------------------------------------------------------------
// Built-in profiles

/**
 * The two profiles that work the minute the app is installed: the bundled server signed in at
 * the sandbox issuer, once as a first-party native app (consented automatically) and once as a
 * third-party confidential client (a consent screen, a client secret). The third-party secret is
 * put into the SecretStore by whoever starts the sandbox; the profile only says it has one.
 */
export function sandboxProfiles(opts: { mcpUrl: string; issuer: string }): Profile[] {
  const common = {
    serverUrl: opts.mcpUrl,
    transport: 'streamable-http',
    issuer: opts.issuer,
    scopes: [...DEFAULT_SCOPES],
    resource: { mode: 'auto' },
    extraParams: {},
    redirectMode: 'loopback',
    refreshTokens: false,
    kind: 'sandbox',
  } as const;
  return [
    parseProfile({
      ...common,
      id: SANDBOX_FIRST_PARTY_ID,
      name: 'Sandbox (first-party)',
      clientId: 'sandbox-native',
      hasClientSecret: false,
    }),
    parseProfile({
      ...common,
      id: SANDBOX_THIRD_PARTY_ID,
      name: 'Sandbox (third-party agent)',
      clientId: 'sandbox-third-party',
      hasClientSecret: true,
      // Its Permissions do not include email: like a third-party Logto app, asking for it would be
      // refused with invalid_scope before sign-in.
      scopes: DEFAULT_SCOPES.filter((scope) => scope !== 'email'),
    }),
  ];
}

/**
 * An empty "Logto tenant" profile for the user to fill in: issuer and client ID left blank, the
 * bundled server as the MCP server. Loopback is the default redirect because it works on every
 * host; a Logto Native app accepts http://127.0.0.1/callback on any port.
 */
export function logtoTenantTemplate(id: string = newProfileId()): Profile {
  return parseProfile({
    id,
    name: 'Logto tenant',
    serverUrl: DEFAULT_SANDBOX_MCP_URL,
    transport: 'streamable-http',
    hasClientSecret: false,
    scopes: [...DEFAULT_SCOPES],
    resource: { mode: 'auto' },
    extraParams: {},
    redirectMode: 'loopback',
    refreshTokens: false,
    kind: 'custom',
  });
}
