import { useState } from 'react';
import type { FlowView } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { describeError } from '../api/errors';
import { useFlows } from '../state/flow-store';
import { ErrorWithFix } from '../ui/Callout';
import { Icon } from '../ui/Icon';

/** Connect (every step at once) and Step through (pause before each), or Cancel while one runs. */
export function FlowActions(props: {
  profileId: string;
  flow: FlowView | undefined;
  disabled?: string | undefined;
}) {
  const { profileId, flow, disabled } = props;
  const api = useApi();
  const { connect, peekLatest } = useFlows();
  const [starting, setStarting] = useState<'quick' | 'guided'>();
  const [error, setError] = useState<{ message: string; fix?: string; code?: string }>();
  const active = flow?.status === 'running' || flow?.status === 'paused';

  async function start(mode: 'quick' | 'guided') {
    setStarting(mode);
    setError(undefined);
    const before = peekLatest(profileId)?.flowId;
    try {
      await connect(profileId, mode);
    } catch (reason) {
      // A flow that started and failed shows its own error, with the step it failed at.
      const after = peekLatest(profileId);
      const shown =
        after !== undefined &&
        after.flowId !== before &&
        (after.status === 'failed' || after.status === 'cancelled');
      if (!shown) setError(describeError(reason));
    } finally {
      setStarting(undefined);
    }
  }

  async function cancel() {
    if (!flow) return;
    try {
      await api.flow.cancel(flow.flowId);
    } catch (reason) {
      setError(describeError(reason));
    }
  }

  return (
    <div className="flow-actions">
      <div className="button-row">
        <button
          type="button"
          className="button button--primary button--large"
          disabled={active || starting !== undefined || disabled !== undefined}
          onClick={() => void start('quick')}
          aria-describedby="connect-help"
        >
          <Icon name="play" />
          {starting === 'quick' ? 'Connecting…' : 'Connect'}
        </button>
        <button
          type="button"
          className="button button--secondary button--large"
          disabled={active || starting !== undefined || disabled !== undefined}
          onClick={() => void start('guided')}
          aria-describedby="connect-help"
        >
          <Icon name="steps" />
          {starting === 'guided' ? 'Starting…' : 'Step through'}
        </button>
        {active && (
          <button type="button" className="button button--danger" onClick={() => void cancel()}>
            <Icon name="stop" />
            Cancel sign-in
          </button>
        )}
      </div>
      <p className="muted" id="connect-help">
        {disabled ??
          'Connect runs every step at once; Step through pauses before each step and shows what it will send.'}
      </p>
      {error && <ErrorWithFix error={error} title="Could not start" role="alert" />}
    </div>
  );
}
