/**
 * "Set up this tenant": creates, through the Logto Management API, what the app needs, and only
 * what is missing: a Native app with the loopback and custom-scheme redirect URIs, an API resource
 * whose identifier is the bundled server's resource indicator, its permission, a user role with
 * that permission assigned to the chosen user, and optionally a third-party app with consent
 * permissions. Things that exist but differ are reported as drift with their fix, and repaired
 * only on request, by adding: nothing is ever deleted or taken away.
 */
import { APP_POST_LOGOUT_REDIRECT_URI, APP_NAME, APP_REDIRECT_URI } from '../shared/app-identity';
import { ManagementApiError, type ManagementApi } from './management-api';
import type { SetupItem, SetupItemId, TenantSetupRequest, TenantSetupResult } from './types';

/** Native apps match loopback redirect URIs on any port (docs/logto.md), so no port is registered. */
export const NATIVE_REDIRECT_URIS = ['http://127.0.0.1/callback', APP_REDIRECT_URI];
export const NATIVE_APP_NAME = APP_NAME;
export const THIRD_PARTY_APP_NAME = `${APP_NAME} (third-party)`;
export const ROLE_NAME = 'MCP whoami reader';
export const CREATED_BY = `Created by ${APP_NAME}`;
/** The user scopes a third-party app asks the user to consent to. */
const CONSENT_USER_SCOPES = ['profile'];

interface LogtoApplication {
  id: string;
  name: string;
  type: string;
  isThirdParty?: boolean;
  oidcClientMetadata: { redirectUris: string[]; postLogoutRedirectUris: string[] };
}
interface LogtoResource {
  id: string;
  name: string;
  indicator: string;
}
interface LogtoScope {
  id: string;
  name: string;
}
interface LogtoRole {
  id: string;
  name: string;
  type: 'User' | 'MachineToMachine';
}
interface LogtoUser {
  id: string;
  username: string | null;
}
interface ConsentScopes {
  resourceScopes: { resource: { id: string }; scopes: { id: string }[] }[];
  userScopes: string[];
}

