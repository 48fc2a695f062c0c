import type { RedactedToken } from '../../../preload/api';

export function isRedactedToken(value: unknown): value is RedactedToken {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { redacted?: unknown }).redacted === 'token' &&
    typeof (value as { fingerprint?: unknown }).fingerprint === 'string'
  );
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatTime(iso: string | number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** A time to the millisecond, for ordering events that happen within one second. */
export function formatTimePrecise(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hour12: false,
  });
}

export function formatDateTime(date: Date): string {
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** "4 min 05 s", "59 s", "expired 12 s ago" */
export function formatCountdown(msLeft: number): string {
  const expired = msLeft <= 0;
  const total = Math.floor(Math.abs(msLeft) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const text =
    hours > 0
      ? `${hours} h ${String(minutes).padStart(2, '0')} min`
      : minutes > 0
        ? `${minutes} min ${String(seconds).padStart(2, '0')} s`
        : `${seconds} s`;
  return expired ? `expired ${text} ago` : text;
}

/** JWT time claims are seconds since 1970; Logto's userinfo times are milliseconds. */
const SECONDS_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);
const MILLIS_CLAIMS = new Set(['updated_at', 'created_at']);

/** A claim's value as text, with times also shown as dates. */
export function describeClaim(name: string, value: unknown): { text: string; note?: string } {
  if (typeof value === 'number' && (SECONDS_CLAIMS.has(name) || MILLIS_CLAIMS.has(name))) {
    const ms = SECONDS_CLAIMS.has(name) || value < 1e11 ? value * 1000 : value;
    return { text: String(value), note: formatDateTime(new Date(ms)) };
  }
  if (typeof value === 'string') return { text: value };
  if (value === null) return { text: 'null' };
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return { text: value.length === 0 ? '(none)' : value.join(', ') };
  }
  return { text: JSON.stringify(value) };
}

export function initialsOf(name: string | undefined): string {
  const words = (name ?? '')
    .trim()
    .split(/[\s._@-]+/)
    .filter((word) => word !== '');
  const letters = words.slice(0, 2).map((word) => word[0]?.toUpperCase() ?? '');
  return letters.join('') || '?';
}

/** Hides a secret query parameter (id_token_hint, code...) in a URL shown on screen. */
export function maskUrlSecrets(url: string): string {
  try {
    const parsed = new URL(url);
    for (const name of [
      'id_token_hint',
      'code',
      'access_token',
      'refresh_token',
      'client_secret',
    ]) {
      if (parsed.searchParams.has(name)) parsed.searchParams.set(name, '«hidden»');
    }
    return parsed.href;
  } catch {
    return url;
  }
}
