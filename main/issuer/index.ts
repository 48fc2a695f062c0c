/**
 * The sandbox issuer: a local OpenID Provider (node oidc-provider) configured to behave like a
 * Logto tenant (see docs/logto.md), so the app works offline with no tenant.
 */
// First, so that it is loaded before oidc-provider: see the module's comment.
import './runtime-warning';
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
