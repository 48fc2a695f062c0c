/**
 * Where a demo run plays: the built-in sandbox (no setup), or the user's own tenant through one of
 * their profiles, so the mistakes a room sees are the ones that tenant would really answer.
 */
import type { Profile, ProfileResource } from '../profiles/schema';

/** The profile fields a tenant's parts are built from (its id and name aside). */
export interface TenantProfile {
  clientId: string;
  scopes: string[];
  resource: ProfileResource;
  prompt?: string;
  extraParams: Profile['extraParams'];
  redirectMode: Profile['redirectMode'];
  redirectPort?: number;
  transport: Profile['transport'];
  hasClientSecret: boolean;
}

export interface TenantBase {
  /** The profile's name, as the presenter knows it. */
  name: string;
  profile: TenantProfile;
  /** The API permission whoami needs there (what the server requires or the profile asks for). */
  permission: string;
}

export interface DemoTarget {
  kind: 'sandbox' | 'tenant';
  /** How the story names it: "the sandbox", or the profile's name. */
  label: string;
  issuer: string;
  mcpUrl: string;
  /** The resource indicator the MCP server names, when known. */
  resource?: string;
  /** The MCP server is the bundled one: its settings and decisions are ours to show. */
  bundled: boolean;
  /** The sandbox's published demo users, for the sign-in sheet; none on a tenant. */
  users: { username: string; password: string }[];
  tenant?: TenantBase;
  /** The profile's client secret, handed to the parts that use its client; never in a view. */
  clientSecret?: string;
}
