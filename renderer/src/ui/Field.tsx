import { useId } from 'react';
import type { ReactNode } from 'react';
import { Icon } from './Icon';

export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

/**
 * A labelled form field: the label, a one-line hint, the control, and the validation message
 * right under it (linked with aria-describedby, announced when it appears).
 */
export function Field(props: {
  label: ReactNode;
  hint?: ReactNode;
  errors?: readonly string[] | undefined;
  children: (control: FieldControlProps) => ReactNode;
  /** For groups (radios, chips): render a fieldset with a legend instead of a label. */
  group?: boolean;
  className?: string;
}) {
  const { label, hint, errors = [], children, group = false, className } = props;
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', errors.length > 0 ? errorId : '']
    .filter(Boolean)
    .join(' ');
  const control: FieldControlProps = {
    id,
    ...(describedBy && { 'aria-describedby': describedBy }),
    ...(errors.length > 0 && { 'aria-invalid': true }),
  };
  const body = (
    <>
      {hint && (
        <div className="field__hint" id={hintId}>
          {hint}
        </div>
      )}
      {children(control)}
      <div className="field__errors" id={errorId} aria-live="polite">
        {errors.map((message) => (
          <p className="field__error" key={message}>
            <Icon name="error" size={18} />
            <span>{message}</span>
          </p>
        ))}
      </div>
    </>
  );
  const classes = `field${errors.length > 0 ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`;
  if (group) {
    return (
      <fieldset className={classes} aria-describedby={describedBy || undefined}>
        <legend className="field__label">{label}</legend>
        {body}
      </fieldset>
    );
  }
  return (
    <div className={classes}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {body}
    </div>
  );
}
