import { useState } from 'react';
import type { ApiErrorBody } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { describeError } from '../api/errors';
import { useFlows } from '../state/flow-store';
import { useProfiles } from '../state/profile-store';
import { ErrorWithFix } from '../ui/Callout';
import { Icon } from '../ui/Icon';

/** The sidebar's profile list: pick one, see at a glance which are signed in; add new ones. */
export function ProfileList() {
  const api = useApi();
  const { profiles, draft, selectedId, select, startDraft } = useProfiles();
  const { latestFlow } = useFlows();
  const [templateError, setTemplateError] = useState<ApiErrorBody>();
  // The template comes from main (one source of the defaults), pointed at the running server.
  const newProfile = () => {
    setTemplateError(undefined);
    api.profiles.template().then(startDraft, (error: unknown) => {
      setTemplateError(describeError(error));
    });
  };
  const items = [
    ...profiles.filter((view) => !view.demo),
    // Once saved, the draft is in the list already (the save's event can beat its own answer).
    ...(draft && !profiles.some((view) => view.profile.id === draft.id)
      ? [{ profile: draft, signedIn: false, isDraft: true as const }]
      : []),
  ];
  // A demo run's profiles are its own: folded away, unless one of them is the one on screen.
  const demos = profiles.filter((view) => view.demo);
  const item = (view: (typeof items)[number]) => {
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
  };
  return (
    <nav className="profile-list" aria-labelledby="profiles-heading">
      <h2 id="profiles-heading" className="sidebar__heading">
        Profiles
      </h2>
      <ul>{items.map(item)}</ul>
      {demos.length > 0 && (
        <details
          className="profile-list__demo"
          open={demos.some((view) => view.profile.id === selectedId)}
        >
          <summary>Made by demo runs ({demos.length})</summary>
          <ul>{demos.map(item)}</ul>
        </details>
      )}
      <button
        type="button"
        className="button button--secondary button--block"
        disabled={draft !== undefined}
        onClick={newProfile}
      >
        <Icon name="plus" size={18} /> New profile
      </button>
      {templateError && <ErrorWithFix error={templateError} />}
      <p className="muted sidebar__note">Starts as a “Logto tenant” profile to fill in.</p>
    </nav>
  );
}
