import { useId, useState } from 'react';
import type { RedactedToken } from '../../../preload/api';
import { ClaimsTable } from './ClaimsTable';
import { Icon } from './Icon';

/**
 * A token as the trace keeps it: its kind and fingerprint (equal tokens, equal prints), and for a
 * JWT the decoded header and payload behind a toggle. Never the token itself.
 */
export function TokenChip({ token, label }: { token: RedactedToken; label?: string | undefined }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const kind = token.kind === 'jwt' ? 'JWT' : 'opaque';
  const text = (
    <>
      <span className="token-chip__kind">{label ? `${label} · ${kind}` : kind}</span>
      <code className="token-chip__print">{token.fingerprint}</code>
      <span className="token-chip__len">{token.length} chars</span>
    </>
  );
  if (!token.jwt) {
    return (
      <span className="token-chip" title="A redacted token: its SHA-256 fingerprint and length">
        <Icon name="key" size={16} />
        {text}
      </span>
    );
  }
  return (
    <span className="token-chip-wrap">
      <button
        type="button"
        className="token-chip token-chip--button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <Icon name="key" size={16} />
        {text}
        <span className="token-chip__toggle">{open ? 'Hide claims' : 'Show claims'}</span>
      </button>
      {open && (
        <div className="token-chip__panel" id={panelId}>
          <DecodedJwt jwt={token.jwt} />
        </div>
      )}
    </span>
  );
}

export function DecodedJwt({
  jwt,
}: {
  jwt: { header: Record<string, unknown>; payload: Record<string, unknown> };
}) {
  return (
    <div className="decoded-jwt">
      <div className="decoded-jwt__part">
        <h4 className="decoded-jwt__title">Header</h4>
        <ClaimsTable claims={jwt.header} />
      </div>
      <div className="decoded-jwt__part">
        <h4 className="decoded-jwt__title">Payload</h4>
        <ClaimsTable claims={jwt.payload} />
      </div>
    </div>
  );
}
