import { useEffect, useState } from 'react';
import type { FlowView } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { describeError } from '../api/errors';
import { ErrorWithFix } from '../ui/Callout';
import { Icon } from '../ui/Icon';

/**
 * Step through: while the flow is paused, what the next step will send, and Continue (run exactly
 * that step) or Cancel. Continue stays disabled until the flow has moved, so one click is one step.
 */
export function GuidedControls({ flow }: { flow: FlowView }) {
  const api = useApi();
  const next = flow.steps.find((step) => step.status === 'waiting');
  const [sentFor, setSentFor] = useState<string>();
  const [error, setError] = useState<{ message: string; fix?: string; code?: string }>();

  // A new pause (another step waiting) re-enables Continue.
  const pauseKey = flow.status === 'paused' && next ? `${flow.flowId}:${next.id}` : undefined;
  useEffect(() => {
    setSentFor(undefined);
  }, [pauseKey]);

  if (flow.status !== 'paused' || !next || !pauseKey) return null;
  const busy = sentFor === pauseKey;

  async function onContinue() {
    setSentFor(pauseKey);
    setError(undefined);
    try {
      await api.flow.continue(flow.flowId);
    } catch (reason) {
      setError(describeError(reason));
      setSentFor(undefined);
    }
  }

  async function onCancel() {
    try {
      await api.flow.cancel(flow.flowId);
    } catch (reason) {
      setError(describeError(reason));
    }
  }

  return (
    <section className="guided" aria-labelledby="guided-heading">
      <h3 id="guided-heading" className="guided__title">
        Next step: {next.title}
      </h3>
      <p className="guided__explanation">{next.explanation}</p>
      {next.preview && (
        <>
          <p className="guided__label">What will be sent</p>
          <pre className="code-block">{next.preview}</pre>
        </>
      )}
      <div className="button-row">
        <button
          type="button"
          className="button button--primary button--large"
          disabled={busy}
          onClick={() => void onContinue()}
        >
          <Icon name="play" />
          {busy ? 'Running…' : 'Continue'}
        </button>
        <button type="button" className="button button--secondary" onClick={() => void onCancel()}>
          <Icon name="stop" />
          Cancel
        </button>
      </div>
      {error && <ErrorWithFix error={error} title="Could not continue" role="alert" />}
    </section>
  );
}
