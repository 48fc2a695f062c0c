import type { RedactedToken } from '../../../preload/api';
import { Countdown } from '../ui/Countdown';
import { DecodedJwt } from '../ui/TokenChip';

/** One token: kind, fingerprint, expiry (live), and a JWT's decoded header and payload. */
export function TokenCard(props: {
  title: string;
  token: RedactedToken;
  expiresAt?: number | undefined;
  explanation: string;
  /** Whether the decoded claims start unfolded. */
  startOpen?: boolean;
}) {
  const { title, token, expiresAt, explanation, startOpen = true } = props;
  const exp = token.jwt?.payload.exp;
  const until = expiresAt ?? (typeof exp === 'number' ? exp * 1000 : undefined);
  return (
    <article className="token-card" aria-label={title}>
      <header className="token-card__head">
        <h4>{title}</h4>
        <span className={`badge ${token.kind === 'jwt' ? 'badge--info' : ''}`}>
          {token.kind === 'jwt' ? 'JWT' : 'opaque'}
        </span>
        {until !== undefined && <Countdown until={until} />}
      </header>
      <p className="muted">{explanation}</p>
      <p className="token-card__print">
        Fingerprint <code>{token.fingerprint}</code> · {token.length} characters
      </p>
      {token.jwt ? (
        <details className="disclosure" open={startOpen}>
          <summary>Decoded header and payload</summary>
          <DecodedJwt jwt={token.jwt} />
        </details>
      ) : (
        <p className="muted">
          An opaque token carries nothing readable: the server asks the issuer’s userinfo endpoint
          who it belongs to.
        </p>
      )}
    </article>
  );
}
