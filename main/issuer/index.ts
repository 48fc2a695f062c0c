/**
 * The sandbox issuer: a local OpenID Provider (node oidc-provider) configured to behave like a
 * Logto tenant (see /work/shared/LOGTO-FACTS.md), so the app works offline with no tenant.
 */
export { startIssuer, checkedAccessTokenTtl, DEFAULT_ISSUER_PORT } from './start';
export { DEFAULT_RESOURCE, sandboxApiResource } from './api-resources';
export { signingKeysPath } from './signing-keys';
export { NATIVE_CLIENT_ID, SPA_CLIENT_ID, THIRD_PARTY_CLIENT_ID } from './clients';
export type {
  ApiResource,
  AppType,
  DemoUser,
  IssuerOptions,
  RunningIssuer,
  SandboxClient,
} from './types';
