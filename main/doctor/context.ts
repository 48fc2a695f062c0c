/** What every check group is handed: how to reach the network, and what time it is. */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

export interface DoctorContext {
  /** Every call goes through fetchWithTimeout and, in the app, the trace. */
  fetch: FetchLike;
  /** This machine's clock (ms); tests skew it to exercise the clock check. */
  now: () => number;
}

/** A failed call's message ("Could not reach …: connection refused"), never a stack. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
