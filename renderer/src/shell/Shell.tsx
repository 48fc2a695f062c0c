import { useEffect, useState } from 'react';
import { ConnectionView } from '../flow/ConnectionView';
import { ProfileList } from '../profiles/ProfileList';
import { useFlows } from '../state/flow-store';
import { useIsDraft, useProfiles } from '../state/profile-store';
import { TabPanel, Tabs } from '../ui/Tabs';
import { ConnectionBanner } from './ConnectionBanner';
import {
  DemoView,
  DoctorView,
  ProfileEditor,
  ServerView,
  ToolsView,
  TraceView,
} from './lazy-views';
import { NoticesBanner } from './NoticesBanner';
import { SecretBanner } from './SecretBanner';
import { ServerEntry } from './ServerEntry';

type Tab = 'connection' | 'profile' | 'tools' | 'doctor' | 'trace' | 'server' | 'demo';

const TABS = [
  { id: 'connection', label: 'Connection' },
  { id: 'profile', label: 'Profile settings' },
  { id: 'tools', label: 'Tools' },
  { id: 'doctor', label: 'Doctor' },
  { id: 'trace', label: 'Trace' },
  { id: 'server', label: 'Server' },
  { id: 'demo', label: 'Demo' },
] as const;

/** Sidebar (profiles, server) and the selected profile's tabs. */
export function Shell() {
  const { info, selected, draft, loadError } = useProfiles();
  const { latestFlow } = useFlows();
  const [tab, setTab] = useState<Tab>('connection');
  const isDraft = useIsDraft(selected?.profile.id);

  // A new profile opens on its settings; picking a saved one keeps the current tab.
  useEffect(() => {
    if (draft) setTab('profile');
  }, [draft]);

  const flow = selected ? latestFlow(selected.profile.id) : undefined;
  const subtitle = !selected
    ? ''
    : isDraft
      ? 'not saved yet'
      : flow?.status === 'running' || flow?.status === 'paused'
        ? 'signing in…'
        : flow?.status === 'failed'
          ? 'sign-in failed'
          : flow?.status === 'cancelled'
            ? 'sign-in cancelled'
            : selected.signedIn
              ? 'signed in'
              : 'signed out';

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to the main content
      </a>
      <aside className="sidebar" aria-label="Profiles and server">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">
            M
          </span>
          <div>
            <p className="brand__name">MCP Auth Desktop</p>
            <p className="brand__host">
              {info.host === 'web' ? 'web' : 'desktop'} · v{info.version}
            </p>
          </div>
        </div>
        <ProfileList />
        <ServerEntry selected={tab === 'server'} onOpen={() => setTab('server')} />
      </aside>
      <main className="main" id="main" tabIndex={-1}>
        <ConnectionBanner />
        <NoticesBanner info={info} />
        <SecretBanner info={info} />
        {loadError && <p className="field__error">Could not reload the profiles: {loadError}</p>}
        {selected ? (
          <>
            <header className="main__header">
              <h1 className="main__title">{selected.profile.name}</h1>
              <p className="main__subtitle" aria-live="polite">
                {subtitle}
              </p>
            </header>
            <Tabs
              label="Profile views"
              tabs={TABS}
              selected={tab}
              onSelect={setTab}
              idPrefix="main"
            />
            <TabPanel idPrefix="main" id={tab}>
              {tab === 'connection' && <ConnectionView view={selected} />}
              {tab === 'profile' && (
                <ProfileEditor
                  key={selected.profile.id}
                  profile={selected.profile}
                  isDraft={isDraft}
                />
              )}
              {tab === 'tools' && <ToolsView profileId={selected.profile.id} isDraft={isDraft} />}
              {tab === 'doctor' && <DoctorView view={selected} />}
              {tab === 'trace' && <TraceView />}
              {tab === 'server' && <ServerView profile={selected.profile} />}
              {tab === 'demo' && <DemoView />}
            </TabPanel>
          </>
        ) : (
          <p>No profile yet: create one with “New profile”.</p>
        )}
      </main>
    </div>
  );
}
