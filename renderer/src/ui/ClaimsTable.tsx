import { describeClaim } from './format';

/** Claims (or any flat object) as a two-column table; times also shown as dates. */
export function ClaimsTable(props: {
  claims: Record<string, unknown>;
  caption?: string | undefined;
  /** Claim names to mark, e.g. the scopes that were granted. */
  highlight?: ReadonlySet<string> | undefined;
}) {
  const { claims, caption, highlight } = props;
  const entries = Object.entries(claims);
  if (entries.length === 0) return <p className="muted">No claims.</p>;
  return (
    <table className="claims">
      {caption && <caption>{caption}</caption>}
      <tbody>
        {entries.map(([name, value]) => {
          const { text, note } = describeClaim(name, value);
          return (
            <tr key={name} className={highlight?.has(name) ? 'claims__row--marked' : undefined}>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td>
                <span className="claims__value">{text}</span>
                {note && <span className="claims__note">{note}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
