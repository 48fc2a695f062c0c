import { useState } from 'react';
import type { ApiErrorBody } from '../../../preload/api';
import { describeError } from '../api/errors';

/** One API call at a time: its result, whether it runs, and its error with the fix. */
export function useDoctorCall<T>() {
  const [value, setValue] = useState<T>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody>();
  const run = async (call: () => Promise<T>) => {
    setBusy(true);
    setError(undefined);
    try {
      setValue(await call());
    } catch (reason) {
      setError(describeError(reason));
    } finally {
      setBusy(false);
    }
  };
  return { value, busy, error, run };
}
