import type { StepState } from '../../../preload/api';
import { Icon, Spinner, type IconName } from '../ui/Icon';

export type StepDisplay =
  'pending' | 'paused' | 'waiting' | 'running' | 'done' | 'failed' | 'skipped';

/**
 * The engine says 'waiting' both when the guided view pauses before a step (the step has not
 * started) and while a started step waits for the person (the browser sign-in).
 */
export function displayStatus(step: StepState, flowPaused: boolean): StepDisplay {
  if (step.status === 'waiting') return flowPaused || !step.startedAt ? 'paused' : 'waiting';
  return step.status;
}

/** The browser sign-in is under way: the sign-in step started and waits for the redirect. */
export function isWaitingForSignIn(steps: readonly StepState[], flowPaused: boolean): boolean {
  return steps.some(
    (step) => step.id === 'sign-in' && displayStatus(step, flowPaused) === 'waiting',
  );
}

const LOOK: Record<StepDisplay, { icon: IconName | 'spinner'; text: string }> = {
  pending: { icon: 'circle', text: 'Not yet' },
  paused: { icon: 'pause', text: 'Next: waiting for Continue' },
  waiting: { icon: 'clock', text: 'Waiting for you' },
  running: { icon: 'spinner', text: 'Running' },
  done: { icon: 'check', text: 'Done' },
  failed: { icon: 'cross', text: 'Failed' },
  skipped: { icon: 'skip', text: 'Skipped' },
};

/** A step's status as an icon AND a word (never color alone). */
export function StepStatusBadge({ status }: { status: StepDisplay }) {
  const look = LOOK[status];
  return (
    <span className={`step-status step-status--${status}`}>
      {look.icon === 'spinner' ? <Spinner /> : <Icon name={look.icon} size={18} />}
      <span>{look.text}</span>
    </span>
  );
}
