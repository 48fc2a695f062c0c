import type { Check } from '../../../preload/api';
import { DoctorItem } from './DoctorItem';
import { StatusBadge } from './StatusBadge';

/** One check: what was seen, and for a warning or failure, why and what to change. */
export function CheckItem({ check, pointed = false }: { check: Check; pointed?: boolean }) {
  return (
    <DoctorItem
      tone={check.status}
      badge={<StatusBadge status={check.status} />}
      title={check.title}
      detail={check.detail}
      cause={check.cause}
      fix={check.fix}
      note={check.status !== 'pass' ? check.specRef : undefined}
      pointed={pointed}
      id={`check-${check.id}`}
      label={`${check.title}: ${check.status}`}
    />
  );
}
