/**
 * Known secrets: every token, code, verifier and client secret the app handles is registered here,
 * and the redactor replaces any occurrence of one inside any string (an HTML error page, an
 * exception message, a URL) — defence in depth behind the position-based rules in redact.ts.
 *
 * Values live only in this object's private fields, in memory; they are never serialised.
 */
import type { RedactedToken } from './events';
import {
  classifyKey,
  decodeJwt,
  maskSecret,
  redactToken,
  tokenMarker,
  type KnownSecrets,
} from './redact';

interface Entry {
  readonly label: string;
  readonly marker: string;
  readonly token: RedactedToken | undefined;
  /** The value and its encoded spellings (URL, form, JSON, HTML). */
  readonly variants: readonly string[];
}

export interface SecretRegistryOptions {
  /** Oldest entries are forgotten beyond this many (default 5,000). */
  maxEntries?: number;
}

/** Called with a view that replaces only the newly registered values. */
export type RegisterListener = (added: KnownSecrets) => void;

const escapeHtml = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

function variantsOf(value: string): string[] {
  const uri = encodeURIComponent(value);
  const all = [
    value,
    uri,
    uri.replace(/%20/g, '+'),
    JSON.stringify(value).slice(1, -1),
    escapeHtml(value),
  ];
  return [...new Set(all)];
}

type Variant = readonly [variant: string, entry: Entry];

/** Every registered spelling is at least this long, so it can be indexed by this many characters. */
const PREFIX = 8;

/** Variants longest first, so a secret containing another is replaced whole. */
const sortVariants = (entries: Iterable<Entry>): Variant[] =>
  [...entries]
    .flatMap((entry) => entry.variants.map((v): Variant => [v, entry]))
    .sort((a, b) => b[0].length - a[0].length);

function replaceVariants(
  text: string,
  variants: readonly Variant[],
  onToken?: (t: RedactedToken) => void,
): string {
  let out = text;
  for (const [variant, entry] of variants) {
    if (variant.length <= out.length && out.includes(variant)) {
      out = out.split(variant).join(entry.marker);
      if (entry.token) onToken?.(entry.token);
    }
  }
  return out;
}

/** Many secrets: find candidates by their first characters in one pass over the text. */
function replaceIndexed(
  text: string,
  index: ReadonlyMap<string, readonly Variant[]>,
  onToken?: (t: RedactedToken) => void,
): string {
  const hits: Variant[] = [];
  for (let i = 0; i + PREFIX <= text.length; i += 1) {
    const bucket = index.get(text.slice(i, i + PREFIX));
    if (!bucket) continue;
    for (const hit of bucket) if (text.startsWith(hit[0], i)) hits.push(hit);
  }
  if (hits.length === 0) return text;
  return replaceVariants(
    text,
    [...new Set(hits)].sort((a, b) => b[0].length - a[0].length),
    onToken,
  );
}

export class SecretRegistry implements KnownSecrets {
  /** Shorter values are not registered: they would mask ordinary words. */
  static readonly MIN_LENGTH = 8;

  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<RegisterListener>();
  readonly #maxEntries: number;
  /** All entries' variants, longest first; and by their first characters when there are many. */
  #sorted: Variant[] | undefined;
  #index: Map<string, Variant[]> | undefined;

  constructor(options: SecretRegistryOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 5_000;
  }

  /**
   * Remembers a secret value. `label` says what it is ('access_token', 'code', 'code_verifier',
   * 'client_secret'...): token labels and JWTs are shown as token markers, other values as masks.
   * Returns true when the value was new. Empty, missing and short values are ignored.
   */
  register(value: string | null | undefined, label = 'secret'): boolean {
    return this.registerAll([[value, label]]) > 0;
  }

  /** Registers several `[value, label]` pairs at once (listeners hear once). Returns how many were new. */
  registerAll(pairs: Iterable<readonly [value: string | null | undefined, label: string]>): number {
    const added: Entry[] = [];
    for (const [value, label] of pairs) {
      if (typeof value !== 'string' || value.length < SecretRegistry.MIN_LENGTH) continue;
      if (this.#entries.has(value)) continue;
      const isToken = classifyKey(label) === 'token' || decodeJwt(value) !== undefined;
      const token = isToken ? redactToken(value, undefined, label) : undefined;
      const entry: Entry = {
        label,
        marker: token ? tokenMarker(token) : maskSecret(label, value),
        token,
        variants: variantsOf(value).filter((v) => v.length >= SecretRegistry.MIN_LENGTH),
      };
      this.#entries.set(value, entry);
      added.push(entry);
    }
    if (added.length === 0) return 0;
    this.#sorted = undefined;
    this.#index = undefined;
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    const variants = sortVariants(added);
    const only: KnownSecrets = {
      replaceKnown: (text, onToken) => replaceVariants(text, variants, onToken),
    };
    for (const listener of [...this.#listeners]) {
      try {
        listener(only);
      } catch (error) {
        console.error('A secret registry listener threw:', error);
      }
    }
    return added.length;
  }

  has(value: string): boolean {
    return this.#entries.has(value);
  }

  get size(): number {
    return this.#entries.size;
  }

  replaceKnown(text: string, onToken?: (token: RedactedToken) => void): string {
    if (this.#entries.size === 0 || text.length < SecretRegistry.MIN_LENGTH) return text;
    this.#sorted ??= sortVariants(this.#entries.values());
    // A few secrets: a scan per secret is fastest. Many: one pass over the text.
    if (this.#sorted.length <= 64) return replaceVariants(text, this.#sorted, onToken);
    if (!this.#index) {
      this.#index = new Map();
      for (const variant of this.#sorted) {
        const key = variant[0].slice(0, PREFIX);
        const bucket = this.#index.get(key);
        if (bucket) bucket.push(variant);
        else this.#index.set(key, [variant]);
      }
    }
    return replaceIndexed(text, this.#index, onToken);
  }

  /** `listener` hears of each new value (to re-scrub what was stored before it was known). */
  onRegister(listener: RegisterListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  clear(): void {
    this.#entries.clear();
    this.#sorted = undefined;
    this.#index = undefined;
  }

  /** Never let the values out through JSON.stringify or util.inspect. */
  toJSON(): { secrets: number } {
    return { secrets: this.#entries.size };
  }
}
