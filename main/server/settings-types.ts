/** The bundled server's settings as plain types (no imports): safe for preload/api.ts and the renderer. */

export interface ServerSettings {
  /** `sandbox`, or an issuer URL such as https://<tenant>.logto.app/oidc. */
  issuer: string;
  /** RFC 8707 resource indicator; '' means `http://localhost:<port>/`. */
  resource: string;
  verification: 'auto' | 'jwt' | 'userinfo';
  requiredScopes: string[];
  scopesSupported: string[];
  /** How long a verified token's verdict is reused, in seconds (0: ask the issuer every time). */
  cacheTtlSec: number;
  /** Client IDs whose tokens are accepted; empty accepts any client of the issuer. */
  allowedClientIds: string[];
  /** How long past a JWT's exp (and before its nbf/iat) it is still accepted, for clock skew. */
  clockToleranceSec: number;
}

export type SettingsValidation =
  | { ok: true; settings: ServerSettings }
  | { ok: false; issues: { path: string; message: string }[] };