export async function setUpTenant(
  api: ManagementApi,
  request: TenantSetupRequest,
): Promise<TenantSetupResult> {
  const items: SetupItem[] = [];
  const permission = request.permission ?? 'whoami:read';
  const wantsFix = (id: SetupItemId) =>
    request.fix === true || (Array.isArray(request.fix) && request.fix.includes(id));
  const issuer = `${api.endpoint}/oidc`;
  const result: TenantSetupResult = {
    endpoint: api.endpoint,
    issuer,
    items,
    server: { issuer, resource: request.resource },
  };

  const applications = await api.list<LogtoApplication>('/applications');
  const native = await ensureApplication(api, applications, {
    id: 'native-app',
    name: NATIVE_APP_NAME,
    thirdParty: false,
    fix: wantsFix('native-app'),
  });
  items.push(native.item);
  result.nativeAppId = native.app.id;

  const resource = await findOrCreate(
    async () =>
      (await api.list<LogtoResource>('/resources')).find((r) => r.indicator === request.resource),
    async () =>
      (
        await api.call<LogtoResource>('POST', '/resources', {
          name: `MCP server (${APP_NAME})`,
          indicator: request.resource,
        })
      ).data,
  );
  items.push(
    item(
      'api-resource',
      'API resource',
      resource.created ? 'created' : 'exists',
      `${resource.value.name}: API identifier ${resource.value.indicator}`,
      resource.value.id,
    ),
  );

  const scope = await findOrCreate(
    async () =>
      (await api.list<LogtoScope>(`/resources/${resource.value.id}/scopes`)).find(
        (s) => s.name === permission,
      ),
    async () =>
      (
        await api.call<LogtoScope>('POST', `/resources/${resource.value.id}/scopes`, {
          name: permission,
          description: `Call the MCP server's whoami tool. ${CREATED_BY}.`,
        })
      ).data,
  );
  items.push(
    item(
      'permission',
      'Permission',
      scope.created ? 'created' : 'exists',
      `${permission} on ${request.resource}`,
      scope.value.id,
    ),
  );
  const scopeId = scope.value.id;

  const found = await findOrCreate(
    async () => (await api.list<LogtoRole>('/roles')).find((r) => r.name === ROLE_NAME),
    async () =>
      (
        await api.call<LogtoRole>('POST', '/roles', {
          name: ROLE_NAME,
          description: `Grants ${permission} on ${request.resource}. ${CREATED_BY}.`,
          type: 'User',
          scopeIds: [scopeId],
        })
      ).data,
  );
  const role = found.value;
  if (found.created) {
    items.push(item('role', 'Role', 'created', `${ROLE_NAME} with ${permission}`, role.id));
  } else if (role.type !== 'User') {
    items.push({
      ...item(
        'role',
        'Role',
        'drift',
        `${ROLE_NAME} exists as a machine-to-machine role, which users cannot have.`,
        role.id,
      ),
      fix: `A role’s type cannot change: rename that role in Logto Console → Roles, then run the setup again.`,
      fixable: false,
    });
    return result;
  } else {
    items.push(item('role', 'Role', 'exists', ROLE_NAME, role.id));
    const linked = await api.list<LogtoScope>(`/roles/${role.id}/scopes`);
    if (linked.some((s) => s.id === scopeId)) {
      items.push(
        item(
          'role-permission',
          'Role grants the permission',
          'exists',
          `${ROLE_NAME} grants ${permission}`,
        ),
      );
    } else if (wantsFix('role-permission')) {
      await api.call('POST', `/roles/${role.id}/scopes`, { scopeIds: [scopeId] });
      items.push(
        item(
          'role-permission',
          'Role grants the permission',
          'fixed',
          `${permission} added to ${ROLE_NAME}`,
        ),
      );
    } else {
      items.push({
        ...item(
          'role-permission',
          'Role grants the permission',
          'drift',
          `${ROLE_NAME} does not grant ${permission}.`,
        ),
        fix: `Add ${permission} to the role (Logto Console → Roles → ${ROLE_NAME} → Permissions).`,
        fixable: true,
      });
    }
  }

  const users = await api.list<LogtoUser>('/users', {
    'search.username': request.username,
    'mode.username': 'exact',
  });
  const user = users.find((u) => u.username === request.username);
  if (!user) {
    items.push({
      ...item(
        'role-user',
        'Role assigned to the user',
        'failed',
        `No user named ${request.username} in this tenant.`,
      ),
      fix: 'Create the user in Logto Console → User management, or pick an existing username.',
      fixable: false,
    });
  } else {
    const members = await api.list<LogtoUser>(`/roles/${role.id}/users`);
    if (members.some((m) => m.id === user.id)) {
      items.push(
        item(
          'role-user',
          'Role assigned to the user',
          'exists',
          `${request.username} has ${ROLE_NAME}`,
          user.id,
        ),
      );
    } else {
      await api.call('POST', `/roles/${role.id}/users`, { userIds: [user.id] });
      items.push(
        item(
          'role-user',
          'Role assigned to the user',
          'created',
          `${request.username} now has ${ROLE_NAME}`,
          user.id,
        ),
      );
    }
  }

  if (request.thirdParty) {
    const third = await ensureApplication(api, applications, {
      id: 'third-party-app',
      name: THIRD_PARTY_APP_NAME,
      thirdParty: true,
      fix: wantsFix('third-party-app'),
    });
    items.push(third.item);
    result.thirdPartyAppId = third.app.id;
    const consent = (
      await api.call<ConsentScopes>('GET', `/applications/${third.app.id}/user-consent-scopes`)
    ).data;
    const hasScope = consent.resourceScopes.some((group) =>
      group.scopes.some((s) => s.id === scopeId),
    );
    const missingUser = CONSENT_USER_SCOPES.filter((s) => !consent.userScopes.includes(s));
    if (hasScope && !missingUser.length) {
      items.push(
        item(
          'third-party-consent',
          'Third-party consent permissions',
          'exists',
          `${permission}, ${CONSENT_USER_SCOPES.join(', ')}`,
        ),
      );
    } else {
      await api.call('POST', `/applications/${third.app.id}/user-consent-scopes`, {
        ...(!hasScope && { resourceScopes: [scopeId] }),
        ...(missingUser.length && { userScopes: missingUser }),
      });
      items.push(
        item(
          'third-party-consent',
          'Third-party consent permissions',
          'created',
          `${permission}, ${CONSENT_USER_SCOPES.join(', ')}`,
        ),
      );
    }
  }
  return result;
}

