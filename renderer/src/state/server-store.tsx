import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ServerStatus, VerificationEvent } from '../../../preload/api';
import type { SettingsForm } from '../server/settings-form';
import { useApi, useAppEvents, useOnReconnect } from '../api/api-context';
import { describeError } from '../api/errors';

const MAX_DECISIONS = 200;

interface ServerStore {
  status: ServerStatus | undefined;
  loadError?: string;
  /** Newest first. */
  decisions: VerificationEvent[];
  reload(): Promise<void>;
  /**
   * The Server tab's settings as typed, kept here so that switching tabs or a failed Apply never
   * loses them; undefined when nothing was changed.
   */
  draft: SettingsForm | undefined;
  setDraft(draft: SettingsForm | undefined): void;
  /** Whether `serverUrl` (a profile's) is the bundled server. */
  isBundled(serverUrl: string): boolean;
}

/** Same server: same origin and path, whatever the trailing slash and query. */
export function sameServer(a: string, b: string): boolean {
  const x = URL.parse(a);
  const y = URL.parse(b);
  if (!x || !y) return false;
  const loopback = (host: string) =>
    host === '127.0.0.1' || host === '[::1]' ? 'localhost' : host;
  const path = (url: URL) => url.pathname.replace(/\/+$/, '');
  return (
    x.protocol === y.protocol &&
    loopback(x.hostname) === loopback(y.hostname) &&
    x.port === y.port &&
    path(x) === path(y)
  );
}

const ServerContext = createContext<ServerStore | null>(null);

const keyOf = (d: VerificationEvent) =>
  `${d.at}|${d.httpMethod}|${d.path}|${d.status}|${d.latencyMs}`;

export function ServerProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [status, setStatus] = useState<ServerStatus>();
  const [decisions, setDecisions] = useState<VerificationEvent[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [draft, setDraft] = useState<SettingsForm>();

  const reload = useCallback(async () => {
    try {
      const next = await api.server.status();
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
    if (event.type === 'server-changed') {
      void reload();
      return;
    }
    if (event.type !== 'server-decision') return;
    setDecisions((current) => [event.decision, ...current].slice(0, MAX_DECISIONS));
  });

  const isBundled = useCallback(
    (serverUrl: string) =>
      !!status && (sameServer(serverUrl, status.url) || sameServer(serverUrl, status.sseUrl)),
    [status],
  );
  const value = useMemo<ServerStore>(
    () => ({
      status,
      decisions,
      reload,
      draft,
      setDraft,
      isBundled,
      ...(loadError !== undefined && { loadError }),
    }),
    [status, decisions, reload, loadError, draft, isBundled],
  );
  return <ServerContext.Provider value={value}>{children}</ServerContext.Provider>;
}

export function useServer(): ServerStore {
  const value = useContext(ServerContext);
  if (!value) throw new Error('useServer() needs a <ServerProvider> above it');
  return value;
}
