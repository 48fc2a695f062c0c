import { useServer } from '../state/server-store';
import { Icon } from '../ui/Icon';

/** The sidebar's way into the Server tab, with the server's state at a glance. */
export function ServerEntry({ onOpen, selected }: { onOpen: () => void; selected: boolean }) {
  const { status, decisions } = useServer();
  const latest = decisions[0];
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
          <span className={`dot${status?.running ? ' dot--ok' : ''}`} aria-hidden="true" />
          {status ? (status.running ? 'running' : 'stopped') : 'checking…'}
          {status && <span className="badge">{status.verification}</span>}
        </span>
        {latest && (
          <span className="profile-item__meta">
            last: {latest.verdict} {latest.status}
          </span>
        )}
      </button>
    </div>
  );
}
