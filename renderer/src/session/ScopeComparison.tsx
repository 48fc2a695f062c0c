import { Icon } from '../ui/Icon';

const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'phone', 'address', 'offline_access']);

/**
 * Requested against granted scopes (the token response's `scope`: what the access token carries).
 * The issuer may drop scopes (Logto drops unknown ones, and a resource's JWT carries only API
 * scopes) or add API scopes from the user's roles; each chip says which, in words and an icon.
 */
export function ScopeComparison(props: {
  requested: string[];
  granted: string[] | undefined;
  resource: string | undefined;
}) {
  const { requested, granted, resource } = props;
  if (!granted) {
    return (
      <div className="scope-compare">
        <p className="muted">
          The token response did not list the granted scopes (then they equal the requested ones,
          RFC 6749 §5.1).
        </p>
        <ul className="chips">
          {requested.map((scope) => (
            <li className="chip" key={scope}>
              <code>{scope}</code>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const all = [...new Set([...requested, ...granted])];
  const droppedOidc = requested.filter((s) => !granted.includes(s) && OIDC_SCOPES.has(s));
  return (
    <div className="scope-compare">
      <ul className="chips" aria-label="Requested and granted scopes">
        {all.map((scope) => {
          const asked = requested.includes(scope);
          const got = granted.includes(scope);
          const kind = asked && got ? 'granted' : asked ? 'dropped' : 'added';
          const text =
            kind === 'granted'
              ? 'in the token'
              : kind === 'dropped'
                ? 'not in the access token'
                : 'added by the issuer';
          return (
            <li className={`chip chip--${kind}`} key={scope}>
              <Icon
                name={kind === 'dropped' ? 'cross' : kind === 'added' ? 'plus' : 'check'}
                size={14}
              />
              <code>{scope}</code>
              <span className="chip__note">{text}</span>
            </li>
          );
        })}
      </ul>
      {resource && droppedOidc.length > 0 && (
        <p className="muted">
          A JWT for a resource carries only API scopes (Logto does the same):{' '}
          <code>{droppedOidc.join(' ')}</code> were granted for the ID token and userinfo, not for
          the server.
        </p>
      )}
    </div>
  );
}
