import type { RecordedEvent } from '../../../preload/api';
import { formatDuration, formatTime } from '../ui/format';
import { TokenChip } from '../ui/TokenChip';
import { HeadersTable } from './HeadersTable';
import { HttpBodyView } from './HttpBodyView';

type HttpExchange = Extract<RecordedEvent, { type: 'http' }>['exchange'];

function statusTone(status: number | undefined): string {
  if (status === undefined) return 'error';
  if (status >= 500) return 'error';
  if (status >= 400) return 'warning';
  if (status >= 300) return 'info';
  return 'ok';
}

/** One HTTP exchange, one line when closed; request and response in full when opened. */
export function HttpExchangeView({ exchange }: { exchange: HttpExchange }) {
  const { request, response } = exchange;
  const status = response?.status;
  return (
    <details className="exchange">
      <summary className="exchange__summary">
        <span className={`badge badge--party badge--${exchange.party}`}>{exchange.party}</span>
        <span className="exchange__method">{request.method}</span>
        <span className="exchange__url" title={request.url}>
          {request.url}
        </span>
        <span className={`badge badge--${statusTone(status)}`}>
          {status !== undefined ? `${status} ${response?.statusText ?? ''}`.trim() : 'no response'}
        </span>
        <span className="exchange__time">{formatDuration(exchange.durationMs)}</span>
      </summary>
      <div className="exchange__detail">
        <p className="muted">
          Started {formatTime(exchange.startedAt)}, took {formatDuration(exchange.durationMs)}.
          {response?.url && response.url !== request.url && (
            <>
              {' '}
              Redirected to <code>{response.url}</code>.
            </>
          )}
        </p>
        {exchange.error && (
          <p className="field__error">
            <span>Failed without a response: {exchange.error}</span>
          </p>
        )}
        <div className="exchange__sides">
          <section aria-label="Request">
            <h5>Request</h5>
            <p className="exchange__line">
              <code className="wrap-anywhere">
                {request.method} {request.url}
              </code>
            </p>
            <HeadersTable headers={request.headers} label="Request headers" />
            <HttpBodyView body={request.body} label="Request body" />
          </section>
          <section aria-label="Response">
            <h5>Response</h5>
            {response ? (
              <>
                <p className="exchange__line">
                  <code>
                    {response.status} {response.statusText}
                  </code>
                </p>
                <HeadersTable headers={response.headers} label="Response headers" />
                <HttpBodyView body={response.body} label="Response body" />
              </>
            ) : (
              <p className="muted">No response.</p>
            )}
          </section>
        </div>
        {exchange.tokens && exchange.tokens.length > 0 && (
          <div className="exchange__tokens">
            <h5>Tokens in this exchange</h5>
            <ul className="plain-list">
              {exchange.tokens.map((token) => (
                <li key={token.fingerprint}>
                  <TokenChip token={token} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </details>
  );
}
