import { useState } from 'react';
import type { SessionView } from '../../../preload/api';
import { describeError } from '../api/errors';
import { useFlows } from '../state/flow-store';
import { useSessions, type ToolRun } from '../state/session-store';
import { ErrorWithFix } from '../ui/Callout';
import { Icon, Spinner } from '../ui/Icon';
import { ToolResultView } from '../tools/ToolResultView';
import { TokenVerdictPanel } from '../doctor/TokenVerdictPanel';
import { ScopeComparison } from './ScopeComparison';
import { TokenCard } from './TokenCard';
import { UserCard } from './UserCard';

/** Signed in: who, what the server says (whoami), the tokens, and Refresh / Sign out. */
export function SessionPanel(props: {
  profileId: string;
  session: SessionView;
  whoami: ToolRun | undefined;
}) {
  const { profileId, session, whoami } = props;
  const sessions = useSessions();
  const { peekLatest } = useFlows();
  const [busy, setBusy] = useState<'refresh' | 'sign-out' | 'whoami'>();
  const [error, setError] = useState<{
    title: string;
    message: string;
    fix?: string;
    code?: string;
  }>();
  const [refreshedAt, setRefreshedAt] = useState<number>();

  async function run(
    kind: 'refresh' | 'sign-out' | 'whoami',
    title: string,
    action: () => Promise<unknown>,
  ) {
    setBusy(kind);
    setError(undefined);
    try {
      await action();
      if (kind === 'refresh') setRefreshedAt(Date.now());
    } catch (reason) {
      setError({ title, ...describeError(reason) });
    } finally {
      setBusy(undefined);
    }
  }

  const connected = peekLatest(profileId)?.status === 'signed-in';

  return (
    <section className="card session" aria-labelledby="session-heading">
      <div className="section-head">
        <h3 id="session-heading">Signed in</h3>
        <div className="button-row">
          <button
            type="button"
            className="button button--secondary"
            disabled={busy !== undefined || !session.hasRefreshToken}
            title={
              session.hasRefreshToken
                ? undefined
                : 'No refresh token: turn on "Refresh tokens" in the profile'
            }
            onClick={() => void run('refresh', 'Refresh failed', () => sessions.refresh(profileId))}
          >
            {busy === 'refresh' ? <Spinner /> : <Icon name="refresh" size={18} />}
            Refresh
          </button>
          <button
            type="button"
            className="button button--secondary"
            disabled={busy !== undefined}
            onClick={() =>
              void run('sign-out', 'Sign-out failed', () => sessions.signOut(profileId))
            }
          >
            {busy === 'sign-out' ? <Spinner /> : <Icon name="logout" size={18} />}
            Sign out
          </button>
        </div>
      </div>
      {!session.hasRefreshToken && (
        <p className="muted">
          No refresh token. Turn on “Refresh tokens” in the profile to get one (Logto issues it only
          with <code>offline_access</code> and <code>prompt=consent</code>).
        </p>
      )}
      <div aria-live="polite">
        {refreshedAt !== undefined && (
          <p className="muted">Refreshed at {new Date(refreshedAt).toLocaleTimeString()}.</p>
        )}
      </div>
      {error && <ErrorWithFix error={error} title={error.title} role="alert" />}

      <UserCard user={session.user} />

      <dl className="facts">
        {session.serverUrl && (
          <>
            <dt>MCP server</dt>
            <dd>
              <code>{session.serverUrl}</code>
            </dd>
          </>
        )}
        <dt>Issuer</dt>
        <dd>
          <code>{session.issuer}</code>
        </dd>
        <dt>Client ID</dt>
        <dd>
          <code>{session.clientId}</code>
        </dd>
        <dt>Resource</dt>
        <dd>
          {session.resource ? (
            <code>{session.resource}</code>
          ) : (
            <span>none (an opaque token for userinfo)</span>
          )}
        </dd>
      </dl>

      <h4>Scopes</h4>
      <ScopeComparison
        requested={session.requestedScope}
        granted={session.grantedScope}
        grantedBecause={session.grantedBecause}
        missingApiScopes={session.missingApiScopes}
        responseScope={session.responseScope}
      />

      <section className="whoami" aria-labelledby="whoami-heading">
        <div className="section-head">
          <h4 id="whoami-heading">What the MCP server says: whoami</h4>
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={busy !== undefined}
            onClick={() =>
              void run('whoami', 'whoami failed', () => sessions.callTool(profileId, 'whoami', {}))
            }
          >
            {busy === 'whoami' ? <Spinner /> : <Icon name="play" size={16} />}
            {whoami ? 'Run whoami again' : 'Run whoami'}
          </button>
        </div>
        {!whoami && (
          <p className="muted">
            {connected ? 'Asking the server…' : 'Run whoami to see what the server verified.'}
          </p>
        )}
        {whoami?.error && <ErrorWithFix error={whoami.error} title="whoami failed" />}
        {whoami?.result && <ToolResultView result={whoami.result} tool="whoami" />}
      </section>

      <TokenVerdictPanel profileId={profileId} />

      <h4>Tokens</h4>
      <div className="token-cards">
        <TokenCard
          title="Access token"
          token={session.accessToken}
          expiresAt={session.expiresAt}
          explanation="Sent to the MCP server as Authorization: Bearer on every request."
        />
        {session.idToken && (
          <TokenCard
            title="ID token"
            token={session.idToken}
            explanation="For the app only: who signed in, signed by the issuer. Never sent to the server."
            startOpen={false}
          />
        )}
        {session.refreshToken && (
          <article className="token-card" aria-label="Refresh token">
            <header className="token-card__head">
              <h4>Refresh token</h4>
              <span className="badge">opaque</span>
            </header>
            <p className="muted">Trades for a new access token at the token endpoint (Refresh).</p>
            <p className="token-card__print">
              Fingerprint <code>{session.refreshToken.fingerprint}</code>
            </p>
          </article>
        )}
      </div>
    </section>
  );
}
