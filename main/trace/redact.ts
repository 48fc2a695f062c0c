/**
 * Redaction: pure functions that turn what went over the wire into what the trace may keep.
 *
 * - Tokens (access, refresh, ID, DPoP proofs, assertions) become a RedactedToken: fingerprint and
 *   length, plus a JWT's decoded header and payload. The signature and the raw string never survive.
 * - Other secrets (authorization codes, PKCE verifiers, client secrets, passwords, cookies, API
 *   keys) become a mask: '«redacted code_verifier sha256:0123456789ab»'. The fingerprint lets two
 *   events be correlated (the code in the callback URL is the code in the token request); passwords
 *   get none, since a short password's hash can be guessed.
 *
 * Where a secret sits in a structure (a query parameter, a form field, a JSON key, a header), its
 * position says what it is. Inside free text (HTML pages, error messages) the redactor looks for
 * known secret values (the registry), JWTs, `Bearer …`/`Basic …` credentials, `key=value` and
 * `"key": "value"` pairs with secret keys, HTML inputs, and passwords in URLs.
 *
 * Every function takes an optional RedactionContext that gathers the tokens seen (for the
 * exchange's `tokens` list) and the raw secret values found by position (for the caller to
 * register, so later appearances in free text are caught too). Nothing here has other effects.
 */
import { createHash } from 'node:crypto';
import type { FormValue, HttpMessageBody, RawHeaders, RawHttpBody, RedactedToken } from './events';

/** Read access to the secrets the app knows about (implemented by SecretRegistry). */
export interface KnownSecrets {
  /** Replaces every known secret inside `text` by its mask; reports tokens it replaced. */
  replaceKnown(text: string, onToken?: (token: RedactedToken) => void): string;
}

export interface RedactionContext {
  readonly known: KnownSecrets | undefined;
  /** Tokens seen, by fingerprint. */
  readonly tokens: Map<string, RedactedToken>;
  /** Raw secret values found by their position, with the label they were found under. */
  readonly found: Map<string, string>;
}

export function createRedactionContext(known?: KnownSecrets): RedactionContext {
  return { known, tokens: new Map(), found: new Map() };
}

// ---------------------------------------------------------------------------------------------
// Fingerprints, masks, tokens
// ---------------------------------------------------------------------------------------------

/** 'sha256:' + the first 12 hex digits of SHA-256 over the UTF-8 value. */
export function fingerprint(value: string): string {
  return `sha256:${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12)}`;
}

/** Values this short get no fingerprint: their hash could be reversed by guessing. */
const MIN_FINGERPRINT_LENGTH = 8;

const normalizeKey = (key: string): string => key.toLowerCase().replace(/[\s_-]/g, '');

const isPasswordLabel = (label: string): boolean => {
  const k = normalizeKey(label);
  return k.endsWith('password') || k.endsWith('passwd') || k.endsWith('passphrase') || k === 'pin';
};

/** '«redacted <label> sha256:…»'; no fingerprint for passwords and values under 8 characters. */
export function maskSecret(label: string, value: string, ctx?: RedactionContext): string {
  ctx?.found.set(value, label);
  const print =
    isPasswordLabel(label) || value.length < MIN_FINGERPRINT_LENGTH ? '' : ` ${fingerprint(value)}`;
  return `«redacted ${label}${print}»`;
}

/** Does this string already carry one of our masks (so it must not be masked again)? */
export const isMask = (value: string): boolean => /^«redacted [^»]*»$/.test(value);

/** How a RedactedToken reads inside a string: '«redacted jwt sha256:…»'. */
export function tokenMarker(token: RedactedToken): string {
  return `«redacted ${token.kind === 'jwt' ? 'jwt' : 'token'} ${token.fingerprint}»`;
}

const parseJsonObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

const JWS_SHAPE = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;

