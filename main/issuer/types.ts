/** The sandbox issuer's public shapes (re-exported by index.ts). */

/** An API resource as Logto models it: an indicator (RFC 8707), its permissions (scopes) and a token lifetime. */
export interface ApiResource {
  indicator: string;
  name: string;
  scopes: { name: string; description: string }[];
  accessTokenTtlSec: number;
}

export interface DemoUser {
  /** Stable 12-character lowercase id, shaped like Logto's user ids; the `sub` of every token. */
  id: string;
  username: string;
  password: string;
  name: string;
  email: string;
  /** Role names; a role grants API resource permissions (see users.ts). */
  roles: string[];
  picture: string | null;
}

/** Logto's application types that the sandbox offers. */
export type AppType = 'Native' | 'Traditional web' | 'SPA';

export interface AppPermissions {
  userData: string[];
  api: string[];
}

export interface SandboxClient {
  appType: AppType;
  clientId: string;
  clientSecret?: string;
  /** First-party apps are consented automatically; third-party apps always see the consent screen (like Logto). */
  firstParty: boolean;
  /**
   * A third-party app's Permissions tab in Logto Console: the user data (OIDC scopes) and API
   * permissions it may request. Anything else is refused at /auth before sign-in. Absent for
   * first-party apps, which may request every scope the tenant knows.
   */
  permissions?: AppPermissions;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  description: string;
}

export interface IssuerOptions {
  /** Address to listen on; default '127.0.0.1'. */
  host?: string;
  /** Default 3100 (DEFAULT_ISSUER_PORT); 0 picks a free port. */
  port?: number;
  /** Keys and the generated client secret are persisted under `${dataDir}/issuer/`. */
  dataDir: string;
  /** Default: one resource, DEFAULT_RESOURCE, scope 'whoami:read', TTL 3600 s. */
  apiResources?: ApiResource[];
  /** Default false (Logto has no DCR). When true, /oidc/reg accepts open registration. */
  dynamicClientRegistration?: boolean;
  /** Delay before every answer, in ms (default 0): an issuer as far away as a real tenant. */
  latencyMs?: number;
}

export interface RunningIssuer {
  /** `http://127.0.0.1:PORT/oidc` */
  issuer: string;
  origin: string;
  port: number;
  users: readonly DemoUser[];
  clients: readonly SandboxClient[];
  apiResources: readonly ApiResource[];
  /** What was fixed at start, one sentence each (loose permissions on its key files); hosts show them. */
  notes: readonly string[];
  /**
   * Changes the delay before every answer while running: shows how clients and the MCP server
   * behave with a distant or hung issuer (timeouts, caching), and lets it recover.
   */
  setLatency(ms: number): void;
  /**
   * Overrides every API resource's access-token lifetime for tokens issued from now on (tokens
   * already issued keep their `exp`); `undefined` goes back to each resource's own. Lets a demo
   * show a real token really expiring without waiting an hour.
   */
  setAccessTokenTtl(sec: number | undefined): void;
  /** The override in force, if any. */
  accessTokenTtlOverride(): number | undefined;
  close(): Promise<void>;
}
