import { RedactedText } from '../ui/JsonView';

/** HTTP headers as sent or received (already redacted by main). */
export function HeadersTable({
  headers,
  label,
}: {
  headers: Record<string, string>;
  label: string;
}) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="muted">No headers.</p>;
  return (
    <table className="headers" aria-label={label}>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>
              <code>
                <RedactedText value={value} />
              </code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
