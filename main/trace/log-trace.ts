import type { Logger } from '../shared/logger';
import type { TraceRecorder } from './recorder';

/**
 * Writes the trace to a log as it happens: steps and findings at info (warnings at warn), every
 * HTTP exchange at debug with its redacted headers and bodies. Returns the unsubscribe.
 * `findings: false` leaves the findings out, for a host that already prints each under its step.
 */
export function logTrace(
  recorder: TraceRecorder,
  logger: Logger,
  options: { findings?: boolean } = {},
): () => void {
  return recorder.subscribe((event) => {
    switch (event.type) {
      case 'step':
        if (event.status !== 'running')
          logger.info(
            `step ${event.stepId}: ${event.status}${event.detail ? ` (${event.detail})` : ''}`,
          );
        return;
      case 'note':
        if (options.findings === false) return;
        (event.level === 'info'
          ? logger.info
          : event.level === 'warning'
            ? logger.warn
            : logger.error)(event.message);
        return;
      case 'server-decision': {
        const d = event.decision;
        logger.info(
          `server ${d.httpMethod} ${d.path} -> ${d.status} ${d.verdict}${d.reason ? ` (${d.reason})` : ''}`,
        );
        return;
      }
      case 'http': {
        if (logger.level !== 'debug') return;
        const { request, response, durationMs, error } = event.exchange;
        logger.debug(
          `http ${request.method} ${request.url} -> ${response ? response.status : `failed: ${error}`} (${Math.round(durationMs)} ms)\n` +
            JSON.stringify({ request, response }, null, 2),
        );
        return;
      }
    }
  });
}
