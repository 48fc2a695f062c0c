import { useMemo, useState } from 'react';
import type { RecordedEvent } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { describeError } from '../api/errors';
import { useTrace } from '../state/trace-store';
import { Callout, ErrorWithFix } from '../ui/Callout';
import { Icon } from '../ui/Icon';
import { downloadText, traceFileName } from './download';
import { TraceEventView } from './TraceEventView';

type Filter = 'all' | 'http' | 'flow' | 'server-decision';
const SHOWN = 300;

function matches(event: RecordedEvent, filter: Filter, search: string): boolean {
  if (filter === 'http' && event.type !== 'http') return false;
  if (filter === 'flow' && event.type !== 'step' && event.type !== 'note') return false;
  if (filter === 'server-decision' && event.type !== 'server-decision') return false;
  if (search === '') return true;
  const haystack =
    event.type === 'http'
      ? `${event.exchange.request.method} ${event.exchange.request.url} ${event.exchange.response?.status ?? ''}`
      : event.type === 'note'
        ? event.message
        : event.type === 'step'
          ? `${event.title} ${event.status} ${event.detail ?? ''}`
          : `${event.decision.path} ${event.decision.verdict} ${event.decision.reason ?? ''}`;
  return haystack.toLowerCase().includes(search.toLowerCase());
}

/** The Trace tab: every redacted event of the three parties; export as JSON, clear. */
export function TraceView() {
  const api = useApi();
  const { events, loadError, clear } = useTrace();
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const [confirmClear, setConfirmClear] = useState(false);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<{ message: string; fix?: string; code?: string }>();

  const shown = useMemo(
    () => events.filter((event) => matches(event, filter, search.trim())),
    [events, filter, search],
  );
  const visible = shown.slice(-SHOWN);

  async function onExport() {
    setError(undefined);
    try {
      const text = await api.trace.export();
      const name = traceFileName();
      downloadText(text, name);
      setStatus(`Exported ${name}. Tokens and secrets in it are redacted.`);
    } catch (reason) {
      setError(describeError(reason));
    }
  }

  async function onClear() {
    if (!confirmClear) {
      setConfirmClear(true);
      return;
    }
    setConfirmClear(false);
    try {
      await clear();
      setStatus('The trace is cleared.');
    } catch (reason) {
      setError(describeError(reason));
    }
  }

  return (
    <section className="card trace" aria-labelledby="trace-heading">
      <div className="section-head">
        <h3 id="trace-heading">Trace</h3>
        <div className="button-row">
          <button type="button" className="button button--primary" onClick={() => void onExport()}>
            <Icon name="download" size={18} />
            Export trace (.json)
          </button>
          <button
            type="button"
            className="button button--danger"
            onClick={() => void onClear()}
            onBlur={() => setConfirmClear(false)}
          >
            <Icon name="trash" size={18} />
            {confirmClear ? 'Click again to clear' : 'Clear'}
          </button>
        </div>
      </div>
      <p className="muted">
        Every HTTP exchange of the client, the server’s decisions and the flow’s notes, redacted
        before they were stored: tokens appear as fingerprints, secrets as masks.
      </p>
      <div aria-live="polite">{status && <Callout tone="success" title={status} />}</div>
      {error && <ErrorWithFix error={error} title="The trace action failed" role="alert" />}
      {loadError && (
        <ErrorWithFix error={{ message: loadError }} title="Could not read the trace" />
      )}
      <div className="trace__filters" role="group" aria-label="Filter the trace">
        <label className="subfield">
          <span className="field__label">Show</span>
          <select
            className="input"
            value={filter}
            onChange={(event) => setFilter(event.target.value as Filter)}
          >
            <option value="all">Everything</option>
            <option value="http">HTTP exchanges</option>
            <option value="flow">Steps and notes</option>
            <option value="server-decision">Server decisions</option>
          </select>
        </label>
        <label className="subfield trace__search">
          <span className="field__label">Search</span>
          <input
            className="input"
            type="search"
            value={search}
            placeholder="URL, status, message…"
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        <p className="muted trace__count">
          {shown.length === events.length
            ? `${events.length} events`
            : `${shown.length} of ${events.length} events`}
          {shown.length > SHOWN && ` (the latest ${SHOWN} shown; the export has all)`}
        </p>
      </div>
      {events.length === 0 ? (
        <p className="muted">Nothing recorded yet: Connect to see the exchanges.</p>
      ) : (
        <ol className="trace__events">
          {visible.map((event) => (
            <li key={event.seq}>
              <TraceEventView event={event} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
