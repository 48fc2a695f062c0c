import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ServerStatus } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { describeError } from '../api/errors';
import { useServer } from '../state/server-store';
import { Callout, ErrorWithFix } from '../ui/Callout';
import { Field } from '../ui/Field';
import { RadioCards } from '../ui/RadioCards';
import { fieldOf, formFromSettings, inputFromForm, type SettingsForm } from './settings-form';

const MODES = [
  {
    value: 'auto',
    label: 'Auto',
    description: 'JWTs by signature (JWKS), opaque tokens at the issuer’s userinfo endpoint.',
  },
  {
    value: 'jwt',
    label: 'JWT only',
    description: 'Signature, iss, aud and exp checked; opaque tokens refused.',
  },
  {
    value: 'userinfo',
    label: 'Userinfo',
    description: 'Every token at the issuer’s userinfo endpoint, as the tutorials do.',
  },
] as const;

type Apply =
  | { state: 'idle' }
  | { state: 'applying' }
  | { state: 'applied' }
  | { state: 'failed'; error: { message: string; fix?: string } };

/**
 * The bundled server's settings, editable: validated as typed (main's schema), applied with a
 * restart. What was typed stays in the server store until applied, so nothing is lost on a
 * failed Apply or a tab switch.
 */
export function ServerSettingsForm({ status }: { status: ServerStatus }) {
  const api = useApi();
  const { draft, setDraft } = useServer();
  const form = draft ?? formFromSettings(status.settings);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const [apply, setApply] = useState<Apply>({ state: 'idle' });
  const ticket = useRef(0);
  const input = useMemo(() => inputFromForm(form), [form]);

  useEffect(() => {
    if (!draft) {
      setIssues([]);
      return;
    }
    const mine = ++ticket.current;
    const timer = setTimeout(() => {
      api.server.validateSettings(input).then(
        (result) => {
          if (mine === ticket.current) setIssues(result.ok ? [] : result.issues);
        },
        () => undefined, // a courtesy; Apply says what is wrong
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [api, input, draft]);

  const errorsOf = (key: keyof SettingsForm) =>
    issues.filter((issue) => fieldOf(issue.path) === key).map((issue) => issue.message);
  const update = (change: Partial<SettingsForm>) => {
    setDraft({ ...form, ...change });
    if (apply.state !== 'applying') setApply({ state: 'idle' });
  };

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setApply({ state: 'applying' });
    ticket.current++;
    try {
      const result = await api.server.applySettings(input);
      if (!result.ok) {
        setIssues(result.issues);
        setApply({
          state: 'failed',
          error: { message: 'Some settings are not valid; see the fields above.' },
        });
        return;
      }
      setDraft(undefined);
      setIssues([]);
      setApply({ state: 'applied' });
    } catch (error) {
      setApply({ state: 'failed', error: describeError(error) });
    }
  }

  return (
    <form className="server-settings" aria-labelledby="server-settings-heading" onSubmit={onSubmit}>
      <h4 id="server-settings-heading">Settings</h4>
      <Field label="Trusted issuer" group errors={errorsOf('issuerUrl')}>
        {(control) => (
          <>
            <RadioCards
              name="trust"
              value={form.trust}
              onChange={(trust) => update({ trust })}
              describedBy={control['aria-describedby']}
              options={[
                {
                  value: 'sandbox',
                  label: 'The sandbox issuer',
                  description: 'Bundled, started when used; demo users alice and bob.',
                },
                {
                  value: 'url',
                  label: 'Another issuer',
                  description: 'Your Logto tenant, e.g. https://your-tenant.logto.app/oidc.',
                },
              ]}
            />
            {form.trust === 'url' && (
              <input
                className="input"
                aria-label="Issuer URL"
                aria-invalid={control['aria-invalid']}
                placeholder="https://your-tenant.logto.app/oidc"
                value={form.issuerUrl}
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => update({ issuerUrl: event.target.value })}
              />
            )}
          </>
        )}
      </Field>
      <Field
        label="Resource indicator"
        hint={
          <>
            What tokens must be issued for (their <code>aud</code>); empty for{' '}
            <code>http://localhost:&lt;port&gt;/</code>, as Logto’s guides register the API
            resource.
          </>
        }
        errors={errorsOf('resource')}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            placeholder={status.resource}
            value={form.resource}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => update({ resource: event.target.value })}
          />
        )}
      </Field>
      <Field label="Verification" group errors={errorsOf('verification')}>
        {(control) => (
          <RadioCards
            name="verification"
            value={form.verification}
            options={MODES}
            describedBy={control['aria-describedby']}
            onChange={(verification) => update({ verification })}
          />
        )}
      </Field>
      <Field
        label="Required scopes"
        hint="Every call must carry these (403 insufficient_scope otherwise); separated by spaces."
        errors={errorsOf('requiredScopes')}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            placeholder="e.g. whoami:read"
            value={form.requiredScopes}
            onChange={(event) => update({ requiredScopes: event.target.value })}
          />
        )}
      </Field>
      <Field
        label="Advertised scopes"
        hint="In the protected resource metadata and the 401 challenge."
        errors={errorsOf('scopesSupported')}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            value={form.scopesSupported}
            onChange={(event) => update({ scopesSupported: event.target.value })}
          />
        )}
      </Field>
      <Field
        label="Verification cache (seconds)"
        hint="How long a checked token is trusted without asking the issuer again. A revoked opaque token keeps working this long; 0 asks every time."
        errors={errorsOf('cacheTtlSec')}
      >
        {(control) => (
          <input
            {...control}
            className="input input--short"
            inputMode="numeric"
            value={form.cacheTtlSec}
            onChange={(event) => update({ cacheTtlSec: event.target.value })}
          />
        )}
      </Field>
      <Field
        label="Clock leeway (seconds)"
        hint="How long past its expiry a JWT is still accepted, in case the issuer’s clock and this machine’s disagree."
        errors={errorsOf('clockToleranceSec')}
      >
        {(control) => (
          <input
            {...control}
            className="input input--short"
            inputMode="numeric"
            value={form.clockToleranceSec}
            onChange={(event) => update({ clockToleranceSec: event.target.value })}
          />
        )}
      </Field>
      <Field
        label="Allowed client IDs"
        hint="Empty: a token the issuer gave any client is accepted. Listed: only tokens issued to these (JWT client_id; opaque tokens through introspection)."
        errors={errorsOf('allowedClientIds')}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            placeholder="e.g. your Native app’s App ID"
            value={form.allowedClientIds}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => update({ allowedClientIds: event.target.value })}
          />
        )}
      </Field>
      <OpaqueTokenNote />
      <div className={`form-actions${draft ? '' : ' form-actions--idle'}`}>
        <button
          type="submit"
          className="button button--primary"
          disabled={!draft || apply.state === 'applying'}
        >
          {apply.state === 'applying' ? 'Restarting the server…' : 'Apply and restart the server'}
        </button>
        {draft && (
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              setDraft(undefined);
              setApply({ state: 'idle' });
            }}
          >
            Discard changes
          </button>
        )}
      </div>
      <div aria-live="polite">
        {apply.state === 'applied' && (
          <Callout tone="success" title="Applied">
            The server restarted with these settings on the same address.
          </Callout>
        )}
        {apply.state === 'failed' && (
          <ErrorWithFix error={apply.error} title="The settings were not applied" />
        )}
      </div>
    </form>
  );
}

/** Issue 9 item 4 and 5: what opaque-token mode can and cannot know, said plainly. */
export function OpaqueTokenNote() {
  return (
    <Callout tone="info" title="What the server can know about an opaque token">
      <p>
        An opaque token is checked at the issuer’s userinfo endpoint, which says who the user is but
        not which app holds the token. Without allowed client IDs, a token the issuer issued to any
        of its clients (a third-party app included) is accepted. With them, the issuer’s
        introspection endpoint is asked as each listed client (Logto lets a client introspect its
        own opaque tokens).
      </p>
      <p>
        A revoked token is seen only once its cached verdict expires (the cache window above). JWT
        access tokens are checked locally: a revoked JWT works until it expires.
      </p>
    </Callout>
  );
}
