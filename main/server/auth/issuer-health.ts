import type { IssuerStatus } from '../issuer-status';
import { IssuerUnavailableError } from './errors';
import type { IssuerMetadataSource } from './issuer-metadata';

/** First pause before asking again after a failure; doubles after each failure, up to the max. */
const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** A request may make the server ask again, but not more often than this. */
const MIN_RECHECK_MS = 1_000;

/**
 * Watches whether the trusted issuer's discovery document can be read. The server starts in any
 * case: while the issuer is down or its discovery is invalid, the protected endpoints answer 503
 * (see issuer-gate.ts), and the issuer is asked again on a backoff and on incoming requests, so
 * an issuer started after the server (or restarted) is picked up without restarting anything.
 */
export class IssuerHealth {
  #status: IssuerStatus;
  #inFlight: Promise<IssuerStatus> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastCheckEnded = 0;
  #closed = false;
  #backoffMs = MIN_BACKOFF_MS;

  constructor(
    readonly metadata: IssuerMetadataSource,
    private readonly onChange: (status: IssuerStatus) => void = () => undefined,
  ) {
    this.#status = { state: 'checking', issuer: metadata.issuer };
  }

  status(): IssuerStatus {
    return this.#status;
  }

  /** Asks the issuer now (one question at a time); resolves with the resulting status. */
  check(): Promise<IssuerStatus> {
    this.#inFlight ??= this.metadata.get().then(
      (found) => {
        clearTimeout(this.#timer);
        this.#backoffMs = MIN_BACKOFF_MS;
        return this.#settle({
          state: 'ready',
          issuer: this.metadata.issuer,
          since: this.#iso(),
          discovery: found.source,
        });
      },
      (error: unknown) =>
        this.#fail(
          error instanceof IssuerUnavailableError
            ? error.detail
            : error instanceof Error
              ? error.message
              : String(error),
        ),
    );
    return this.#inFlight;
  }

  /** For a request arriving while the issuer is unavailable: ask again unless asked just now. */
  async recheckIfDue(): Promise<IssuerStatus> {
    if (this.#status.state === 'ready') return this.#status;
    if (!this.#inFlight && Date.now() - this.#lastCheckEnded < MIN_RECHECK_MS) {
      return this.#status;
    }
    return this.check();
  }

  /** Seconds until the next scheduled check, for Retry-After (at least 1). */
  retryAfterSec(): number {
    if (this.#status.state !== 'unavailable') return 1;
    const left = Date.parse(this.#status.nextCheckAt) - Date.now();
    return Math.max(1, Math.ceil(left / 1000));
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #iso(at = Date.now()): string {
    return new Date(at).toISOString();
  }

  #settle(status: IssuerStatus): IssuerStatus {
    this.#inFlight = undefined;
    this.#lastCheckEnded = Date.now();
    const changed =
      status.state !== this.#status.state ||
      (status.state === 'unavailable' &&
        this.#status.state === 'unavailable' &&
        status.problem !== this.#status.problem);
    // An ongoing outage keeps the time it began.
    if (status.state === 'unavailable' && this.#status.state === 'unavailable') {
      status = { ...status, since: this.#status.since };
    }
    this.#status = status;
    if (changed && !this.#closed) this.onChange(status);
    return status;
  }

  #fail(problem: string): IssuerStatus {
    clearTimeout(this.#timer);
    const wait = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, MAX_BACKOFF_MS);
    if (!this.#closed) {
      this.#timer = setTimeout(() => void this.check(), wait);
      this.#timer.unref();
    }
    return this.#settle({
      state: 'unavailable',
      issuer: this.metadata.issuer,
      problem,
      since: this.#iso(),
      nextCheckAt: this.#iso(Date.now() + wait),
    });
  }
}
