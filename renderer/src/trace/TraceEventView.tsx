import type { RecordedEvent } from '../../../preload/api';
import { HttpExchangeView } from '../flow/HttpExchangeView';
import { Callout } from '../ui/Callout';
import { formatDuration, formatTimePrecise } from '../ui/format';

const NOTE_TONE = { info: 'info', warning: 'warning', error: 'error' } as const;

/** One trace event in the Trace tab. */
export function TraceEventView({ event }: { event: RecordedEvent }) {
  const time = (
    <time className="trace-event__time" dateTime={event.at}>
      {formatTimePrecise(event.at)}
    </time>
  );
  switch (event.type) {
    case 'http':
      return (
        <div className="trace-event trace-event--http">
          {time}
          <div className="trace-event__main">
            {event.exchange.stepId && (
              <span className="trace-event__step">step {event.exchange.stepId}</span>
            )}
            <HttpExchangeView exchange={event.exchange} />
          </div>
        </div>
      );
    case 'step':
      return (
        <div className="trace-event trace-event--step">
          {time}
          <p className="trace-event__main">
            Step <strong>{event.title}</strong>: {event.status}
            {event.detail && <span className="muted"> — {event.detail}</span>}
          </p>
        </div>
      );
    case 'note':
      return (
        <div className="trace-event trace-event--note">
          {time}
          <div className="trace-event__main">
            <Callout tone={NOTE_TONE[event.level]} className="callout--compact">
              <p>
                <span className="visually-hidden">{event.level}: </span>
                {event.party && <span className="badge">{event.party}</span>} {event.message}
                {event.specRef && <span className="muted"> ({event.specRef})</span>}
              </p>
            </Callout>
          </div>
        </div>
      );
    case 'server-decision': {
      const d = event.decision;
      return (
        <div className="trace-event trace-event--decision">
          {time}
          <p className="trace-event__main">
            <span className="badge badge--party badge--server">server</span> {d.httpMethod}{' '}
            <code>{d.path}</code> → <strong>{d.verdict}</strong> ({d.status})
            {d.subject && (
              <>
                {' '}
                for <code>{d.subject}</code>
              </>
            )}
            {d.reason && <span className="muted"> — {d.reason}</span>}{' '}
            <span className="muted">{formatDuration(d.latencyMs)}</span>
          </p>
        </div>
      );
    }
  }
}
