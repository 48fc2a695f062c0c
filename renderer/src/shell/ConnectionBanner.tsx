import { useConnectionState } from '../api/api-context';
import { TOKEN_INVALID } from '../api/web-client';
import { Callout } from '../ui/Callout';
import { Spinner } from '../ui/Icon';

/** Shown while the live event stream is down; quiet when all is well. */
export function ConnectionBanner() {
  const state = useConnectionState();
  return (
    <div aria-live="assertive">
      {state === 'reconnecting' && (
        <Callout tone="warning" title="Reconnecting…" className="banner">
          <p className="flow-status__line">
            <Spinner /> Live updates stopped; retrying. Is <code>npm run web</code> still running?
          </p>
        </Callout>
      )}
      {state === 'unauthorized' && (
        <Callout tone="error" title="Disconnected" className="banner">
          <p>{TOKEN_INVALID}</p>
        </Callout>
      )}
    </div>
  );
}
