import type { AppInfo } from '../../../preload/api';
import { Callout } from '../ui/Callout';

/** Said once, at the top: where client secrets and tokens live when there is no OS keyring. */
export function SecretBanner({ info }: { info: AppInfo }) {
  if (info.secretProtection === 'os-keyring') return null;
  const where =
    info.secretProtection === 'file-permissions'
      ? 'in a file in the app’s data folder that only your user account can read (not encrypted)'
      : 'in memory only: they are gone when the app stops, and you will sign in again';
  return (
    <Callout
      tone="warning"
      title="No system keyring: secrets are kept with less protection"
      className="banner"
    >
      <p>
        Client secrets and tokens are stored {where}.{' '}
        {info.host === 'web'
          ? 'This page (npm run web) has no access to your system keyring.'
          : 'Install and unlock a keyring (e.g. GNOME Keyring or KWallet) to encrypt them.'}{' '}
        Use test tenants and test users here.
      </p>
    </Callout>
  );
}
