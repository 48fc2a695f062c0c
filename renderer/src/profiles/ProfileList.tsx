import { useFlows } from '../state/flow-store';
import { useProfiles } from '../state/profile-store';
import { Icon } from '../ui/Icon';
import { logtoTenantDraft } from './profile-form';

/** The sidebar's profile list: pick one, see at a glance which are signed in; add new ones. */
export function ProfileList() {
  const { profiles, draft, selectedId, select, startDraft, info } = useProfiles();
  const { latestFlow } = useFlows();
  const items = [
    ...profiles,
    ...(draft ? [{ profile: draft, signedIn: false, isDraft: true as const }] : []),
  ];
  return (
    <nav className="profile-list" aria-labelledby="profiles-heading">
      <h2 id="profiles-heading" className="sidebar__heading">
        Profiles
      </h2>
      <ul>
        {items.map((view) => {
          const { profile } = view;
          const flow = latestFlow(profile.id);
          const busy = flow?.status === 'running' || flow?.status === 'paused';
          const state =
            'isDraft' in view
              ? 'not saved yet'
              : busy
                ? 'signing in…'
                : view.signedIn
                  ? 'signed in'
                  : 'signed out';
          const selected = profile.id === selectedId;
          return (
            <li key={profile.id}>
              <button
                type="button"
                className={`profile-item${selected ? ' profile-item--selected' : ''}`}
                aria-current={selected ? 'true' : undefined}
                onClick={() => select(profile.id)}
              >
                <span className="profile-item__name">{profile.name}</span>
                <span className="profile-item__meta">
                  <span
                    className={`dot${view.signedIn ? ' dot--ok' : busy ? ' dot--busy' : ''}`}
                    aria-hidden="true"
                  />
                  {state}
                  {profile.kind === 'sandbox' && <span className="badge">sandbox</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        className="button button--secondary button--block"
        disabled={draft !== undefined}
        onClick={() => startDraft(logtoTenantDraft(info.sandbox.mcpUrl))}
      >
        <Icon name="plus" size={18} /> New profile
      </button>
      <p className="muted sidebar__note">Starts as a “Logto tenant” profile to fill in.</p>
    </nav>
  );
}
