import type { SignOutReport } from '../../../preload/api';
import { Callout } from '../ui/Callout';
import { maskUrlSecrets } from '../ui/format';
import { Icon } from '../ui/Icon';

const TOKEN_NAMES = { refresh_token: 'Refresh token', access_token: 'Access token' } as const;

/** What sign-out did: which tokens were revoked, and what the MCP server now says to the old one. */
export function SignOutReportView(props: {
  report: SignOutReport;
  /** The end-session page, when the app asked this page to open it. */
  endSessionUrl?: string | undefined;
  onDismiss: () => void;
}) {
  const { report, endSessionUrl, onDismiss } = props;
  const openUrl = endSessionUrl ?? report.endSessionUrl;
  return (
    <section className="card sign-out" aria-labelledby="sign-out-heading">
      <div className="section-head">
        <h3 id="sign-out-heading">Signed out</h3>
        <button type="button" className="button button--ghost button--small" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <h4>Revocation (RFC 7009)</h4>
      {report.revoked.length === 0 ? (
        <p className="muted">
          Nothing was revoked: the issuer has no revocation endpoint, or there were no tokens.
        </p>
      ) : (
        <ul className="plain-list revoked">
          {report.revoked.map((item) => {
            const ok = item.status === 200;
            return (
              <li key={item.token}>
                <Icon name={ok ? 'check' : 'warning'} size={18} />
                <span>
                  <strong>{TOKEN_NAMES[item.token]}</strong>:{' '}
                  {ok ? 'revoked (200)' : `the issuer answered ${item.status}`}
                  {item.note && <span className="muted"> — {item.note}</span>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {openUrl && (
        <>
          <h4>Issuer session (RP-initiated logout)</h4>
          <p>
            The issuer’s end-session page ends the browser session, so the next sign-in asks for the
            password again.{' '}
            <a href={openUrl} target="_blank" rel="noopener noreferrer">
              Open the sign-out page
            </a>
          </p>
          <p className="muted wrap-anywhere">
            <code>{maskUrlSecrets(openUrl)}</code>
          </p>
        </>
      )}
      {report.oldToken && (
        <Callout
          tone={report.oldToken.accepted ? 'warning' : 'success'}
          title={
            report.oldToken.accepted
              ? `The MCP server still accepts the old access token (${report.oldToken.status})`
              : `The MCP server now refuses the old access token (${report.oldToken.status})`
          }
        >
          <p>{report.oldToken.explanation}</p>
        </Callout>
      )}
    </section>
  );
}
