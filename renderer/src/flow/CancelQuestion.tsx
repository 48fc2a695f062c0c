import { useState } from 'react';
import type { FlowView } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { describeError } from '../api/errors';
import { Callout, ErrorWithFix } from '../ui/Callout';
import { Icon } from '../ui/Icon';

/**
 * The browser came back with no result (Logto's consent Cancel, or any page hitting the redirect
 * address): the sign-in is still open and asks. Try again opens the sign-in page again (the same
 * sign-in goes on); Stop ends it as cancelled on the consent page.
 */
export function CancelQuestion({ flow }: { flow: FlowView }) {
  const api = useApi();
  const question = flow.steps.find((step) => step.question)?.question;
  const [busy, setBusy] = useState<'retry' | 'stop'>();
  const [error, setError] = useState<{ message: string; fix?: string; code?: string }>();
  if (!question || (flow.status !== 'running' && flow.status !== 'paused')) return null;

  async function answer(kind: 'retry' | 'stop') {
    setBusy(kind);
    setError(undefined);
    try {
      if (kind === 'retry') await api.flow.continue(flow.flowId);
      else await api.flow.cancel(flow.flowId);
    } catch (reason) {
      setError(describeError(reason));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <Callout
      tone="warning"
      title="It looks like you pressed Cancel on the consent page"
      role="alert"
      className="cancel-question"
    >
      <p>
        The browser came back without a result, which is what Logto sends when Cancel is pressed.
        Nothing was granted, and the sign-in is still open: any web page can send the same, so the
        app asks rather than ending it.
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          disabled={busy !== undefined}
          onClick={() => void answer('retry')}
        >
          <Icon name="refresh" size={18} />
          Try again
        </button>
        <button
          type="button"
          className="button button--secondary"
          disabled={busy !== undefined}
          onClick={() => void answer('stop')}
        >
          <Icon name="stop" size={18} />
          Stop
        </button>
      </div>
      {error && <ErrorWithFix error={error} title="Could not answer" />}
    </Callout>
  );
}