/**
 * Looks first, creates only when missing. Logto refuses a duplicate resource indicator, scope or
 * role name with 422: if that happens, someone created it between the look and the write, so it
 * is looked up again and used.
 */
async function findOrCreate<T>(
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
): Promise<{ value: T; created: boolean }> {
  const existing = await find();
  if (existing) return { value: existing, created: false };
  try {
    return { value: await create(), created: true };
  } catch (error) {
    if (error instanceof ManagementApiError && error.status === 422) {
      const now = await find();
      if (now) return { value: now, created: false };
    }
    throw error;
  }
}

function item(
  id: SetupItemId,
  title: string,
  state: SetupItem['state'],
  detail: string,
  logtoId?: string,
): SetupItem {
  return { id, title, state, detail, ...(logtoId && { logtoId }) };
}

async function ensureApplication(
  api: ManagementApi,
  applications: LogtoApplication[],
  want: { id: SetupItemId; name: string; thirdParty: boolean; fix: boolean },
): Promise<{ app: LogtoApplication; item: SetupItem }> {
  const title = want.thirdParty ? 'Third-party Native app' : 'Native app';
  const existing = applications.find((a) => a.name === want.name && a.type === 'Native');
  if (!existing) {
    const app = (
      await api.call<LogtoApplication>('POST', '/applications', {
        name: want.name,
        description: CREATED_BY,
        type: 'Native',
        isThirdParty: want.thirdParty,
        oidcClientMetadata: {
          redirectUris: NATIVE_REDIRECT_URIS,
          postLogoutRedirectUris: [APP_POST_LOGOUT_REDIRECT_URI],
        },
      })
    ).data;
    return {
      app,
      item: item(
        want.id,
        title,
        'created',
        `${want.name}: App ID ${app.id}, redirect URIs ${NATIVE_REDIRECT_URIS.join(', ')}`,
        app.id,
      ),
    };
  }
  if (Boolean(existing.isThirdParty) !== want.thirdParty) {
    return {
      app: existing,
      item: {
        ...item(
          want.id,
          title,
          'drift',
          `${want.name} exists but is ${existing.isThirdParty ? '' : 'not '}a third-party app.`,
          existing.id,
        ),
        fix: 'Whether an app is third-party cannot change: rename that app in Logto Console → Applications, then run the setup again.',
        fixable: false,
      },
    };
  }
  const registered = existing.oidcClientMetadata.redirectUris;
  const missing = NATIVE_REDIRECT_URIS.filter((uri) => !registered.includes(uri));
  if (!missing.length) {
    return {
      app: existing,
      item: item(want.id, title, 'exists', `${want.name}: App ID ${existing.id}`, existing.id),
    };
  }
  if (want.fix) {
    // Added to what is there: redirect URIs someone registered for another client stay.
    await api.call('PATCH', `/applications/${existing.id}`, {
      oidcClientMetadata: {
        ...existing.oidcClientMetadata,
        redirectUris: [...registered, ...missing],
      },
    });
    return {
      app: existing,
      item: item(
        want.id,
        title,
        'fixed',
        `Added the redirect URI(s) ${missing.join(', ')}`,
        existing.id,
      ),
    };
  }
  return {
    app: existing,
    item: {
      ...item(
        want.id,
        title,
        'drift',
        `${want.name} (App ID ${existing.id}) lacks the redirect URI(s) ${missing.join(', ')}.`,
        existing.id,
      ),
      fix: `Add ${missing.join(' and ')} in Logto Console → Applications → ${want.name} → Redirect URIs (the existing ones stay).`,
      fixable: true,
    },
  };
}
