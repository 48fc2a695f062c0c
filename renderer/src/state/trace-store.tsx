import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { RecordedEvent } from '../../../preload/api';
import { useApi, useAppEvents, useOnReconnect } from '../api/api-context';
import { describeError } from '../api/errors';

/** The page keeps at most this many events; the export (made by main) has them all. */
const MAX_EVENTS = 5_000;

interface TraceStore {
  events: RecordedEvent[];
  loadError?: string;
  reload(): Promise<void>;
  clear(): Promise<void>;
}

const TraceContext = createContext<TraceStore | null>(null);

/** What main has, plus whatever arrived while it answered (seq only grows). */
function mergeLoaded(loaded: RecordedEvent[], current: RecordedEvent[]): RecordedEvent[] {
  const last = loaded.reduce((max, event) => Math.max(max, event.seq), -1);
  return [...loaded, ...current.filter((event) => event.seq > last)].slice(-MAX_EVENTS);
}

export function TraceProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [events, setEvents] = useState<RecordedEvent[]>([]);
  const [loadError, setLoadError] = useState<string>();

  const reload = useCallback(async () => {
    try {
      const loaded = await api.trace.get();
      setEvents((current) => mergeLoaded(loaded, current));
      setLoadError(undefined);
    } catch (error) {
      setLoadError(describeError(error).message);
    }
  }, [api]);

  const clear = useCallback(async () => {
    await api.trace.clear();
    setEvents([]);
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);
  useOnReconnect(() => void reload());
  useAppEvents((event) => {
    if (event.type !== 'trace') return;
    setEvents((current) => {
      const last = current[current.length - 1];
      if (last && last.seq >= event.event.seq) {
        if (current.some((e) => e.seq === event.event.seq)) return current;
        return [...current, event.event].sort((a, b) => a.seq - b.seq).slice(-MAX_EVENTS);
      }
      const next = [...current, event.event];
      return next.length > MAX_EVENTS ? next.slice(-MAX_EVENTS) : next;
    });
  });

  const value = useMemo<TraceStore>(
    () => ({ events, reload, clear, ...(loadError !== undefined && { loadError }) }),
    [events, reload, clear, loadError],
  );
  return <TraceContext.Provider value={value}>{children}</TraceContext.Provider>;
}

export function useTrace(): TraceStore {
  const value = useContext(TraceContext);
  if (!value) throw new Error('useTrace() needs a <TraceProvider> above it');
  return value;
}
