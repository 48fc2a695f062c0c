import type { RecordedEvent } from '../../../preload/api';
import { isRedactedToken } from '../ui/format';
import { JsonView, RedactedText } from '../ui/JsonView';
import { TokenChip } from '../ui/TokenChip';

type HttpEvent = Extract<RecordedEvent, { type: 'http' }>;
type Body = NonNullable<HttpEvent['exchange']['request']['body']>;
type FormValue = NonNullable<Body['form']>[string];

function FormValueView({ value }: { value: FormValue }) {
  if (Array.isArray(value)) {
    return (
      <ul className="plain-list">
        {value.map((item, index) => (
          <li key={index}>
            <FormValueView value={item} />
          </li>
        ))}
      </ul>
    );
  }
  if (isRedactedToken(value)) return <TokenChip token={value} />;
  return (
    <code className="wrap-anywhere">
      <RedactedText value={value} />
    </code>
  );
}

/** A request or response body: JSON pretty-printed, a form as a table, text as it was. */
export function HttpBodyView({ body, label }: { body: Body | undefined; label: string }) {
  if (!body) return <p className="muted">No body.</p>;
  const meta = [
    body.contentType ?? 'no Content-Type',
    body.bytes !== undefined ? `${body.bytes} bytes` : '',
    body.truncated ? 'cut short' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="http-body">
      <p className="http-body__meta">{meta}</p>
      {body.json !== undefined && <JsonView value={body.json} label={label} />}
      {body.form && (
        <table className="headers" aria-label={label}>
          <tbody>
            {Object.entries(body.form).map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>
                  <FormValueView value={value} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {body.text !== undefined && (
        <pre className="code-block">
          <RedactedText value={body.text} />
        </pre>
      )}
      {body.note && <p className="muted">{body.note}</p>}
    </div>
  );
}
