import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ServerStatus, VerificationEvent } from '../../../preload/api';
import { useApi, useAppEvents, useOnReconnect } from '../api/api-context';
import { describeError } from '../api/errors';

const MAX_DECISIONS = 200;

interface ServerStore {
  status: ServerStatus | undefined;
  loadError?: string;
  /** Newest first. */
  decisions: VerificationEvent[];
  reload(): Promise<void>;
}

const ServerContext = createContext<ServerStore | null>(null);

const keyOf = (d: VerificationEvent) =>
  `${d.at}|${d.httpMethod}|${d.path}|${d.status}|${d.latencyMs}`;

export function ServerProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [status, setStatus] = useState<ServerStatus>();
  const [decisions, setDecisions] = useState<VerificationEvent[]>([]);
  const [loadError, setLoadError] = useState<string>();

  const reload = useCallback(async () => {
    try {
      const next = await api.getServerStatus();
      setStatus(next);
      setLoadError(undefined);
      setDecisions((current) => {
        const seen = new Set(current.map(keyOf));
        const merged = [...current, ...next.recentDecisions.filter((d) => !seen.has(keyOf(d)))];
        return merged.sort((a, b) => b.at.localeCompare(a.at)).slice(0, MAX_DECISIONS);
      });
    } catch (error) {
      setLoadError(describeError(error).message);
    }
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);
  useOnReconnect(() => void reload());
  useAppEvents((event) => {
    if (event.type !== 'server-decision') return;
    setDecisions((current) => [event.decision, ...current].slice(0, MAX_DECISIONS));
  });

  const value = useMemo<ServerStore>(
    () => ({ status, decisions, reload, ...(loadError !== undefined && { loadError }) }),
    [status, decisions, reload, loadError],
  );
  return <ServerContext.Provider value={value}>{children}</ServerContext.Provider>;
}

export function useServer(): ServerStore {
  const value = useContext(ServerContext);
  if (!value) throw new Error('useServer() needs a <ServerProvider> above it');
  return value;
}
