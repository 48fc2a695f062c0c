import type { AppInfo } from '../../../preload/api';
import { Field } from '../ui/Field';
import { Icon } from '../ui/Icon';

const WHERE: Record<AppInfo['secretProtection'], string> = {
  'os-keyring': 'in your system’s keyring',
  'file-permissions': 'in a file only your user can read',
  memory: 'in memory until the app quits',
};

/** Write-only: what is typed goes to the secret store on save and is never shown again. */
export function ClientSecretField(props: {
  value: string;
  stored: boolean;
  protection: AppInfo['secretProtection'];
  onChange: (value: string) => void;
}) {
  const { value, stored, protection, onChange } = props;
  return (
    <Field
      label={
        <>
          Client secret{' '}
          {stored && (
            <span className="badge badge--ok">
              <Icon name="check" size={14} /> stored
            </span>
          )}
        </>
      }
      hint={
        <>
          Only for a Traditional web app (<code>client_secret_basic</code>). Kept{' '}
          {WHERE[protection]}; it is never shown again.{' '}
          {stored ? 'Type a new one to replace it.' : 'Leave empty for Native and SPA apps.'}
        </>
      }
    >
      {(control) => (
        <input
          {...control}
          className="input input--mono"
          type="password"
          value={value}
          placeholder={stored ? '•••••••• (stored; type to replace)' : ''}
          autoComplete="new-password"
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
