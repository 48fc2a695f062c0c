import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ReactNode } from 'react';
import type { CallToolResult, SessionView, SignOutReport } from '../../../preload/api';
import { useApi, useAppEvents, useOnReconnect } from '../api/api-context';
import { describeError } from '../api/errors';

export interface ToolRun {
  tool: string;
  args: Record<string, unknown>;
  at: number;
  result?: CallToolResult;
  error?: { message: string; fix?: string; code?: string };
}

interface ProfileSession {
  /** undefined: not asked yet; null: not signed in. */
  session: SessionView | null | undefined;
  loadError?: string;
  /** The latest whoami answer, shown on the connection screen. */
  whoami?: ToolRun;
  signOutReport?: SignOutReport;
}

interface SessionStore {
  get(profileId: string): ProfileSession;
  reload(profileId: string): Promise<void>;
  /** Loads the session unless a load is under way. */
  ensure(profileId: string): Promise<void>;
  refresh(profileId: string): Promise<void>;
  signOut(profileId: string): Promise<SignOutReport>;
  callTool(profileId: string, tool: string, args: Record<string, unknown>): Promise<ToolRun>;
  dismissSignOut(profileId: string): void;
  /** Forgets what an earlier run left on screen (whoami, sign-out report) and reloads. */
  reset(profileId: string): Promise<void>;
}

const EMPTY: ProfileSession = { session: undefined };
const SessionContext = createContext<SessionStore | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [byProfile, setByProfile] = useState<Record<string, ProfileSession>>({});
  const known = useRef(new Set<string>());
  const inflight = useRef(new Map<string, Promise<void>>());
  const signedInFlows = useRef(new Set<string>());

  const patch = useCallback((profileId: string, change: Partial<ProfileSession>) => {
    setByProfile((current) => ({
      ...current,
      [profileId]: { ...(current[profileId] ?? EMPTY), ...change },
    }));
  }, []);

  const reload = useCallback(
    (profileId: string) => {
      known.current.add(profileId);
      const loading = api.session
        .get(profileId)
        .then((session) => {
          setByProfile((current) => {
            const rest = { ...(current[profileId] ?? EMPTY) };
            delete rest.loadError;
            // No session (signed out, or made for another server or client): no identity left.
            if (session === null) delete rest.whoami;
            return { ...current, [profileId]: { ...rest, session } };
          });
        })
        .catch((error: unknown) => patch(profileId, { loadError: describeError(error).message }))
        .finally(() => {
          if (inflight.current.get(profileId) === loading) inflight.current.delete(profileId);
        });
      inflight.current.set(profileId, loading);
      return loading;
    },
    [api, patch],
  );

  const ensure = useCallback(
    (profileId: string) => inflight.current.get(profileId) ?? reload(profileId),
    [reload],
  );

  const callTool = useCallback(
    async (profileId: string, tool: string, args: Record<string, unknown>) => {
      const run: ToolRun = { tool, args, at: Date.now() };
      try {
        run.result = await api.session.callTool(profileId, tool, args);
      } catch (error) {
        run.error = describeError(error);
      }
      if (tool === 'whoami') patch(profileId, { whoami: run });
      return run;
    },
    [api, patch],
  );

  const refresh = useCallback(
    async (profileId: string) => {
      const session = await api.session.refresh(profileId);
      patch(profileId, { session });
    },
    [api, patch],
  );

  const signOut = useCallback(
    async (profileId: string) => {
      const report = await api.session.signOut(profileId);
      setByProfile((current) => ({
        ...current,
        [profileId]: { session: null, signOutReport: report },
      }));
      return report;
    },
    [api],
  );

  const dismissSignOut = useCallback((profileId: string) => {
    setByProfile((current) => {
      const rest = { ...(current[profileId] ?? EMPTY) };
      delete rest.signOutReport;
      return { ...current, [profileId]: rest };
    });
  }, []);

  const reset = useCallback(
    (profileId: string) => {
      setByProfile((current) => ({
        ...current,
        [profileId]: { session: current[profileId]?.session },
      }));
      return reload(profileId);
    },
    [reload],
  );

  // A new run starts clean: nothing an earlier run showed (whoami, a sign-out report) stays.
  const seenFlows = useRef(new Set<string>());
  useAppEvents((event) => {
    if (event.type !== 'flow' || seenFlows.current.has(event.flow.flowId)) return;
    seenFlows.current.add(event.flow.flowId);
    if (event.flow.status === 'running' || event.flow.status === 'paused') {
      setByProfile((current) => ({
        ...current,
        [event.flow.profileId]: { session: current[event.flow.profileId]?.session },
      }));
    }
  });

  // A flow that signs in changes the session; whoami is what the person wants to see then. Not
  // after a demo's sign-in: its diagram shows only the calls its scenario makes.
  useAppEvents((event) => {
    if (event.type !== 'flow') return;
    const { flowId, profileId, status, tools, purpose } = event.flow;
    if (status !== 'signed-in' || signedInFlows.current.has(flowId)) return;
    signedInFlows.current.add(flowId);
    // Both at once: whoami is what the person waits for, and it does not need the session view.
    void reload(profileId).then(() => dismissSignOut(profileId));
    if (purpose === 'demo') return;
    if (tools?.some((tool) => tool.name === 'whoami')) void callTool(profileId, 'whoami', {});
  });
  useAppEvents((event) => {
    if (event.type === 'profiles-changed') for (const id of known.current) void reload(id);
  });
  useOnReconnect(() => {
    for (const id of known.current) void reload(id);
  });

  const get = useCallback((profileId: string) => byProfile[profileId] ?? EMPTY, [byProfile]);

  const value = useMemo<SessionStore>(
    () => ({ get, reload, ensure, refresh, signOut, callTool, dismissSignOut, reset }),
    [get, reload, ensure, refresh, signOut, callTool, dismissSignOut, reset],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessions(): SessionStore {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessions() needs a <SessionProvider> above it');
  return value;
}

/** The session of one profile, loaded on first use. */
export function useSession(profileId: string | undefined): ProfileSession {
  const store = useSessions();
  const state = profileId ? store.get(profileId) : EMPTY;
  const needsLoad = profileId !== undefined && state.session === undefined && !state.loadError;
  useEffect(() => {
    if (needsLoad) void store.ensure(profileId);
  }, [needsLoad, profileId, store]);
  return state;
}
