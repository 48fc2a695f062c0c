import { useEffect, useState } from 'react';
import type { AppInfo, ProfileView } from '../../preload/api';
import { ApiProvider, useApi } from './api/api-context';
import { describeError } from './api/errors';
import type { Transport } from './api/transport';
import { Shell } from './shell/Shell';
import { FlowProvider } from './state/flow-store';
import { ProfileProvider } from './state/profile-store';
import { ServerProvider } from './state/server-store';
import { SessionProvider } from './state/session-store';
import { TraceProvider } from './state/trace-store';
import { ErrorWithFix } from './ui/Callout';
import { Spinner } from './ui/Icon';

/** Loads what every screen needs (app info, profiles), then shows the app. */
function Loaded() {
  const api = useApi();
  const [state, setState] = useState<
    | { kind: 'loading' }
    | { kind: 'ready'; info: AppInfo; profiles: ProfileView[] }
    | { kind: 'failed'; error: { message: string; fix?: string; code?: string } }
  >({ kind: 'loading' });

  useEffect(() => {
    let current = true;
    Promise.all([api.app.info(), api.profiles.list()]).then(
      ([info, profiles]) => current && setState({ kind: 'ready', info, profiles }),
      (error: unknown) => current && setState({ kind: 'failed', error: describeError(error) }),
    );
    return () => {
      current = false;
    };
  }, [api]);

  if (state.kind === 'loading') {
    return (
      <main className="splash" aria-busy="true">
        <h1>MCP Auth Desktop</h1>
        <p className="flow-status__line">
          <Spinner /> Starting the sandbox issuer and the MCP server…
        </p>
      </main>
    );
  }
  if (state.kind === 'failed') {
    return (
      <main className="splash">
        <h1>MCP Auth Desktop</h1>
        <ErrorWithFix error={state.error} title="The app could not start" role="alert" />
      </main>
    );
  }
  return (
    <ProfileProvider info={state.info} initialProfiles={state.profiles}>
      <TraceProvider>
        <ServerProvider>
          <FlowProvider>
            <SessionProvider>
              <Shell />
            </SessionProvider>
          </FlowProvider>
        </ServerProvider>
      </TraceProvider>
    </ProfileProvider>
  );
}

export function App({ transport }: { transport: Transport }) {
  if (transport.kind === 'no-token') {
    return (
      <main className="splash">
        <h1>MCP Auth Desktop</h1>
        <ErrorWithFix
          title="This page needs its access link"
          error={{
            message:
              'The web version only answers pages opened from the link it prints, which carries an access token.',
            fix: 'Run npm run web and open the http://127.0.0.1:<port>/?token=… URL it prints.',
          }}
        />
      </main>
    );
  }
  return (
    <ApiProvider api={transport.api} connection={transport.connection}>
      <Loaded />
    </ApiProvider>
  );
}
