import { Field } from '../ui/Field';
import { RadioCards } from '../ui/RadioCards';
import type { ResourceMode } from './profile-form';

export function ResourceField(props: {
  mode: ResourceMode;
  value: string;
  errors: readonly string[] | undefined;
  onChange: (mode: ResourceMode, value: string) => void;
}) {
  const { mode, value, errors, onChange } = props;
  return (
    <Field
      group
      label="Resource (RFC 8707)"
      hint="Decides which kind of access token the issuer gives out."
      errors={errors}
    >
      {(control) => (
        <>
          <RadioCards
            name="resource"
            value={mode}
            describedBy={control['aria-describedby']}
            onChange={(next) => onChange(next, value)}
            options={[
              {
                value: 'auto',
                label: 'Automatic',
                description:
                  'The resource the server’s metadata names: a JWT for this MCP server, checked by signature.',
              },
              {
                value: 'custom',
                label: 'Custom',
                description:
                  'Your API resource indicator (Logto Console › API resources): a JWT for that API.',
              },
              {
                value: 'none',
                label: 'None',
                description:
                  'No resource parameter: an opaque token the server checks at the issuer’s userinfo endpoint.',
              },
            ]}
          />
          {mode === 'custom' && (
            <label className="subfield">
              <span className="field__label">Resource indicator</span>
              <input
                className="input input--mono"
                type="url"
                value={value}
                placeholder="http://localhost:3001/"
                spellCheck={false}
                autoComplete="off"
                aria-invalid={errors && errors.length > 0 ? true : undefined}
                aria-describedby={control['aria-describedby']}
                onChange={(event) => onChange('custom', event.target.value)}
              />
            </label>
          )}
        </>
      )}
    </Field>
  );
}
