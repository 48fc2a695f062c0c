import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

export interface TestProviderOptions {
  redirectUri: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  /** false: send no `resource`, so the issuer hands out an opaque token (the tutorials' userinfo path). */
  sendResource?: boolean;
}

/**
 * The SDK's OAuthClientProvider, kept in memory. The SDK does discovery, PKCE, the token exchange
 * and registration; this only stores what it is given and records the authorization URL that a
 * real app would open in the system browser.
 */
export class TestOAuthProvider implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = '';

  /**
   * Left undefined, the SDK runs its own resource check (PRM `resource` vs the server URL). Set to
   * a function returning undefined, the SDK omits `resource` (TOOLCHAIN.md: Logto's userinfo accepts
   * only the opaque tokens issued without it).
   */
  validateResourceURL?: NonNullable<OAuthClientProvider['validateResourceURL']>;

  constructor(private readonly options: TestProviderOptions) {
    if (options.sendResource === false) this.validateResourceURL = async () => undefined;
    if (options.clientId) {
      this.info = {
        client_id: options.clientId,
        ...(options.clientSecret && { client_secret: options.clientSecret }),
      };
    }
  }

  get redirectUrl(): string {
    return this.options.redirectUri;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'MCP Auth Desktop tests',
      redirect_uris: [this.options.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: this.options.clientSecret ? 'client_secret_basic' : 'none',
      ...(this.options.scope && { scope: this.options.scope }),
    };
  }

  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}
