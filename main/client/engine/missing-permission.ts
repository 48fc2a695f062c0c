/**
 * A requested API scope that the access token does not carry. Logto answers such a sign-in with
 * 200 and simply leaves the scope out (token response `scope: ""`, JWT `scope: ""`; docs/logto.md):
 * the user has no role granting the permission. Signing in again cannot change that, so the
 * engine says it after the first token exchange and steps up only for scopes not yet requested.
 */
import { FLOW_ERROR } from './error-codes';
import { FlowStepError, type Finding } from './notes';

export function roleFix(scopes: string[], resource: string | undefined): string {
  const list = scopes.join(', ');
  const api = resource ? ` of the API resource ${resource}` : '';
  return (
    `In Logto Console → Roles, open (or create) a user role, add the permission ${list}${api} under Permissions, ` +
    'then assign the role to this user under Assigned users (or Console → User management → the user → Roles → Assign roles). ' +
    'Sign in again afterwards: a token only carries what the user’s roles grant at sign-in.'
  );
}

export function missingPermissionFinding(missing: string[], resource: string | undefined): Finding {
  return {
    level: 'warning',
    message:
      `The access token lacks ${missing.join(' ')}, which was requested: the issuer granted the sign-in but not that permission. ` +
      `On Logto this means the user has no role granting it. ${roleFix(missing, resource)}`,
    specRef: 'RFC 9068 §2.2.3; RFC 6749 §3.3',
  };
}

/** The server refuses for scopes the user was already asked for: another sign-in cannot help. */
export function permissionNotGranted(
  missing: string[],
  resource: string | undefined,
  cause: unknown,
): FlowStepError {
  return new FlowStepError(
    `The server requires ${missing.join(' ')}, and the user does not have it: it was requested at sign-in and the issuer left it out of the token (no role grants it). Signing in again would not change that, so no second sign-in was started.`,
    roleFix(missing, resource),
    FLOW_ERROR.permissionNotGranted,
    { cause },
  );
}
