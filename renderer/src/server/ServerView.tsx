import { useServer } from '../state/server-store';
import { ErrorWithFix } from '../ui/Callout';
import { CopyButton } from '../ui/CopyButton';
import { Icon } from '../ui/Icon';
import { DecisionLog } from './DecisionLog';
import { SnippetList } from './SnippetList';

const MODES = {
  auto: 'JWT access tokens by signature (JWKS), opaque ones at the issuer’s userinfo endpoint.',
  jwt: 'JWT access tokens only, by signature against the issuer’s JWKS; iss, aud and exp checked.',
  userinfo: 'Every token at the issuer’s userinfo endpoint, as in the tutorials (cached 60 s).',
} as const;

/** The Server tab: the bundled MCP server, its live decisions, and how to point other clients at it. */
export function ServerView() {
  const { status, decisions, loadError, reload } = useServer();
  return (
    <div className="server">
      <section className="card" aria-labelledby="server-heading">
        <div className="section-head">
          <h3 id="server-heading">Bundled MCP server</h3>
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => void reload()}
          >
            <Icon name="refresh" size={16} /> Reload
          </button>
        </div>
        {loadError && (
          <ErrorWithFix error={{ message: loadError }} title="Could not read the server’s status" />
        )}
        {status && (
          <>
            <p
              className={`server-state server-state--${status.running ? 'up' : 'down'}`}
              role="status"
            >
              <Icon name={status.running ? 'check' : 'cross'} size={18} />
              {status.running ? 'Running' : 'Stopped'}
            </p>
            <dl className="facts">
              <dt>Streamable HTTP</dt>
              <dd className="copyable">
                <code>{status.url}</code> <CopyButton text={status.url} />
              </dd>
              <dt>SSE (legacy)</dt>
              <dd className="copyable">
                <code>{status.sseUrl}</code> <CopyButton text={status.sseUrl} />
              </dd>
              <dt>Resource indicator</dt>
              <dd>
                <code>{status.resource}</code>
              </dd>
              <dt>Trusted issuer</dt>
              <dd>
                <code>{status.issuer}</code>
              </dd>
              <dt>Verification</dt>
              <dd>
                <strong>{status.verification}</strong>: {MODES[status.verification]}
              </dd>
              <dt>Required scopes</dt>
              <dd>
                {status.requiredScopes.length > 0 ? (
                  <code>{status.requiredScopes.join(' ')}</code>
                ) : (
                  'none (any valid token)'
                )}
              </dd>
            </dl>
          </>
        )}
      </section>
      <DecisionLog decisions={decisions} />
      {status && <SnippetList snippets={status.snippets} />}
    </div>
  );
}
