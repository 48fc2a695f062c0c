import './doctor.css';
import { useState } from 'react';
import type { TokenVerdict } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { Callout, ErrorWithFix } from '../ui/Callout';
import { Spinner } from '../ui/Icon';
import { DoctorItem } from './DoctorItem';
import { StatusBadge } from './StatusBadge';
import { useDoctorCall } from './use-doctor-call';

const REASON: Record<TokenVerdict['reasons'][number]['id'], string> = {
  shape: 'Token kind',
  signature: 'Signature',
  iss: 'Issuer (iss)',
  aud: 'Audience (aud)',
  exp: 'Expiry (exp)',
  scopes: 'Scopes',
  userinfo: 'Userinfo',
  issuer: 'Issuer reachable',
};

/** "Would the server accept this token?": the bundled server's own verifier decides. */
export function TokenVerdictPanel({ profileId }: { profileId: string }) {
  const api = useApi();
  const verdict = useDoctorCall<TokenVerdict>();
  const [pasted, setPasted] = useState('');
  const result = verdict.value;
  return (
    <section className="card token-verdict" aria-labelledby="token-verdict-heading">
      <div className="section-head">
        <h4 id="token-verdict-heading">Would the server accept this token?</h4>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={verdict.busy}
          onClick={() =>
            void verdict.run(() => api.doctor.checkToken(profileId, pasted || undefined))
          }
        >
          {verdict.busy && <Spinner />}
          {pasted ? 'Check the pasted token' : 'Check this session’s token'}
        </button>
      </div>
      <label className="field__label" htmlFor={`paste-token-${profileId}`}>
        Or paste an access token (it stays in the app; the trace shows it redacted)
      </label>
      <textarea
        className="input input--mono"
        id={`paste-token-${profileId}`}
        rows={2}
        value={pasted}
        onChange={(event) => setPasted(event.target.value)}
        spellCheck={false}
        autoComplete="off"
      />
      {verdict.error && <ErrorWithFix error={verdict.error} title="The check could not run" />}
      {result && (
        <div aria-live="polite">
          <Callout
            tone={result.accepted ? 'success' : 'error'}
            title={result.accepted ? 'The server accepts it' : 'The server refuses it'}
          >
            <p className="muted">
              Judged by the bundled server’s own verifier: issuer{' '}
              <code>{result.judgedBy.issuer}</code>, resource{' '}
              <code>{result.judgedBy.resource}</code>, mode {result.judgedBy.verification}.
            </p>
            {result.refusal && <p>{result.refusal}</p>}
            <p>{result.explainer}</p>
          </Callout>
          <ul className="doctor-checks" aria-label="Reasons">
            {result.reasons.map((reason) => (
              <DoctorItem
                key={reason.id}
                tone={reason.status}
                badge={<StatusBadge status={reason.status} />}
                title={REASON[reason.id]}
                detail={reason.detail}
              />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
