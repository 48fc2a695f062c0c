/** The API's events, fanned out to every subscriber (the IPC window, the web host's streams). */
import type { AppEvent } from '../../preload/api';
import { toApiError } from './api-error';

export interface EventHub {
  publish(event: AppEvent): void;
  subscribe(listener: (event: AppEvent) => void): () => void;
  clear(): void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<(event: AppEvent) => void>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          // One broken listener must not keep the event from the others.
          console.error('An app event listener failed:', toApiError(error).message);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: () => listeners.clear(),
  };
}
