import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { Tool } from '../../../preload/api';
import { useSessions, type ToolRun } from '../state/session-store';
import { ErrorWithFix } from '../ui/Callout';
import { Field } from '../ui/Field';
import { Icon, Spinner } from '../ui/Icon';
import { fieldsOf, initialValues, parseArguments, type SchemaField } from './schema-form';
import { ToolResultView } from './ToolResultView';

function FieldInput(props: {
  field: SchemaField;
  value: string;
  control: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean };
  onChange: (value: string) => void;
}) {
  const { field, value, control, onChange } = props;
  switch (field.kind) {
    case 'boolean':
      return (
        <label className="check">
          <input
            {...control}
            type="checkbox"
            checked={value === 'true'}
            onChange={(event) => onChange(String(event.target.checked))}
          />
          <span>{field.title ?? field.name}</span>
        </label>
      );
    case 'enum':
      return (
        <select
          {...control}
          className="input"
          value={value}
          required={field.required}
          onChange={(event) => onChange(event.target.value)}
        >
          {!field.required && <option value="">(not set)</option>}
          {field.required && value === '' && <option value="">Choose…</option>}
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
    case 'json':
      return (
        <textarea
          {...control}
          className="input input--mono"
          rows={3}
          value={value}
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
        />
      );
    default:
      return (
        <input
          {...control}
          className={`input${field.kind === 'string' ? '' : ' input--mono'}`}
          inputMode={
            field.kind === 'integer' ? 'numeric' : field.kind === 'number' ? 'decimal' : undefined
          }
          value={value}
          required={field.required}
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
        />
      );
  }
}

/** A form generated from the tool's JSON Schema, Run, and the answer. */
export function ToolForm({ profileId, tool }: { profileId: string; tool: Tool }) {
  const sessions = useSessions();
  const fields = useMemo(() => fieldsOf(tool), [tool]);
  const [values, setValues] = useState(() => initialValues(fields));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [run, setRun] = useState<ToolRun>();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseArguments(fields, values);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setRunning(true);
    try {
      setRun(await sessions.callTool(profileId, tool.name, parsed.args));
    } finally {
      setRunning(false);
    }
  }

  return (
    <form className="tool-form" onSubmit={(event) => void onSubmit(event)} noValidate>
      {fields.length === 0 ? (
        <p className="muted">This tool takes no input.</p>
      ) : (
        fields.map((field) => (
          <Field
            key={field.name}
            label={
              <>
                <code>{field.name}</code>
                {field.required ? (
                  <span className="required"> (required)</span>
                ) : (
                  <span className="muted"> (optional)</span>
                )}{' '}
                <span className="muted">{field.kind}</span>
              </>
            }
            hint={field.description}
            errors={errors[field.name] ? [errors[field.name] ?? ''] : undefined}
          >
            {(control) => (
              <FieldInput
                field={field}
                value={values[field.name] ?? ''}
                control={control}
                onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
              />
            )}
          </Field>
        ))
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={running}>
          {running ? <Spinner /> : <Icon name="play" size={18} />}
          Run {tool.name}
        </button>
      </div>
      <div aria-live="polite">
        {run?.error && <ErrorWithFix error={run.error} title={`${tool.name} failed`} />}
        {run?.result && <ToolResultView result={run.result} tool={tool.name} />}
      </div>
    </form>
  );
}
