import { useState } from 'react';
import type { Profile } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { describeError } from '../api/errors';
import { useServer } from '../state/server-store';
import { Callout, ErrorWithFix } from '../ui/Callout';

/**
 * When a profile pointed at the bundled server signs in at another issuer than the one the
 * server trusts, its tokens would be refused. Offered before connecting, and beside a flow that
 * failed with `issuer_mismatch`: one click makes the bundled server trust the profile's issuer.
 */
export function TrustOffer({ profile }: { profile: Profile }) {
  const api = useApi();
  const { status, isBundled, draft } = useServer();
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'applying' }
    | { kind: 'failed'; error: { message: string; fix?: string } }
  >({ kind: 'idle' });
  if (!status || !profile.issuer || !isBundled(profile.serverUrl)) return null;
  const wanted = profile.issuer;
  if (wanted === status.issuer) return null;
  const sandboxUrl = status.trustsSandbox ? status.issuer : undefined;
  const wantsSandbox = profile.kind === 'sandbox';

  async function trust() {
    if (!status) return;
    setState({ kind: 'applying' });
    try {
      const result = await api.server.applySettings({
        ...status.settings,
        issuer: wantsSandbox ? 'sandbox' : wanted,
      });
      if (!result.ok) {
        setState({
          kind: 'failed',
          error: {
            message: result.issues.map((issue) => issue.message).join(' '),
            fix: 'Correct the profile’s issuer in Profile settings.',
          },
        });
        return;
      }
      setState({ kind: 'idle' });
    } catch (error) {
      setState({ kind: 'failed', error: describeError(error) });
    }
  }

  return (
    <Callout
      tone="warning"
      title="The bundled server does not trust this profile’s issuer"
      role="status"
      className="trust-offer"
    >
      <p>
        This profile signs in at <code>{wanted}</code>, but the bundled server it talks to trusts{' '}
        <code>{status.issuer}</code>
        {sandboxUrl ? ' (the sandbox)' : ''}, so it would refuse the tokens.
      </p>
      <p>
        Trusting <code>{wanted}</code> restarts the bundled server on the same address. Tokens from{' '}
        <code>{status.issuer}</code> then stop working there
        {sandboxUrl ? ', including the sandbox profiles’' : ''}, until you switch back in the Server
        tab.
        {!wantsSandbox &&
          ' Register the server’s resource indicator as an API resource in your Logto tenant for JWT access tokens.'}
      </p>
      {draft && <p className="muted">Unsaved edits in the Server tab stay there as they are.</p>}
      <div className="trust-offer__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={state.kind === 'applying'}
          onClick={() => void trust()}
        >
          {state.kind === 'applying'
            ? 'Restarting the server…'
            : wantsSandbox
              ? 'Make the bundled server trust the sandbox'
              : 'Make the bundled server trust this issuer'}
        </button>
      </div>
      {state.kind === 'failed' && (
        <ErrorWithFix error={state.error} title="The server still trusts the other issuer" />
      )}
    </Callout>
  );
}
