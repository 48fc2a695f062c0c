/**
 * The SDK's OAuthClientProvider over the engine's state. The MCP transports use it: they attach
 * the access token, and after a 401 the SDK's auth() refreshes with the refresh token. When a new
 * sign-in is needed (refresh failed, or step-up to more scopes), the SDK calls
 * redirectToAuthorization and throws; the engine then runs its own visible sign-in steps.
 */
import type {
  OAuthClientProvider,
  OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

export interface EngineProviderState {
  redirectUri: string;
  clientMetadata: OAuthClientMetadata;
  client: () => OAuthClientInformationMixed | undefined;
  tokens: () => OAuthTokens | undefined;
  saveTokens: (tokens: OAuthTokens) => Promise<void>;
  clearTokens: () => Promise<void>;
  discovery: () => OAuthDiscoveryState | undefined;
  /** The resource indicator the engine chose (undefined: none, for an opaque token). */
  resource: () => string | undefined;
}

export class EngineOAuthProvider implements OAuthClientProvider {
  private verifier = '';

  constructor(private readonly engine: EngineProviderState) {}

  get redirectUrl(): string {
    return this.engine.redirectUri;
  }
  get clientMetadata(): OAuthClientMetadata {
    return this.engine.clientMetadata;
  }
  clientInformation() {
    return this.engine.client();
  }
  saveClientInformation(): void {
    // The engine identifies the client in its own step; nothing to keep from the SDK.
  }
  tokens() {
    return this.engine.tokens();
  }
  saveTokens(tokens: OAuthTokens) {
    return this.engine.saveTokens(tokens);
  }
  redirectToAuthorization(): void {
    // The SDK then throws UnauthorizedError; the engine runs its own visible sign-in steps.
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  discoveryState() {
    return this.engine.discovery();
  }
  async validateResourceURL(): Promise<URL | undefined> {
    const resource = this.engine.resource();
    return resource ? new URL(resource) : undefined;
  }
  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'tokens') await this.engine.clearTokens();
  }
}
