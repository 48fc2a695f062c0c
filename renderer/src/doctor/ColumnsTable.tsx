import type { ColumnRow } from '../../../preload/api';

/** What the server advertises, what the issuer advertises, what the client will send. */
export function ColumnsTable({ rows }: { rows: ColumnRow[] }) {
  return (
    <table className="doctor-columns">
      <caption className="muted">
        Rows marked “mismatch” are where the parties disagree; the checks above say how to fix them.
      </caption>
      <thead>
        <tr>
          <th scope="col">What</th>
          <th scope="col">Server advertises</th>
          <th scope="col">Issuer advertises</th>
          <th scope="col">Client will send</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.field} className={row.mismatch ? 'doctor-columns__mismatch' : undefined}>
            <th scope="row">
              {row.field}
              {row.mismatch && (
                <>
                  {' '}
                  <span className="badge badge--error">mismatch</span>
                </>
              )}
            </th>
            <td>{row.server ?? '–'}</td>
            <td>{row.issuer ?? '–'}</td>
            <td>{row.client ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
