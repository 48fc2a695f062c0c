/** HTML-escapes text for element content and quoted attribute values (OWASP rule #1 and #2). */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Marks a string as already-safe HTML (built from escaped parts), for readability at call sites. */
export type Html = string;
