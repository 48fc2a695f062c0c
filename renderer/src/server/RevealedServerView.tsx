import { useMemo } from 'react';
import { useTrace } from '../state/trace-store';
import { JsonView } from '../ui/JsonView';
import { revealedBy } from './revealed';

/**
 * For a profile whose MCP server is not the bundled one: the app cannot see that server's
 * decisions, only what its answers revealed (its protected resource metadata, its challenges),
 * taken from the trace.
 */
export function RevealedServerView({ serverUrl }: { serverUrl: string }) {
  const { events } = useTrace();
  const revealed = useMemo(() => revealedBy(events, serverUrl), [events, serverUrl]);
  const servers = revealed.metadata?.document.authorization_servers;
  return (
    <section className="card" aria-labelledby="revealed-heading">
      <h3 id="revealed-heading">What this server’s answers revealed</h3>
      {revealed.answers === 0 ? (
        <p className="muted">
          Nothing yet: this server has not answered this app. Connect, and its metadata and
          challenges show here (and in the Trace tab).
        </p>
      ) : (
        <>
          <p className="muted">
            From {revealed.answers} answer{revealed.answers === 1 ? '' : 's'} in the trace. Its own
            decisions are not visible from here; these are what it told the client.
          </p>
          <h4>Protected resource metadata (RFC 9728)</h4>
          {revealed.metadata ? (
            <>
              <dl className="facts">
                <dt>Resource</dt>
                <dd>
                  <code>{String(revealed.metadata.document.resource ?? '(none)')}</code>
                </dd>
                <dt>Trusts</dt>
                <dd>
                  <code>
                    {Array.isArray(servers) ? servers.join(', ') : '(no authorization_servers)'}
                  </code>
                </dd>
              </dl>
              <details>
                <summary>
                  The whole document, from <code>{revealed.metadata.url}</code>
                </summary>
                <JsonView value={revealed.metadata.document} />
              </details>
            </>
          ) : (
            <p className="muted">It has not served protected resource metadata to this app.</p>
          )}
          <h4>Its challenges (WWW-Authenticate)</h4>
          {revealed.challenges.length === 0 ? (
            <p className="muted">None so far.</p>
          ) : (
            <ul className="plain-list">
              {revealed.challenges.map((challenge) => (
                <li key={`${challenge.at}${challenge.url}${challenge.header}`}>
                  <strong>{challenge.status}</strong> to {challenge.method}{' '}
                  <code>{new URL(challenge.url).pathname}</code>:{' '}
                  <code className="wrap-anywhere">{challenge.header}</code>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
