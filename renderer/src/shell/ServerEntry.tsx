import { useServer } from '../state/server-store';
import { Icon } from '../ui/Icon';

/** An issuer as short as it stays recognisable: its host and path. */
function trustedHost(issuer: string): string {
  const url = URL.parse(issuer);
  return url ? `${url.host}${url.pathname.replace(/\/$/, '')}` : issuer;
}

/** The sidebar's way into the Server tab: the server's state and the issuer it trusts at a glance. */
export function ServerEntry({ onOpen, selected }: { onOpen: () => void; selected: boolean }) {
  const { status, decisions } = useServer();
  const latest = decisions[0];
  const ready = status?.running && status.issuerStatus.state === 'ready';
  return (
    <div className="server-entry">
      <h2 className="sidebar__heading">MCP server</h2>
      <button
        type="button"
        className={`profile-item${selected ? ' profile-item--selected' : ''}`}
        aria-current={selected ? 'true' : undefined}
        onClick={onOpen}
      >
        <span className="profile-item__name">
          <Icon name="server" size={18} /> Bundled server
        </span>
        <span className="profile-item__meta">
          <span className={`dot${ready ? ' dot--ok' : ''}`} aria-hidden="true" />
          {!status
            ? 'checking…'
            : status.issuerStatus.state === 'unavailable'
              ? 'issuer unreachable (503)'
              : 'running'}
          {status && <span className="badge">{status.verification}</span>}
        </span>
        {status && (
          <span className="profile-item__meta server-entry__trust" data-testid="sidebar-trust">
            trusts {status.trustsSandbox ? 'the sandbox' : trustedHost(status.issuer)}
          </span>
        )}
        {latest && (
          <span className="profile-item__meta">
            last: {latest.verdict} {latest.status}
          </span>
        )}
      </button>
    </div>
  );
}