/** A JWS's decoded header and payload, or undefined when `value` is not one (header needs `alg`). */
export function decodeJwt(
  value: string,
): { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined {
  if (!JWS_SHAPE.test(value)) return undefined;
  const [h = '', p = ''] = value.split('.');
  const header = parseJsonObject(Buffer.from(h, 'base64url').toString('utf8'));
  if (!header || typeof header['alg'] !== 'string') return undefined;
  const payload = parseJsonObject(Buffer.from(p, 'base64url').toString('utf8'));
  return payload ? { header, payload } : undefined;
}

/** A token as the trace keeps it. `label` says what it was found as (for registration). */
export function redactToken(value: string, ctx?: RedactionContext, label = 'token'): RedactedToken {
  const decoded = decodeJwt(value);
  const token: RedactedToken = {
    redacted: 'token',
    kind: decoded ? 'jwt' : 'opaque',
    fingerprint: fingerprint(value),
    length: value.length,
  };
  if (decoded) {
    // Claims are shown; anything secret-looking inside them is still redacted.
    token.jwt = {
      header: redactJson(decoded.header, ctx) as Record<string, unknown>,
      payload: redactJson(decoded.payload, ctx) as Record<string, unknown>,
    };
  }
  ctx?.tokens.set(token.fingerprint, token);
  ctx?.found.set(value, label);
  return token;
}

// ---------------------------------------------------------------------------------------------
// What a key says about its value
// ---------------------------------------------------------------------------------------------

export type KeyClass = 'token' | 'secret';

const TOKEN_KEYS = new Set([
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'idtokenhint',
  'registrationaccesstoken',
  'initialaccesstoken',
  'subjecttoken',
  'actortoken',
  'logouttoken',
  'assertion',
  'clientassertion',
  'dpop',
]);

const SECRET_KEYS = new Set([
  'code',
  'codeverifier',
  'clientsecret',
  'secret',
  'devicecode',
  'usercode',
  'otp',
  'apikey',
  'xapikey',
  'privatekey',
]);

/**
 * 'token' when a value under this key (query parameter, form field, JSON key, header name) is a
 * token; 'secret' when it is another secret; undefined when it may be shown. Case, '-' and '_'
 * do not matter: `access_token`, `accessToken` and `Access-Token` are the same key.
 */
export function classifyKey(key: string): KeyClass | undefined {
  const k = normalizeKey(key);
  if (isPasswordLabel(key)) return 'secret';
  if (TOKEN_KEYS.has(k) || k.endsWith('token')) return 'token';
  if (SECRET_KEYS.has(k) || k.endsWith('secret') || k.endsWith('apikey')) return 'secret';
  return undefined;
}

/**
 * In JSON, Logto's own error codes ('oidc.invalid_grant', 'guard.invalid_input') sit under `code`
 * too: lower-case dotted identifiers are not secrets there. (Never in a URL: `code=` in a query is
 * always an authorization code.)
 */
const isJsonErrorCode = (key: string, value: string): boolean =>
  normalizeKey(key) === 'code' &&
  value.length <= 64 &&
  /^[a-z][a-z_]*(\.[a-z][a-z0-9_]*)+$/.test(value);

/** `code` and `token` are common words: in free text their values must look like secrets. */
const isGenericKey = (key: string): boolean => {
  const k = normalizeKey(key);
  return k === 'code' || k === 'token';
};

/**
 * The redacted form of `value` found under `key`, or undefined when the key does not make it
 * secret. Tokens come back as RedactedToken, other secrets as masks.
 */
export function redactByKey(
  key: string,
  value: string,
  ctx?: RedactionContext,
): FormValue | undefined {
  const kind = classifyKey(key);
  if (!kind || value === '' || isMask(value)) return undefined;
  return kind === 'token' ? redactToken(value, ctx, key) : maskSecret(key, value, ctx);
}

const asString = (value: FormValue): string =>
  typeof value === 'string' ? value : tokenMarker(value);

// ---------------------------------------------------------------------------------------------
// Free text
// ---------------------------------------------------------------------------------------------

/** Heuristic for credentials found by a keyword in prose: 'authentication' is not a token. */
const looksLikeSecret = (value: string): boolean =>
  value.length >= 8 &&
  (/[0-9._~+/=-]/.test(value) || /[A-Z]/.test(value.slice(1)) || value.length >= 24);

const JWT_IN_TEXT =
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?/g;

function redactJwtsInText(text: string, ctx?: RedactionContext): string {
  return text.replace(JWT_IN_TEXT, (match) => {
    const parts = match.split('.');
    if (parts.length === 5) {
      // A JWE (encrypted) is a bearer token whose content cannot be shown.
      const header = parseJsonObject(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8'));
      if (header && typeof header['enc'] === 'string') return tokenMarker(redactToken(match, ctx));
    }
    const jws = parts.slice(0, 3).join('.');
    if (!decodeJwt(jws)) return match;
    const rest = parts.length > 3 ? `.${parts.slice(3).join('.')}` : '';
    return tokenMarker(redactToken(jws, ctx)) + rest;
  });
}

/** `Bearer <token>`, `DPoP <token>`, `Basic <base64>` inside text; skips auth-params (`Bearer realm="x"`). */
const isAuthParam = (body: string, eqs: string, next: string): boolean =>
  eqs === '=' &&
  /^["A-Za-z0-9._~+/-]$/.test(next) &&
  /^[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(body) &&
  (/^[a-z_-]+$/.test(body) || body.length < 8);

const SCHEME_IN_TEXT = /\b(Bearer|DPoP|Basic)(\s+)([A-Za-z0-9._~+/-]+)(=*)/gi;

function redactSchemesInText(text: string, ctx?: RedactionContext): string {
  return text.replace(
    SCHEME_IN_TEXT,
    (match, scheme: string, space: string, body: string, eqs: string, offset: number) => {
      if (isAuthParam(body, eqs, text.charAt(offset + match.length))) return match;
      const credential = body + eqs;
      if (!looksLikeSecret(body)) return match;
      if (scheme.toLowerCase() === 'basic')
        return `${scheme}${space}${redactBasic(credential, ctx)}`;
      return `${scheme}${space}${tokenMarker(redactToken(credential, ctx, 'access_token'))}`;
    },
  );
}

/** `key=value` pairs (queries, forms, prose); the key decides. */
const PAIR_IN_TEXT = /(?<![A-Za-z0-9_-])([A-Za-z][A-Za-z0-9_-]{0,63})=([^&#\s"'<>«]+)/g;

function redactPairsInText(text: string, ctx?: RedactionContext): string {
  return text.replace(PAIR_IN_TEXT, (match, key: string, raw: string) => {
    if (!classifyKey(key)) return match;
    const value = safeDecode(raw);
    if (isGenericKey(key) && value.length < 8) return match;
    const redacted = redactByKey(key, value, ctx);
    return redacted === undefined ? match : `${key}=${asString(redacted)}`;
  });
}

/** `"key": "value"` pairs in JSON-like text (a truncated JSON body, a log line). */
const JSON_PAIR_IN_TEXT = /"([A-Za-z][A-Za-z0-9_-]{0,63})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

function redactJsonPairsInText(text: string, ctx?: RedactionContext): string {
  return text.replace(JSON_PAIR_IN_TEXT, (match, key: string, colon: string, raw: string) => {
    if (!classifyKey(key)) return match;
    let value = raw;
    try {
      value = JSON.parse(`"${raw}"`) as string;
    } catch {
      // keep raw
    }
    if ((isGenericKey(key) && value.length < 8) || isJsonErrorCode(key, value)) return match;
    const redacted = redactByKey(key, value, ctx);
    return redacted === undefined ? match : `"${key}"${colon}"${asString(redacted)}"`;
  });
}

/** `<input name="code" value="…">` and `<input type="password" value="…">`. */
function redactHtmlInputs(text: string, ctx?: RedactionContext): string {
  if (!/<input/i.test(text)) return text;
  return text.replace(/<input\b[^<>]{0,4096}>/gi, (tag) => {
    const attr = (name: string): string | undefined => {
      const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>"']+))`, 'i').exec(
        tag,
      );
      return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
    };
    const value = attr('value');
    if (value === undefined || value === '') return tag;
    const name = attr('name') ?? '';
    const label = attr('type')?.toLowerCase() === 'password' ? 'password' : name;
    if (!classifyKey(label)) return tag;
    const redacted = redactByKey(label, value, ctx);
    if (redacted === undefined) return tag;
    return tag.replace(
      /(\svalue\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)/i,
      (_m, prefix: string) => `${prefix}"${asString(redacted)}"`,
    );
  });
}

/** `scheme://user:password@host` → the password masked. */
function redactUserinfoInText(text: string, ctx?: RedactionContext): string {
  return text.replace(
    /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s/?#@:]{1,256}):([^\s/?#@]{1,1024})@/gi,
    (match, scheme: string, user: string, password: string) =>
      isMask(password) ? match : `${scheme}${user}:${maskSecret('password', password, ctx)}@`,
  );
}

/**
 * Redacts free text: known secret values, HTML inputs, JSON-like and key=value pairs with secret
 * keys, Bearer/DPoP/Basic credentials, JWTs anywhere, passwords in URLs.
 */
export function redactText(text: string, ctx?: RedactionContext): string {
  if (text === '') return text;
  let out = ctx?.known
    ? ctx.known.replaceKnown(text, (t) => ctx.tokens.set(t.fingerprint, t))
    : text;
  out = redactHtmlInputs(out, ctx);
  out = redactJsonPairsInText(out, ctx);
  out = redactPairsInText(out, ctx);
  out = redactSchemesInText(out, ctx);
  out = redactJwtsInText(out, ctx);
  out = redactUserinfoInText(out, ctx);
  return out;
}

/** The whole string is a token? Then a RedactedToken, else the redacted text. */
function redactLooseString(value: string, ctx?: RedactionContext): string | RedactedToken {
  if (decodeJwt(value)) return redactToken(value, ctx);
  return redactText(value, ctx);
}

// ---------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------

const safeDecode = (raw: string): string => {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
};

/** `a=1&code=xyz` with secret values masked; other parameters kept exactly as written. */
export function redactParams(params: string, ctx?: RedactionContext): string {
  return params
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return redactText(part, ctx);
      const rawKey = part.slice(0, eq);
      const key = safeDecode(rawKey);
      const value = safeDecode(part.slice(eq + 1));
      const byKey = redactByKey(key, value, ctx);
      if (byKey !== undefined) return `${rawKey}=${asString(byKey)}`;
      const scrubbed = redactText(value, ctx);
      return scrubbed === value ? part : `${rawKey}=${scrubbed}`;
    })
    .join('&');
}

/**
 * A URL with the secrets in its query and fragment (`code`, `access_token`, `id_token_hint`...)
 * masked and any password in it removed. `state`, `scope`, `resource`, `redirect_uri`,
 * `code_challenge` stay visible. Works on custom schemes and relative URLs.
 */
export function redactUrl(url: string, ctx?: RedactionContext): string {
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? undefined : url.slice(hash + 1);
  const question = beforeHash.indexOf('?');
  const base = question < 0 ? beforeHash : beforeHash.slice(0, question);
  const query = question < 0 ? undefined : beforeHash.slice(question + 1);
  let out = redactText(base, ctx);
  if (query !== undefined) out += `?${redactParams(query, ctx)}`;
  if (fragment !== undefined) {
    out += `#${fragment.includes('=') ? redactParams(fragment, ctx) : redactText(fragment, ctx)}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

/** `Basic base64(id:secret)` → `id:«redacted client_secret …»` (the client id stays visible). */
function redactBasic(credential: string, ctx?: RedactionContext): string {
  const decoded = Buffer.from(credential, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // Anything that does not decode to printable `id:secret` is masked whole.
  if (colon < 0 || !/^[\x20-\x7e\u00a0-\uffff]*$/.test(decoded)) {
    return maskSecret('credentials', credential, ctx);
  }
  const id = safeDecode(decoded.slice(0, colon));
  const rawSecret = decoded.slice(colon + 1);
  const secret = safeDecode(rawSecret);
  ctx?.found.set(credential, 'client_secret');
  if (rawSecret !== secret) ctx?.found.set(rawSecret, 'client_secret');
  return `${redactText(id, ctx)}:${maskSecret('client_secret', secret, ctx)}`;
}

const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;

/** An Authorization value: Basic keeps the client id, token schemes keep a token marker. */
export function redactAuthorization(value: string, ctx?: RedactionContext): string {
  const match = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:\s+([\s\S]*))?$/.exec(value);
  if (!match) return maskSecret('credentials', value, ctx);
  const scheme = match[1] ?? '';
  const rest = (match[2] ?? '').trim();
  if (rest === '') return value;
  if (scheme.toLowerCase() === 'basic' && TOKEN68.test(rest)) {
    return `${scheme} ${redactBasic(rest, ctx)}`;
  }
  if (TOKEN68.test(rest)) return `${scheme} ${tokenMarker(redactToken(rest, ctx, 'access_token'))}`;
  return `${scheme} ${maskSecret('credentials', rest, ctx)}`;
}

/** `a=1; b=2` → cookie names kept, values masked. */
function redactCookie(value: string, ctx?: RedactionContext): string {
  return value
    .split(';')
    .map((part) => {
      const eq = part.indexOf('=');
      const v = eq < 0 ? '' : part.slice(eq + 1).trim();
      return v === '' || isMask(v) ? part : `${part.slice(0, eq)}=${maskSecret('cookie', v, ctx)}`;
    })
    .join(';');
}

/** `name=value; Path=/; HttpOnly` → the value masked, the name and attributes kept. */
function redactSetCookie(value: string, ctx?: RedactionContext): string {
  const semi = value.indexOf(';');
  const pair = semi < 0 ? value : value.slice(0, semi);
  return redactCookie(pair, ctx) + (semi < 0 ? '' : redactText(value.slice(semi), ctx));
}

const URL_HEADERS = new Set(['location', 'content-location', 'referer', 'refresh']);

/** One header's value, redacted according to its (case-insensitive) name. */
export function redactHeaderValue(name: string, value: string, ctx?: RedactionContext): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    return redactAuthorization(value, ctx);
  }
  if (lower === 'cookie') return redactCookie(value, ctx);
  if (lower === 'set-cookie') return redactSetCookie(value, ctx);
  if (URL_HEADERS.has(lower)) return redactUrl(value, ctx);
  const byKey = redactByKey(lower, value.trim(), ctx);
  if (byKey !== undefined) return asString(byKey);
  return redactText(value, ctx);
}

/** Headers with lower-case names; several values of one header joined (Set-Cookie with '\n'). */
export function redactHeaders(headers: RawHeaders, ctx?: RedactionContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const lower = name.toLowerCase();
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) =>
      redactHeaderValue(lower, String(v), ctx),
    );
    const joined = values.join(lower === 'set-cookie' ? '\n' : ', ');
    const previous = out[lower];
    out[lower] =
      previous === undefined
        ? joined
        : `${previous}${lower === 'set-cookie' ? '\n' : ', '}${joined}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Structured bodies
// ---------------------------------------------------------------------------------------------

/** A form-urlencoded body; a field sent several times becomes an array. */
export function redactForm(
  body: string | URLSearchParams,
  ctx?: RedactionContext,
): Record<string, FormValue | FormValue[]> {
  const params = typeof body === 'string' ? new URLSearchParams(body) : body;
  const out: Record<string, FormValue | FormValue[]> = {};
  for (const [rawKey, value] of params) {
    const key = ctx?.known ? ctx.known.replaceKnown(rawKey) : rawKey;
    const redacted = redactByKey(key, value, ctx) ?? redactLooseString(value, ctx);
    const previous = out[key];
    if (previous === undefined) out[key] = redacted;
    else out[key] = Array.isArray(previous) ? [...previous, redacted] : [previous, redacted];
  }
  return out;
}

/** Private members of a JWK: never shown, even when a key set leaks them. */
const PRIVATE_JWK_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']);
const HEADER_LIKE_KEYS = new Set(['authorization', 'proxyauthorization', 'cookie', 'setcookie']);
const MAX_DEPTH = 64;

function redactJsonValue(
  value: unknown,
  ctx: RedactionContext | undefined,
  depth: number,
  key: string | undefined,
  siblings: Record<string, unknown> | undefined,
): unknown {
  if (depth > MAX_DEPTH) return '«redacted: nested too deeply»';
  if (typeof value === 'string') {
    if (key !== undefined) {
      const k = normalizeKey(key);
      if (HEADER_LIKE_KEYS.has(k)) {
        return redactHeaderValue(k === 'setcookie' ? 'set-cookie' : k, value, ctx);
      }
      // `code` beside `error`/`message` is an error code (Logto, JSON-RPC), not an authorization code.
      const isErrorCode =
        isJsonErrorCode(key, value) ||
        (k === 'code' &&
          siblings !== undefined &&
          ('error' in siblings || 'message' in siblings || 'error_description' in siblings));
      if (!isErrorCode) {
        const byKey = redactByKey(key, value, ctx);
        if (byKey !== undefined) return byKey;
      }
    }
    return redactLooseString(value, ctx);
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (key !== undefined && classifyKey(key) === 'secret' && normalizeKey(key) !== 'code') {
      return maskSecret(key, String(value), ctx);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => redactJsonValue(item, ctx, depth + 1, key, undefined));
  }
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    const isJwk = typeof object['kty'] === 'string';
    const out: Record<string, unknown> = {};
    for (const [rawKey, item] of Object.entries(object)) {
      const k = ctx?.known ? ctx.known.replaceKnown(rawKey) : rawKey;
      if (isJwk && PRIVATE_JWK_MEMBERS.has(k) && typeof item === 'string') {
        out[k] = maskSecret(`private key member ${k}`, item, ctx);
      } else {
        out[k] = redactJsonValue(item, ctx, depth + 1, k, object);
      }
    }
    return out;
  }
  return value;
}

/** A parsed JSON value with secrets replaced at any depth (tokens by RedactedToken objects). */
export function redactJson(value: unknown, ctx?: RedactionContext): unknown {
  return redactJsonValue(value, ctx, 0, undefined, undefined);
}

/** `application/json`, `application/problem+json`, ... */
export const isJsonType = (mediaType: string): boolean =>
  mediaType === 'application/json' || mediaType.endsWith('+json');

export const isFormType = (mediaType: string): boolean =>
  mediaType === 'application/x-www-form-urlencoded';

export const mediaTypeOf = (contentType: string | null | undefined): string =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** A cut body may end in the first half of a secret: drop any token-like tail (8+ chars). */
function trimPartialTail(text: string): string {
  let start = text.length;
  while (start > 0 && /[A-Za-z0-9._~+/=%-]/.test(text.charAt(start - 1))) start -= 1;
  return `${text.length - start >= 8 ? text.slice(0, start) : text}…`;
}

/** A body as recorded: JSON parsed and redacted, forms as fields, anything else as redacted text. */
export function redactBody(body: RawHttpBody, ctx?: RedactionContext): HttpMessageBody {
  const out: HttpMessageBody = { contentType: body.contentType };
  if (body.bytes !== undefined) out.bytes = body.bytes;
  if (body.truncated) out.truncated = true;
  if (body.note !== undefined) out.note = redactText(body.note, ctx);
  const text = body.text ?? '';
  if (text === '') return out;
  const mediaType = mediaTypeOf(body.contentType);
  if (!body.truncated) {
    const maybeJson = mediaType === '' || mediaType === 'text/plain';
    if (isJsonType(mediaType) || (maybeJson && /^\s*[[{]/.test(text))) {
      try {
        out.json = redactJson(JSON.parse(text), ctx);
        return out;
      } catch {
        // not JSON after all: fall through to text
      }
    }
    if (isFormType(mediaType)) {
      out.form = redactForm(text, ctx);
      return out;
    }
  }
  const redacted = redactText(text, ctx);
  out.text = body.truncated ? trimPartialTail(redacted) : redacted;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Walking stored values
// ---------------------------------------------------------------------------------------------

/**
 * Applies `fn` to every string (values and keys) in a JSON value. Returns the same reference when
 * nothing changed, so callers can tell cheaply.
 */
export function mapStrings<T>(value: T, fn: (text: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item: unknown) => {
      const mapped = mapStrings(item, fn);
      if (mapped !== item) changed = true;
      return mapped;
    });
    return (changed ? out : value) as T;
  }
  if (typeof value === 'object' && value !== null) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const k = fn(key);
      const mapped = mapStrings(item, fn);
      if (k !== key || mapped !== item) changed = true;
      out[k] = mapped;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
