/** The bundled OAuth-protected MCP server (resource server). See docs/architecture.md "Three parties in one app". */
export { startMcpServer, type RunningMcpServer } from './start';
export type { McpServerStats } from './app';
export {
  DEFAULT_SERVER_PORT,
  DEFAULT_SCOPES_SUPPORTED,
  InvalidServerOptionsError,
  type McpServerOptions,
  type VerificationMode,
} from './config';
export type { VerificationEvent, VerifiedBy } from './events';
export type { IssuerStatus } from './issuer-status';
export {
  DEFAULT_SERVER_SETTINGS,
  SANDBOX_ISSUER,
  serverOptionsFrom,
  trustsSandbox,
  validateServerSettings,
  type ServerSettings,
  type SettingsValidation,
} from './settings';
export type { WhoamiResult } from './tools/whoami';
export { buildBearerChallenge, type BearerChallenge } from './auth/challenge';
export { PortInUseError } from '../shared/listen';
