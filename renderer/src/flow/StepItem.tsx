import type { RecordedEvent, StepState } from '../../../preload/api';
import { Callout, ErrorWithFix } from '../ui/Callout';
import { formatDuration } from '../ui/format';
import { HttpExchangeView } from './HttpExchangeView';
import { StepStatusBadge, type StepDisplay } from './StepStatusBadge';

type HttpExchange = Extract<RecordedEvent, { type: 'http' }>['exchange'];

const FINDING_TONE = { info: 'info', warning: 'warning', error: 'error' } as const;

/** One step of the flow: what it is, how it went, what it found, and its HTTP exchanges. */
export function StepItem(props: {
  step: StepState;
  index: number;
  display: StepDisplay;
  exchanges: HttpExchange[];
}) {
  const { step, index, display, exchanges } = props;
  const headingId = `step-${step.id}-title`;
  return (
    <li
      id={`step-${step.id}`}
      tabIndex={-1}
      className={`step step--${display}`}
      aria-labelledby={headingId}
      data-step={step.id}
      data-status={display}
    >
      <div className="step__head">
        <span className="step__number" aria-hidden="true">
          {index + 1}
        </span>
        <h4 className="step__title" id={headingId}>
          {step.title}
        </h4>
        <StepStatusBadge status={display} />
        {step.durationMs !== undefined && display !== 'pending' && (
          <span className="step__time">{formatDuration(step.durationMs)}</span>
        )}
      </div>
      <div className="step__body">
        <p className="step__explanation">{step.explanation}</p>
        <p className="step__spec">
          <span className="visually-hidden">Specification: </span>
          {step.specRef}
        </p>
        {step.findings.length > 0 && (
          <ul className="findings" aria-label="Findings">
            {step.findings.map((finding, i) => (
              <li key={i}>
                <Callout tone={FINDING_TONE[finding.level]} className="callout--compact">
                  <p>
                    <span className="visually-hidden">{finding.level}: </span>
                    {finding.message}
                    {finding.specRef && <span className="step__spec"> ({finding.specRef})</span>}
                  </p>
                </Callout>
              </li>
            ))}
          </ul>
        )}
        {step.error && (
          <ErrorWithFix error={step.error} title={`This step failed: ${step.title}`} />
        )}
        {exchanges.length > 0 && (
          <details className="step__exchanges">
            <summary>
              {exchanges.length === 1 ? '1 HTTP exchange' : `${exchanges.length} HTTP exchanges`}
            </summary>
            <div className="step__exchange-list">
              {exchanges.map((exchange) => (
                <HttpExchangeView key={exchange.id} exchange={exchange} />
              ))}
            </div>
          </details>
        )}
      </div>
    </li>
  );
}
