import { EventEmitter } from 'node:events';
import type { IssuerStatus } from './issuer-status';
import type { VerificationEvent } from './verification-event';

export type { VerificationEvent, VerifiedBy } from './verification-event';

export interface ServerEventMap {
  verification: VerificationEvent;
  /** The trusted issuer became reachable, or stopped being so. */
  'issuer-status': IssuerStatus;
}

/** A typed face on EventEmitter; a throwing listener never breaks the request that emitted. */
export class ServerEvents {
  readonly #emitter = new EventEmitter();

  on<K extends keyof ServerEventMap>(type: K, fn: (event: ServerEventMap[K]) => void): this {
    this.#emitter.on(type, fn);
    return this;
  }

  off<K extends keyof ServerEventMap>(type: K, fn: (event: ServerEventMap[K]) => void): this {
    this.#emitter.off(type, fn);
    return this;
  }

  emit<K extends keyof ServerEventMap>(type: K, event: ServerEventMap[K]): void {
    for (const listener of this.#emitter.listeners(type)) {
      try {
        (listener as (e: ServerEventMap[K]) => void)(event);
      } catch (error) {
        console.error('A verification event listener threw:', error);
      }
    }
  }

  removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
