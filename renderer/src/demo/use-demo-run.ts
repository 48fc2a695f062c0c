import { useCallback, useEffect, useRef, useState } from 'react';
import type { DemoRunView } from '../../../preload/api';
import { useApi, useAppEvents } from '../api/api-context';

/**
 * A demo run as main describes it, fetched again whenever main says it changed (one request in
 * flight at a time; a change during it fetches once more). A reopened report is held as given.
 */
export function useDemoRun(runId: string | undefined, reveal: boolean, report?: DemoRunView) {
  const api = useApi();
  const [run, setRun] = useState<DemoRunView | undefined>(report);
  const [error, setError] = useState<string>();
  const inFlight = useRef(false);
  const again = useRef(false);

  const load = useCallback(async () => {
    if (!runId) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      do {
        again.current = false;
        setRun(await api.demo.run(runId, reveal));
      } while (again.current);
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      inFlight.current = false;
    }
  }, [api, runId, reveal]);

  useEffect(() => {
    if (report) setRun(report);
    else void load();
  }, [load, report]);
  useAppEvents((event) => {
    if (event.type === 'demo' && event.runId === runId) void load();
  });
  return { run, error };
}
