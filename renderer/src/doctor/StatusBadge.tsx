import type { Check } from '../../../preload/api';

const LABEL: Record<Check['status'], string> = { pass: 'Pass', warn: 'Warning', fail: 'Fail' };
const TONE: Record<Check['status'], string> = { pass: 'ok', warn: 'warning', fail: 'error' };

/** pass / warn / fail as a word and a colour, never colour alone. */
export function StatusBadge({ status }: { status: Check['status'] }) {
  return <span className={`badge badge--${TONE[status]}`}>{LABEL[status]}</span>;
}
