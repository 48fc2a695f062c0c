import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import type { AppEvent, DesktopApi } from '../../../preload/api';
import type { ConnectionMonitor, ConnectionState } from './connection';

interface ApiContextValue {
  api: DesktopApi;
  connection: ConnectionMonitor;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider(props: {
  api: DesktopApi;
  connection: ConnectionMonitor;
  children: ReactNode;
}) {
  const { api, connection, children } = props;
  return <ApiContext.Provider value={{ api, connection }}>{children}</ApiContext.Provider>;
}

function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi() needs an <ApiProvider> above it');
  return value;
}

/** The DesktopApi, whichever host serves it. */
export function useApi(): DesktopApi {
  return useApiContext().api;
}

/** Calls `listener` for every AppEvent while the component is mounted (always the latest listener). */
export function useAppEvents(listener: (event: AppEvent) => void): void {
  const { api } = useApiContext();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => api.onEvent((event) => latest.current(event)), [api]);
}

/** The live state of the event stream ('open' on the desktop, where IPC cannot drop). */
export function useConnectionState(): ConnectionState {
  const { connection } = useApiContext();
  return useSyncExternalStore(connection.subscribe, connection.get);
}

/** Runs `onResync` each time the event stream comes back after a drop (events may have been missed). */
export function useOnReconnect(onResync: () => void): void {
  const { connection } = useApiContext();
  const latest = useRef(onResync);
  useEffect(() => {
    latest.current = onResync;
  });
  useEffect(() => {
    let previous = connection.get();
    return connection.subscribe((state) => {
      if (state === 'open' && previous === 'reconnecting') latest.current();
      previous = state;
    });
  }, [connection]);
}
