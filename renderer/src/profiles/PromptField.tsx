import { Field } from '../ui/Field';
import { PROMPT_OPTIONS } from './profile-form';

export function PromptField(props: {
  prompt: string[];
  errors: readonly string[] | undefined;
  onChange: (prompt: string[]) => void;
}) {
  const { prompt, errors, onChange } = props;
  const known = PROMPT_OPTIONS.map((option) => option.value as string);
  const others = prompt.filter((token) => !known.includes(token));
  function toggle(value: string, on: boolean) {
    const chosen = on ? [...prompt, value] : prompt.filter((token) => token !== value);
    // Keep the order the spec lists them in, whatever order they were clicked in.
    onChange([...known.filter((token) => chosen.includes(token)), ...others]);
  }
  return (
    <Field
      group
      label="Prompt"
      hint="Leave all unticked to let the issuer decide (OpenID Connect Core §3.1.2.1)."
      errors={errors}
    >
      {(control) => (
        <div className="checks">
          {PROMPT_OPTIONS.map((option) => (
            <label className="check" key={option.value}>
              <input
                type="checkbox"
                checked={prompt.includes(option.value)}
                aria-describedby={control['aria-describedby']}
                onChange={(event) => toggle(option.value, event.target.checked)}
              />
              <span>
                <code>{option.label}</code> <span className="muted">{option.hint}</span>
              </span>
            </label>
          ))}
        </div>
      )}
    </Field>
  );
}
