import { timingSafeEqual } from 'node:crypto';

import type { ApiResource, DemoUser } from './types';

/**
 * Roles, Logto style: a role carries API resource permissions, and a user's access token for a
 * resource holds only the permissions their roles give them.
 */
export interface SandboxRole {
  name: string;
  description: string;
  /** Whether the role grants every permission of every sandbox API resource. */
  grantsAllApiPermissions: boolean;
}

export const SANDBOX_ROLES: readonly SandboxRole[] = [
  {
    name: 'MCP user',
    description: 'May use the MCP server: every permission of every sandbox API resource.',
    grantsAllApiPermissions: true,
  },
  {
    name: 'Viewer',
    description: 'May sign in, but holds no API permission (the MCP server answers 403).',
    grantsAllApiPermissions: false,
  },
];

/** What the sandbox knows about a user beyond the public DemoUser shape. */
interface UserRecord extends DemoUser {
  emailVerified: boolean;
  /** Milliseconds since the epoch, as Logto's created_at / updated_at claims are. */
  createdAt: number;
  updatedAt: number;
}

const USER_RECORDS: readonly UserRecord[] = [
  {
    id: 'q7k2m9x4ab1c',
    username: 'alice',
    password: 'alice-sandbox',
    name: 'Alice Liddell',
    email: 'alice@sandbox.test',
    roles: ['MCP user'],
    picture: null,
    emailVerified: true,
    createdAt: Date.UTC(2025, 0, 15, 9, 30),
    updatedAt: Date.UTC(2025, 5, 1, 14, 5),
  },
  {
    id: 'b0w8z3r5hx2d',
    username: 'bob',
    password: 'bob-sandbox',
    name: 'Bob Builder',
    email: 'bob@sandbox.test',
    roles: ['Viewer'],
    picture: null,
    emailVerified: false,
    createdAt: Date.UTC(2025, 2, 3, 11, 0),
    updatedAt: Date.UTC(2025, 2, 3, 11, 0),
  },
];

/** The demo users in their public shape (fresh copies, so callers cannot alter the sandbox). */
export function demoUsers(): DemoUser[] {
  return USER_RECORDS.map(({ id, username, password, name, email, roles, picture }) => ({
    id,
    username,
    password,
    name,
    email,
    roles: [...roles],
    picture,
  }));
}

export function findUserById(id: string): UserRecord | undefined {
  return USER_RECORDS.find((user) => user.id === id);
}

/** Username and password check; usernames are case-insensitive like Logto's. */
export function authenticate(username: string, password: string): UserRecord | undefined {
  const user = USER_RECORDS.find((u) => u.username === username.trim().toLowerCase());
  // Compare even when the user is unknown so the timing does not reveal which usernames exist.
  const expected = Buffer.from(user?.password ?? 'no-such-user-password');
  const given = Buffer.from(password);
  const same = expected.length === given.length && timingSafeEqual(expected, given);
  return user && same ? user : undefined;
}

/** The permissions (scope names) of `resource` that the user holds through their roles. */
export function permittedScopes(user: DemoUser, resource: ApiResource): string[] {
  const granting = SANDBOX_ROLES.filter(
    (role) => role.grantsAllApiPermissions && user.roles.includes(role.name),
  );
  return granting.length ? resource.scopes.map((scope) => scope.name) : [];
}

/**
 * The user's claims; oidc-provider keeps only those the granted scopes cover (scopes.ts maps
 * scopes to claims). Mirrors Logto's userinfo: timestamps in milliseconds, `username` as a custom
 * claim, `picture` may be null.
 */
export function userClaims(user: UserRecord): Record<string, unknown> {
  return {
    sub: user.id,
    name: user.name,
    picture: user.picture,
    username: user.username,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    email: user.email,
    email_verified: user.emailVerified,
    phone_number: null,
    phone_number_verified: false,
    custom_data: {},
    identities: {},
    sso_identities: [],
    roles: [...user.roles],
    organizations: [],
    organization_roles: [],
  };
}
