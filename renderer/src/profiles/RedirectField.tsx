import type { Profile, RedirectInfo } from '../../../preload/api';
import { Callout } from '../ui/Callout';
import { CopyButton } from '../ui/CopyButton';
import { Field } from '../ui/Field';
import { RadioCards } from '../ui/RadioCards';

const LABELS: Record<RedirectInfo['mode'], { label: string; description: string }> = {
  loopback: {
    label: 'Loopback',
    description: 'The browser comes back to http://127.0.0.1 on a free port. Works on every host.',
  },
  'custom-scheme': {
    label: 'App link (custom scheme)',
    description: 'The browser hands the code to the desktop app through its own URI scheme.',
  },
};

/** The redirect mode, and the exact URI to register in Logto for it, with a copy button. */
export function RedirectField(props: {
  mode: Profile['redirectMode'];
  redirects: readonly RedirectInfo[];
  errors: readonly string[] | undefined;
  onChange: (mode: Profile['redirectMode']) => void;
  port: string;
  portErrors: readonly string[] | undefined;
  onPortChange: (port: string) => void;
}) {
  const { mode, redirects, errors, onChange, port, portErrors, onPortChange } = props;
  const current = redirects.find((redirect) => redirect.mode === mode);
  const modes = (['loopback', 'custom-scheme'] as const).filter(
    (m) => m === mode || redirects.some((redirect) => redirect.mode === m),
  );
  return (
    <Field group label="Redirect" errors={errors}>
      {(control) => (
        <>
          <RadioCards
            name="redirect"
            value={mode}
            describedBy={control['aria-describedby']}
            onChange={onChange}
            options={modes.map((m) => ({
              value: m,
              label: LABELS[m].label,
              description: LABELS[m].description,
            }))}
          />
          {mode === 'loopback' && (
            <Field label="Fixed redirect port (optional)" errors={portErrors}>
              {(portControl) => (
                <>
                  <input
                    {...portControl}
                    inputMode="numeric"
                    placeholder="any free port"
                    value={port}
                    onChange={(event) => onPortChange(event.target.value)}
                  />
                  <p className="muted">
                    Leave empty for a Logto Native app (it matches{' '}
                    <code>http://127.0.0.1/callback</code> on any port). An SPA or Traditional web
                    app matches exactly: set a port here and register{' '}
                    <code>
                      http://127.0.0.1:{/^\d+$/.test(port.trim()) ? port.trim() : '<port>'}
                      /callback
                    </code>
                    , which then stays valid at every launch.
                  </p>
                </>
              )}
            </Field>
          )}
          {current ? (
            <div className="register">
              <p className="register__label">
                Register exactly this in Logto Console › your app › <strong>Redirect URIs</strong>:
              </p>
              <div className="register__uri">
                <code>{current.register}</code>
                <CopyButton text={current.register} label="Copy URI" />
              </div>
              {current.redirectUri !== current.register && (
                <p className="muted">
                  The app sends <code>{current.redirectUri}</code>.
                </p>
              )}
              <p className="register__note">{current.note}</p>
            </div>
          ) : (
            <Callout tone="warning" title="This host cannot receive this redirect">
              <p>
                The {LABELS[mode].label.toLowerCase()} redirect needs the desktop app. Choose{' '}
                <strong>Loopback</strong> to sign in from this page.
              </p>
            </Callout>
          )}
        </>
      )}
    </Field>
  );
}
