import type { Check } from '../../../preload/api';
import { StatusBadge } from './StatusBadge';

/** One check: what was seen, and for a warning or failure, why and what to change. */
export function CheckItem({ check, pointed = false }: { check: Check; pointed?: boolean }) {
  return (
    <li
      className={`doctor-check doctor-check--${check.status}${pointed ? ' doctor-check--pointed' : ''}`}
      id={`check-${check.id}`}
      aria-label={`${check.title}: ${check.status}`}
    >
      <div>
        <StatusBadge status={check.status} />
      </div>
      <div>
        <p className="doctor-check__title">{check.title}</p>
        <p>{check.detail}</p>
        {check.cause && (
          <p>
            <strong>Why:</strong> {check.cause}
          </p>
        )}
        {check.fix && (
          <p>
            <strong>Fix:</strong> {check.fix}
          </p>
        )}
        {check.specRef && check.status !== 'pass' && <p className="muted">{check.specRef}</p>}
      </div>
    </li>
  );
}
