import { useMemo } from 'react';
import type { FlowView, RecordedEvent } from '../../../preload/api';
import { useTrace } from '../state/trace-store';
import { StepItem } from './StepItem';
import { displayStatus } from './StepStatusBadge';

type HttpExchange = Extract<RecordedEvent, { type: 'http' }>['exchange'];

/** The flow's steps in order, each with the HTTP exchanges the trace recorded for it. */
export function StepList({ flow }: { flow: FlowView }) {
  const { events } = useTrace();
  const byStep = useMemo(() => {
    const map = new Map<string, HttpExchange[]>();
    for (const event of events) {
      if (event.type !== 'http' || event.exchange.flowId !== flow.flowId) continue;
      const stepId = event.exchange.stepId ?? '';
      const list = map.get(stepId) ?? [];
      list.push(event.exchange);
      map.set(stepId, list);
    }
    return map;
  }, [events, flow.flowId]);
  const paused = flow.status === 'paused';
  const done = flow.steps.filter((step) => step.status === 'done').length;
  return (
    <section className="steps" aria-labelledby="steps-heading">
      <div className="section-head">
        <h3 id="steps-heading">Steps</h3>
        <span className="muted">
          {done} of {flow.steps.length} done · {flow.mode === 'guided' ? 'step through' : 'quick'}
        </span>
      </div>
      <ol className="step-list">
        {flow.steps.map((step, index) => (
          <StepItem
            key={step.id}
            step={step}
            index={index}
            display={displayStatus(step, paused)}
            exchanges={byStep.get(step.id) ?? []}
          />
        ))}
      </ol>
    </section>
  );
}
