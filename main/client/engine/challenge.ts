/**
 * Reading a resource server's refusal: the WWW-Authenticate challenge (RFC 6750 §3, RFC 9110
 * §11.6.1) and, where a server speaks a dialect, its JSON body. mcp-auth, for one, answers a
 * missing scope with `error="missing_required_scopes"` and lists the scopes in the body; the
 * engine still understands it as `insufficient_scope`.
 */

export interface Challenge {
  status: number;
  scheme?: string;
  error?: string;
  /** Where `error` came from: the WWW-Authenticate header (RFC 6750) or only the JSON body. */
  errorSource?: 'header' | 'body';
  errorDescription?: string;
  /** RFC 9728 §5.1 */
  resourceMetadata?: string;
  scope?: string[];
  /** The scopes the server says are missing, from the header or a non-standard body. */
  missingScopes?: string[];
  /** true for insufficient_scope and its dialects. */
  insufficientScope: boolean;
}

/** Parses `Bearer a="b", c=d` into params; tolerant of spacing, honours quoted-pair escapes. */
export function parseAuthParams(header: string): {
  scheme: string;
  params: Record<string, string>;
} {
  const match = /^\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!match) return { scheme: '', params: {} };
  const params: Record<string, string> = {};
  const rest = match[2] ?? '';
  const re = /([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/gy;
  let index = 0;
  while (index < rest.length) {
    while (rest[index] === ' ' || rest[index] === ',') index++;
    re.lastIndex = index;
    const param = re.exec(rest);
    if (!param) break;
    params[param[1]!.toLowerCase()] =
      param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
    index = re.lastIndex;
  }
  return { scheme: match[1]!, params };
}

const splitScopes = (value: unknown): string[] | undefined => {
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string');
  if (typeof value === 'string' && value.trim()) return value.trim().split(/\s+/);
  return undefined;
};

/** Reads status, header and (when JSON) body of a refusal. Never throws. */
export function readChallenge(
  status: number,
  wwwAuthenticate: string | null,
  body?: unknown,
): Challenge {
  const { scheme, params } = wwwAuthenticate
    ? parseAuthParams(wwwAuthenticate)
    : { scheme: undefined, params: {} as Record<string, string> };
  const json = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const error = params.error ?? (typeof json.error === 'string' ? json.error : undefined);
  const cause = (json.cause && typeof json.cause === 'object' ? json.cause : {}) as Record<
    string,
    unknown
  >;
  const missingScopes =
    splitScopes(json.missing_scopes) ??
    splitScopes(cause.missing_scopes) ??
    splitScopes(cause.missingScopes);
  const insufficientScope =
    status === 403 && (error === 'insufficient_scope' || error === 'missing_required_scopes');
  const description =
    params.error_description ??
    (typeof json.error_description === 'string' ? json.error_description : undefined);
  const scope = splitScopes(params.scope);
  const missing = missingScopes ?? (insufficientScope ? scope : undefined);
  return {
    status,
    insufficientScope,
    ...(scheme && { scheme }),
    ...(error && { error, errorSource: params.error ? 'header' : 'body' }),
    ...(description && { errorDescription: description }),
    ...(params.resource_metadata && { resourceMetadata: params.resource_metadata }),
    ...(scope && { scope }),
    ...(missing && { missingScopes: missing }),
  };
}
