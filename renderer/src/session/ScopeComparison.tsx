import { Icon } from '../ui/Icon';

/**
 * Requested against granted scopes, where "granted" is read from what came back (main derives
 * it: an ID token proves openid, its claims profile and email, a refresh token offline_access,
 * the JWT's scope claim the API scopes), so this never contradicts the decoded token below.
 * Logto's token response `scope` lists only API scopes when a resource is requested.
 */
export function ScopeComparison(props: {
  requested: string[];
  granted: string[] | undefined;
  grantedBecause: Record<string, string> | undefined;
  missingApiScopes: string[] | undefined;
  responseScope: string | undefined;
}) {
  const { requested, granted = [], grantedBecause = {}, missingApiScopes = [] } = props;
  const all = [...new Set([...requested, ...granted])];
  return (
    <div className="scope-compare">
      <ul className="chips" aria-label="Requested and granted scopes">
        {all.map((scope) => {
          const asked = requested.includes(scope);
          const got = granted.includes(scope);
          const missing = missingApiScopes.includes(scope);
          const kind = got ? (asked ? 'granted' : 'added') : missing ? 'dropped' : 'unknown';
          const text = got
            ? (grantedBecause[scope] ?? 'granted')
            : missing
              ? 'not in the access token: the user has no role granting it'
              : 'no sign of it in the tokens';
          return (
            <li className={`chip chip--${kind}`} key={scope}>
              <Icon
                name={
                  kind === 'dropped' ? 'cross' : kind === 'added' ? 'plus' : got ? 'check' : 'info'
                }
                size={14}
              />
              <code>{scope}</code>
              <span className="chip__note">{text}</span>
            </li>
          );
        })}
      </ul>
      {missingApiScopes.length > 0 && (
        <p className="muted">
          Fix in Logto Console → Roles: give a role the permission{' '}
          <code>{missingApiScopes.join(' ')}</code> and assign it to this user, then sign in again.
        </p>
      )}
      <p className="muted">
        The token response’s <code>scope</code> was{' '}
        <code>{props.responseScope === undefined ? '(not sent)' : `"${props.responseScope}"`}</code>
        ; Logto lists only API scopes there when a resource is requested, so what was granted is
        read from the tokens themselves.
      </p>
    </div>
  );
}
