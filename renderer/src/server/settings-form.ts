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
  clockToleranceSec: string;
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
    clockToleranceSec: String(settings.clockToleranceSec),
  };
}

const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);
/** A number field as main's schema sees it: empty is not zero. */
const seconds = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** What main validates and applies; main's zod schema has the last word on every field. */
export function inputFromForm(form: SettingsForm): Record<string, unknown> {
  return {
    issuer: form.trust === 'sandbox' ? 'sandbox' : form.issuerUrl,
    resource: form.resource,
    verification: form.verification,
    requiredScopes: words(form.requiredScopes),
    scopesSupported: words(form.scopesSupported),
    cacheTtlSec: seconds(form.cacheTtlSec),
    allowedClientIds: words(form.allowedClientIds),
    clockToleranceSec: seconds(form.clockToleranceSec),
  };
}

/** Field of the form an issue path ("requiredScopes.2", "issuer") belongs to. */
export function fieldOf(path: string): keyof SettingsForm {
  const head = path.split('.')[0] ?? '';
  return head === 'issuer' ? 'issuerUrl' : (head as keyof SettingsForm);
}
