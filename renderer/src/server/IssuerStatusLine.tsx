import type { IssuerStatus } from '../../../preload/api';
import { Callout } from '../ui/Callout';
import { Icon } from '../ui/Icon';

/** Whether the bundled server can verify tokens with its issuer, and if not, why. */
export function IssuerStatusLine({ status }: { status: IssuerStatus }) {
  switch (status.state) {
    case 'ready':
      return (
        <p className="server-state server-state--up" role="status">
          <Icon name="check" size={18} /> Running; the issuer answers, tokens can be verified.
        </p>
      );
    case 'checking':
      return (
        <p className="server-state" role="status">
          <Icon name="refresh" size={18} /> Running; asking the issuer…
        </p>
      );
    case 'unavailable':
      return (
        <Callout
          tone="error"
          role="status"
          title="Running, but it cannot verify tokens: its issuer does not answer"
        >
          <p>
            Cannot reach its issuer <code>{status.issuer}</code>: {status.problem}
          </p>
          <p>
            Until the issuer answers, <code>/mcp</code> and <code>/sse</code> answer 503 with this
            reason and Retry-After. The server asks again on its own (next at{' '}
            {new Date(status.nextCheckAt).toLocaleTimeString()}) and on each request, and picks the
            issuer up as soon as it answers.
          </p>
        </Callout>
      );
  }
}
