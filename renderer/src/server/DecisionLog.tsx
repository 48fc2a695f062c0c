import type { VerificationEvent } from '../../../preload/api';
import { formatDuration, formatTime } from '../ui/format';
import { Icon } from '../ui/Icon';

const VERDICT = {
  allowed: { icon: 'check', text: 'allowed' },
  rejected: { icon: 'cross', text: 'rejected' },
  error: { icon: 'warning', text: 'error' },
} as const;

/** The server's verification decisions, newest first, as they happen. */
export function DecisionLog({ decisions }: { decisions: VerificationEvent[] }) {
  return (
    <section className="card" aria-labelledby="decisions-heading">
      <div className="section-head">
        <h3 id="decisions-heading">Verification decisions</h3>
        <span className="muted">newest first · live</span>
      </div>
      {decisions.length === 0 ? (
        <p className="muted">
          No requests yet. Each request the server receives shows here: who, how the token was
          checked, the verdict and why (never the token).
        </p>
      ) : (
        <div className="table-scroll">
          <table className="decisions">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Verdict</th>
                <th scope="col">Status</th>
                <th scope="col">Request</th>
                <th scope="col">Checked by</th>
                <th scope="col">Subject</th>
                <th scope="col">Reason</th>
                <th scope="col">Latency</th>
              </tr>
            </thead>
            <tbody aria-live="polite" aria-relevant="additions">
              {decisions.map((decision, index) => {
                const verdict = VERDICT[decision.verdict];
                return (
                  <tr
                    key={`${decision.at}-${index}`}
                    className={`decision decision--${decision.verdict}`}
                  >
                    <td>
                      <time dateTime={decision.at}>{formatTime(decision.at)}</time>
                    </td>
                    <td>
                      <span className={`verdict verdict--${decision.verdict}`}>
                        <Icon name={verdict.icon} size={16} />
                        {verdict.text}
                      </span>
                    </td>
                    <td>
                      <code>{decision.status}</code>
                    </td>
                    <td>
                      <code>
                        {decision.httpMethod} {decision.path}
                      </code>
                    </td>
                    <td>
                      {decision.method === 'jwt'
                        ? 'JWT signature'
                        : decision.method === 'userinfo'
                          ? 'userinfo'
                          : '—'}
                      {decision.cached && <span className="muted"> (cached)</span>}
                    </td>
                    <td>
                      {decision.subject ? <code>{decision.subject}</code> : '—'}
                      {decision.clientId && (
                        <span className="muted">
                          {' '}
                          via <code>{decision.clientId}</code>
                        </span>
                      )}
                    </td>
                    <td className="decisions__reason">{decision.reason ?? '—'}</td>
                    <td>{formatDuration(decision.latencyMs)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
