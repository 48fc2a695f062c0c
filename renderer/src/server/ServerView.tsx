import type { Profile, ServerStatus } from '../../../preload/api';
import { useServer } from '../state/server-store';
import { ErrorWithFix } from '../ui/Callout';
import { CopyButton } from '../ui/CopyButton';
import { Icon } from '../ui/Icon';
import { DecisionLog } from './DecisionLog';
import { IssuerStatusLine } from './IssuerStatusLine';
import { RevealedServerView } from './RevealedServerView';
import { ServerSettingsForm } from './ServerSettingsForm';
import { SnippetList } from './SnippetList';

/**
 * The Server tab: which server the selected profile talks to; for the bundled one, its settings
 * and live decisions; for another one, what its answers revealed. The bundled server's settings
 * stay editable either way.
 */
export function ServerView({ profile }: { profile: Profile }) {
  const { status, decisions, loadError, reload, isBundled } = useServer();
  const bundled = isBundled(profile.serverUrl);
  return (
    <div className="server">
      <section className="card" aria-labelledby="target-heading">
        <h3 id="target-heading">The server this profile talks to</h3>
        <p>
          <code>{profile.serverUrl}</code>{' '}
          {bundled ? (
            <strong>is the bundled MCP server.</strong>
          ) : (
            <strong>is not the bundled server.</strong>
          )}
        </p>
      </section>
      {!bundled && <RevealedServerView serverUrl={profile.serverUrl} />}
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
            <IssuerStatusLine status={status.issuerStatus} />
            <BundledFacts status={status} />
            <ServerSettingsForm status={status} />
          </>
        )}
      </section>
      {bundled && <DecisionLog decisions={decisions} />}
      {status && <SnippetList snippets={status.snippets} />}
    </div>
  );
}

function BundledFacts({ status }: { status: ServerStatus }) {
  const { settings } = status;
  return (
    <dl className="facts">
      <dt>Trusted issuer</dt>
      <dd className="copyable" data-testid="trusted-issuer">
        <code>{status.issuer}</code>
        {status.trustsSandbox ? ' (the sandbox)' : ''} <CopyButton text={status.issuer} />
      </dd>
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
      <dt>Verification</dt>
      <dd>
        <strong>{status.verification}</strong>, verdicts cached {settings.cacheTtlSec} s, a JWT
        accepted {settings.clockToleranceSec} s past its expiry
      </dd>
      <dt>Required scopes</dt>
      <dd>
        {status.requiredScopes.length > 0 ? (
          <code>{status.requiredScopes.join(' ')}</code>
        ) : (
          'none (any valid token)'
        )}
      </dd>
      <dt>Accepted clients</dt>
      <dd>
        {settings.allowedClientIds.length > 0 ? (
          <code>{settings.allowedClientIds.join(' ')}</code>
        ) : (
          'any client of the issuer'
        )}
      </dd>
    </dl>
  );
}
