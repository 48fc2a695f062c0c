/**
 * Masks for a room: emails as "alice@…", subject and session identifiers shortened, so nothing
 * personal is on screen or in a report by accident. Tokens are already fingerprints (the trace
 * never holds one); this hides the identity claims around them.
 */

const EMAIL = /([A-Za-z0-9._%+-]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** Claims and fields whose value identifies a person or a session. */
const IDENTIFYING = new Set(['sub', 'subject', 'sid', 'jti', 'at_hash', 'c_hash', 'email']);

export const maskEmail = (text: string): string => text.replace(EMAIL, '$1@…');
export const maskId = (value: string): string =>
  value.length <= 4 ? '…' : `${value.slice(0, 4)}…`;

/** Identifiers seen under identifying keys anywhere in `value`, to mask them in free text too. */
export function collectIdentifiers(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) collectIdentifiers(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (
        IDENTIFYING.has(key) &&
        typeof item === 'string' &&
        item.length >= 6 &&
        !item.includes('@')
      )
        into.add(item);
      else collectIdentifiers(item, into);
    }
  }
  return into;
}

/** A deep copy of `value` with emails and the given identifiers masked in every string. */
export function maskDeep<T>(value: T, identifiers: ReadonlySet<string>): T {
  const ids = [...identifiers].sort((a, b) => b.length - a.length);
  const text = (s: string): string => {
    let out = maskEmail(s);
    for (const id of ids) if (out.includes(id)) out = out.split(id).join(maskId(id));
    return out;
  };
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string')
      return key && IDENTIFYING.has(key) && !v.includes('@') ? maskId(v) : text(v);
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    return v;
  };
  return walk(value) as T;
}
