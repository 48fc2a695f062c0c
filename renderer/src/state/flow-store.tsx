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
import type { FlowView } from '../../../preload/api';
import { useApi, useAppEvents } from '../api/api-context';
import { useProfiles } from './profile-store';

/** A URL the app asked the page to open (web host), kept so the page can offer it as a link. */
export interface OpenedUrl {
  url: string;
  purpose: 'sign-in' | 'sign-out';
  at: number;
}

interface FlowStore {
  /** The most recent flow of each profile. */
  latestFlow(profileId: string): FlowView | undefined;
  /** The same, read at call time (for code that runs after an await). */
  peekLatest(profileId: string): FlowView | undefined;
  connect(profileId: string, mode: 'quick' | 'guided'): Promise<FlowView>;
  /**
   * Forgets the profile's finished flow (its banner and steps), e.g. once the profile is saved
   * with other settings: what it showed no longer describes this profile. A running flow stays.
   */
  forget(profileId: string): void;
  lastOpened: OpenedUrl | undefined;
}

interface FlowState {
  flows: Record<string, FlowView>;
  latest: Record<string, string>;
}

const FlowContext = createContext<FlowStore | null>(null);

export function FlowProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [state, setState] = useState<FlowState>({ flows: {}, latest: {} });
  const [lastOpened, setLastOpened] = useState<OpenedUrl>();
  const stateRef = useRef(state);
  stateRef.current = state;
  const { profiles } = useProfiles();
  const asked = useRef(new Set<string>());

  // A reloaded page picks up a sign-in still in progress in main (running, or paused in guided
  // mode): its events keep coming, but the page would not know the flow without asking once.
  useEffect(() => {
    for (const { profile } of profiles) {
      if (asked.current.has(profile.id)) continue;
      asked.current.add(profile.id);
      api.flow.get(profile.id).then(
        (flow) => {
          if (!flow || (flow.status !== 'running' && flow.status !== 'paused')) return;
          setState((current) =>
            // An event or a Connect got here first: it is newer, keep it.
            current.latest[flow.profileId] !== undefined
              ? current
              : {
                  flows: { ...current.flows, [flow.flowId]: flow },
                  latest: { ...current.latest, [flow.profileId]: flow.flowId },
                },
          );
        },
        (error: unknown) => console.warn('Could not ask for a flow in progress:', error),
      );
    }
  }, [api, profiles]);

  useAppEvents((event) => {
    if (event.type === 'open-url') {
      setLastOpened({ url: event.url, purpose: event.purpose, at: Date.now() });
    }
    if (event.type !== 'flow') return;
    const flow = event.flow;
    setState((current) => ({
      flows: { ...current.flows, [flow.flowId]: flow },
      // A flow the page has not seen before is the newest one of its profile.
      latest:
        current.flows[flow.flowId] === undefined
          ? { ...current.latest, [flow.profileId]: flow.flowId }
          : current.latest,
    }));
  });

  const connect = useCallback(
    async (profileId: string, mode: 'quick' | 'guided') => {
      const flow = await api.flow.connect(profileId, mode);
      setState((current) => ({
        // Events may have overtaken the answer: they are newer, keep them.
        flows: current.flows[flow.flowId]
          ? current.flows
          : { ...current.flows, [flow.flowId]: flow },
        latest: { ...current.latest, [profileId]: flow.flowId },
      }));
      return flow;
    },
    [api],
  );

  const latestFlow = useCallback(
    (profileId: string) => {
      const id = state.latest[profileId];
      return id === undefined ? undefined : state.flows[id];
    },
    [state],
  );

  const peekLatest = useCallback((profileId: string) => {
    const { flows, latest } = stateRef.current;
    const id = latest[profileId];
    return id === undefined ? undefined : flows[id];
  }, []);

  const forget = useCallback((profileId: string) => {
    setState((current) => {
      const id = current.latest[profileId];
      const flow = id === undefined ? undefined : current.flows[id];
      if (!flow || flow.status === 'running' || flow.status === 'paused') return current;
      const latest = { ...current.latest };
      delete latest[profileId];
      return { flows: current.flows, latest };
    });
  }, []);

  const value = useMemo<FlowStore>(
    () => ({ latestFlow, peekLatest, connect, forget, lastOpened }),
    [latestFlow, peekLatest, connect, forget, lastOpened],
  );
  return <FlowContext.Provider value={value}>{children}</FlowContext.Provider>;
}

export function useFlows(): FlowStore {
  const value = useContext(FlowContext);
  if (!value) throw new Error('useFlows() needs a <FlowProvider> above it');
  return value;
}
