import type { ServerSettings } from '../../../preload/api';

/** The Server tab's form: what was typed, as typed (a half-typed number stays text). */
export interface SettingsForm {
  trust: 'sandbox' | 'url';
  issuerUrl: string;
  resource: string;
  verification: ServerSettings['verification'];
  requiredScopes: string;
  scopesSupported: string;
  cacheTtlSec: string;
  allowedClientIds: string;
}

export function formFromSettings(settings: ServerSettings): SettingsForm {
  const sandbox = settings.issuer === 'sandbox';
  return {
    trust: sandbox ? 'sandbox' : 'url',
    issuerUrl: sandbox ? '' : settings.issuer,
    resource: settings.resource,
    verification: settings.verification,
    requiredScopes: settings.requiredScopes.join(' '),
    scopesSupported: settings.scopesSupported.join(' '),
    cacheTtlSec: String(settings.cacheTtlSec),
    allowedClientIds: settings.allowedClientIds.join(' '),
  };
}

const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** What main validates and applies; main's zod schema has the last word on every field. */
export function inputFromForm(form: SettingsForm): Record<string, unknown> {
  const ttl = form.cacheTtlSec.trim();
  return {
    issuer: form.trust === 'sandbox' ? 'sandbox' : form.issuerUrl,
    resource: form.resource,
    verification: form.verification,
    requiredScopes: words(form.requiredScopes),
    scopesSupported: words(form.scopesSupported),
    cacheTtlSec: ttl === '' ? Number.NaN : Number(ttl),
    allowedClientIds: words(form.allowedClientIds),
  };
}

/** Field of the form an issue path ("requiredScopes.2", "issuer") belongs to. */
export function fieldOf(path: string): keyof SettingsForm {
  const head = path.split('.')[0] ?? '';
  return head === 'issuer' ? 'issuerUrl' : (head as keyof SettingsForm);
}
