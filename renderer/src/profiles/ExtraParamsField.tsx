import { Icon } from '../ui/Icon';
import { newRow, type ParamRow } from './profile-form';

const KNOWN_PARAMS = [
  'login_hint',
  'first_screen',
  'direct_sign_in',
  'interaction_mode',
  'organization_id',
  'ui_locales',
];

/** Extra authorization request parameters as name/value rows, each with its own errors. */
export function ExtraParamsField(props: {
  rows: ParamRow[];
  errorsOf: (row: ParamRow) => readonly string[] | undefined;
  onChange: (rows: ParamRow[]) => void;
}) {
  const { rows, errorsOf, onChange } = props;
  const update = (key: string, change: Partial<ParamRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  return (
    <fieldset className="field">
      <legend className="field__label">Extra parameters</legend>
      <div className="field__hint" id="extra-params-hint">
        Added to the sign-in URL as they are, e.g. <code>first_screen=register</code> or{' '}
        <code>login_hint</code>.
      </div>
      <datalist id="extra-param-names">
        {KNOWN_PARAMS.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {rows.length > 0 && (
        <ul className="param-rows">
          {rows.map((row, index) => {
            const errors = errorsOf(row) ?? [];
            const errorId = `param-${row.key}-error`;
            return (
              <li key={row.key} className={`param-row${errors.length ? ' field--invalid' : ''}`}>
                <div className="param-row__inputs">
                  <label className="subfield">
                    <span className="field__label">Name</span>
                    <input
                      className="input input--mono"
                      list="extra-param-names"
                      value={row.name}
                      placeholder="login_hint"
                      spellCheck={false}
                      autoComplete="off"
                      aria-label={`Name of parameter ${index + 1}`}
                      aria-invalid={errors.length > 0 || undefined}
                      aria-describedby={errors.length ? errorId : undefined}
                      onChange={(event) => update(row.key, { name: event.target.value })}
                    />
                  </label>
                  <label className="subfield">
                    <span className="field__label">Value</span>
                    <input
                      className="input input--mono"
                      value={row.value}
                      spellCheck={false}
                      autoComplete="off"
                      aria-label={`Value of parameter ${index + 1}`}
                      onChange={(event) => update(row.key, { value: event.target.value })}
                    />
                  </label>
                  <button
                    type="button"
                    className="button button--ghost param-row__remove"
                    aria-label={`Remove parameter ${row.name || index + 1}`}
                    onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                  >
                    <Icon name="trash" size={18} />
                  </button>
                </div>
                <div id={errorId} aria-live="polite">
                  {errors.map((message) => (
                    <p className="field__error" key={message}>
                      <Icon name="error" size={18} />
                      <span>{message}</span>
                    </p>
                  ))}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <button
        type="button"
        className="button button--secondary"
        aria-describedby="extra-params-hint"
        onClick={() => onChange([...rows, newRow()])}
      >
        <Icon name="plus" size={18} /> Add parameter
      </button>
    </fieldset>
  );
}
