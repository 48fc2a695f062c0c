import { useId } from 'react';
import type { ReactNode } from 'react';

export interface RadioOption<T extends string> {
  value: T;
  label: ReactNode;
  description?: ReactNode;
  disabled?: boolean;
}

/** Radio buttons drawn as cards, each with its one-line explanation (inside a Field group). */
export function RadioCards<T extends string>(props: {
  name: string;
  value: T;
  options: readonly RadioOption<T>[];
  onChange: (value: T) => void;
  describedBy?: string | undefined;
}) {
  const { name, value, options, onChange, describedBy } = props;
  const id = useId();
  return (
    <div className="radio-cards">
      {options.map((option) => {
        const optionId = `${id}-${option.value}`;
        return (
          <label
            key={option.value}
            className={`radio-card${option.value === value ? ' radio-card--checked' : ''}${option.disabled ? ' radio-card--disabled' : ''}`}
            htmlFor={optionId}
          >
            <input
              id={optionId}
              type="radio"
              name={`${id}-${name}`}
              value={option.value}
              checked={option.value === value}
              disabled={option.disabled}
              aria-describedby={
                [option.description ? `${optionId}-desc` : '', describedBy ?? '']
                  .filter(Boolean)
                  .join(' ') || undefined
              }
              onChange={() => onChange(option.value)}
            />
            <span className="radio-card__text">
              <span className="radio-card__label">{option.label}</span>
              {option.description && (
                <span className="radio-card__description" id={`${optionId}-desc`}>
                  {option.description}
                </span>
              )}
            </span>
          </label>
        );
      })}
    </div>
  );
}
