import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import { Field } from '../ui/Field';
import { Icon } from '../ui/Icon';
import { useIssuerScopes } from './use-issuer-scopes';

/**
 * Scopes as chips: type and press Enter (or space) to add, × to remove; the scopes the issuer
 * offers (its discovery document's scopes_supported) one click away.
 */
export function ScopesField(props: {
  scopes: string[];
  issuer: string;
  errors: readonly string[] | undefined;
  onChange: (scopes: string[]) => void;
}) {
  const { scopes, issuer, errors, onChange } = props;
  const [text, setText] = useState('');
  const offered = useIssuerScopes(issuer);

  function add(raw: string) {
    const added = raw.split(/[\s,]+/).filter((scope) => scope !== '' && !scopes.includes(scope));
    if (added.length > 0) onChange([...scopes, ...new Set(added)]);
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' || event.key === ' ' || event.key === ',') {
      event.preventDefault();
      if (text.trim() !== '') add(text);
    }
  }

  const suggestions = offered.scopes.filter((scope) => !scopes.includes(scope));

  return (
    <Field
      label="Scopes"
      hint="What the app asks the issuer for. Type a scope and press Enter; use × to remove one."
      errors={errors}
    >
      {(control) => (
        <div className="scopes">
          <ul className="chips" aria-label="Requested scopes">
            {scopes.length === 0 && <li className="muted">No scopes: the issuer decides.</li>}
            {scopes.map((scope) => (
              <li className="chip" key={scope}>
                <code>{scope}</code>
                <button
                  type="button"
                  className="chip__remove"
                  aria-label={`Remove scope ${scope}`}
                  onClick={() => onChange(scopes.filter((s) => s !== scope))}
                >
                  <Icon name="cross" size={14} />
                </button>
              </li>
            ))}
          </ul>
          <div className="scopes__add">
            <input
              {...control}
              className="input"
              type="text"
              value={text}
              placeholder="Add a scope, e.g. offline_access"
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setText(event.target.value)}
              onKeyDown={onKeyDown}
              onBlur={() => {
                if (text.trim() !== '') add(text);
              }}
            />
            <button
              type="button"
              className="button button--secondary"
              disabled={text.trim() === ''}
              onClick={() => add(text)}
            >
              <Icon name="plus" size={18} /> Add
            </button>
          </div>
          <div className="scopes__offered" aria-live="polite">
            {offered.state === 'loading' && <p className="muted">Reading the issuer’s scopes…</p>}
            {offered.state === 'error' && (
              <p className="muted">Could not read the issuer’s scopes: {offered.error}</p>
            )}
            {offered.state === 'idle' && issuer.trim() === '' && (
              <p className="muted">
                Enter the issuer to see the scopes it offers (its <code>scopes_supported</code>).
              </p>
            )}
            {offered.state === 'done' && (
              <>
                <p className="muted">
                  {suggestions.length > 0
                    ? 'The issuer also offers (click to add):'
                    : 'You ask for every scope the issuer lists.'}
                </p>
                {suggestions.length > 0 && (
                  <ul className="chips chips--suggestions" aria-label="Scopes the issuer offers">
                    {suggestions.map((scope) => (
                      <li key={scope}>
                        <button
                          type="button"
                          className="chip chip--add"
                          aria-label={`Add scope ${scope}`}
                          onClick={() => onChange([...scopes, scope])}
                        >
                          <Icon name="plus" size={14} />
                          <code>{scope}</code>
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </div>
        </div>
      )}
    </Field>
  );
}
