import { useState } from 'react';
import type {
  SetupItem,
  SetupItemId,
  TenantSetupInput,
  TenantSetupView,
} from '../../../preload/api';
import { useApi } from '../api/api-context';
import { Callout, ErrorWithFix } from '../ui/Callout';
import { Field } from '../ui/Field';
import { Spinner } from '../ui/Icon';
import { DoctorItem } from './DoctorItem';
import { useDoctorCall } from './use-doctor-call';

const STATE: Record<SetupItem['state'], { label: string; tone: string }> = {
  created: { label: 'Created', tone: 'ok' },
  exists: { label: 'Already there', tone: 'info' },
  fixed: { label: 'Fixed', tone: 'ok' },
  drift: { label: 'Differs', tone: 'warning' },
  failed: { label: 'Failed', tone: 'error' },
};

/**
 * "Set up this tenant": a machine-to-machine app's credentials (kept in the secret store once
 * Logto accepts them) create what the app needs, and only what is missing; drift gets a Fix.
 */
export function TenantSetupPanel() {
  const api = useApi();
  const setup = useDoctorCall<TenantSetupView>();
  const [form, setForm] = useState({
    endpoint: '',
    appId: '',
    appSecret: '',
    username: '',
    thirdParty: false,
  });
  const set =
    (key: keyof typeof form) => (event: { target: { value: string; checked?: boolean } }) =>
      setForm({
        ...form,
        [key]: key === 'thirdParty' ? !!event.target.checked : event.target.value,
      });

  const submit = (fix?: SetupItemId[]) => {
    const input: TenantSetupInput = {
      endpoint: form.endpoint,
      username: form.username,
      thirdParty: form.thirdParty,
      ...(form.appId && { appId: form.appId }),
      ...(form.appSecret && { appSecret: form.appSecret }),
      ...(fix && { fix }),
    };
    void setup.run(() => api.doctor.setupTenant(input));
  };
  const result = setup.value;

  return (
    <section className="card" aria-labelledby="setup-heading">
      <h3 id="setup-heading">Set up a Logto tenant</h3>
      <p className="muted">
        Creates, through the Logto Management API, a Native app with the loopback and app redirect
        URIs, an API resource for the bundled server, the <code>whoami:read</code> permission and a
        role with it for the user you name. What already exists is left alone; nothing is ever
        deleted.
      </p>
      <form
        className="doctor-grid"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Field label="Logto endpoint" hint="https://<tenant>.logto.app, or your self-hosted Logto">
          {(control) => (
            <input
              className="input"
              {...control}
              value={form.endpoint}
              onChange={set('endpoint')}
              required
            />
          )}
        </Field>
        <Field
          label="Machine-to-machine App ID"
          hint="An app with Management API access (leave empty to reuse)"
        >
          {(control) => (
            <input
              className="input"
              {...control}
              value={form.appId}
              onChange={set('appId')}
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="App secret" hint="Kept in the secret store, never shown again">
          {(control) => (
            <input
              className="input"
              {...control}
              type="password"
              value={form.appSecret}
              onChange={set('appSecret')}
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="User who gets the role" hint="Their username in the tenant">
          {(control) => (
            <input
              className="input"
              {...control}
              value={form.username}
              onChange={set('username')}
              required
            />
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={form.thirdParty} onChange={set('thirdParty')} /> Also a
          third-party app (consent screen)
        </label>
        <div>
          <button type="submit" className="button button--primary" disabled={setup.busy}>
            {setup.busy && <Spinner />}
            Set up this tenant
          </button>
        </div>
      </form>
      {setup.error && <ErrorWithFix error={setup.error} title="The setup stopped" role="alert" />}
      {result && (
        <div aria-live="polite">
          <ul className="doctor-checks" aria-label="Setup items">
            {result.items.map((item) => (
              <DoctorItem
                key={item.id}
                tone={item.state === 'drift' ? 'warn' : item.state === 'failed' ? 'fail' : 'pass'}
                badge={
                  <span className={`badge badge--${STATE[item.state].tone}`}>
                    {STATE[item.state].label}
                  </span>
                }
                title={item.title}
                detail={item.detail}
                fix={item.fix}
              >
                {item.state === 'drift' && item.fixable && (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    disabled={setup.busy}
                    onClick={() => submit([item.id])}
                  >
                    Fix this
                  </button>
                )}
              </DoctorItem>
            ))}
          </ul>
          {result.profile && (
            <Callout tone="success" title={`Profile “${result.profile.name}” saved`}>
              <p>
                It signs in at <code>{result.issuer}</code> with the Native app{' '}
                <code>{result.profile.clientId}</code>.
              </p>
            </Callout>
          )}
          {result.serverApplied && (
            <Callout tone="success" title="The bundled server now trusts this tenant">
              <p>
                It verifies tokens from <code>{result.server.issuer}</code> issued for{' '}
                <code>{result.server.resource}</code>; the Server tab shows it and switches back.
              </p>
            </Callout>
          )}
          {!result.serverApplied && (
            <Callout tone="warning" title="The bundled server does not trust this tenant yet">
              <p>
                Point it at the issuer <code>{result.server.issuer}</code> with the resource{' '}
                <code>{result.server.resource}</code>, e.g.{' '}
                <code>
                  npm run serve -- --issuer {result.server.issuer} --resource{' '}
                  {result.server.resource}
                </code>
                .
              </p>
            </Callout>
          )}
        </div>
      )}
    </section>
  );
}
