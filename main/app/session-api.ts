/** A signed-in profile's session: what it shows, its tools, refresh and sign-out. */
import type { SessionApi, SignOutReport } from '../../preload/api';
import type { SessionStore } from '../client/engine/session-store';
import { redactUrl } from '../trace/redact';
import { ApiError } from './api-error';
import type { EventHub } from './event-hub';
import type { FlowRunner } from './flow-runner';
import type { ProfileLookup } from './profiles-api';
import { sessionView } from './session-view';

export function createSessionApi(deps: {
  sessions: SessionStore;
  runner: FlowRunner;
  lookup: ProfileLookup;
  events: EventHub;
  openExternal(url: string, purpose: 'sign-in' | 'sign-out'): Promise<void> | void;
}): SessionApi {
  const { runner } = deps;
  return {
    async get(profileId) {
      const session = await deps.lookup.sessionOf(await deps.lookup.profileOrThrow(profileId));
      return session ? sessionView(session) : null;
    },

    async listTools(profileId) {
      return runner.signedInOrThrow(profileId).view.tools ?? [];
    },

    async callTool(profileId, name, args) {
      if (typeof name !== 'string' || !name) throw new ApiError('Which tool?');
      const toolArgs = args && typeof args === 'object' && !Array.isArray(args) ? args : {};
      return runner.signedInOrThrow(profileId).flow.callTool(name, toolArgs);
    },

    async refresh(profileId) {
      await runner.signedInOrThrow(profileId).flow.refresh();
      const session = await deps.sessions.load(profileId);
      if (!session) throw new ApiError('The session ended while refreshing.', 'Connect again.');
      deps.events.publish({ type: 'profiles-changed' });
      return sessionView(session);
    },

    async signOut(profileId) {
      await deps.lookup.profileOrThrow(profileId);
      const active = runner.activeFor(profileId);
      let report: SignOutReport = { revoked: [] };
      if (active) {
        report = await active.flow.signOut({
          openEndSession: (url) => deps.openExternal(url.href, 'sign-out'),
        });
        // The end-session URL carries the ID token as id_token_hint: the renderer holds no tokens.
        if (report.endSessionUrl) report.endSessionUrl = redactUrl(report.endSessionUrl);
        runner.forget(profileId);
      } else {
        await deps.sessions.clear(profileId);
      }
      deps.events.publish({ type: 'profiles-changed' });
      return report;
    },
  };
}
