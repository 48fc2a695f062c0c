import { formatCountdown, formatDateTime } from './format';
import { useNow } from './use-now';

/** "expires in 59 min 12 s", live; the exact time in a tooltip and for screen readers. */
export function Countdown({ until }: { until: number }) {
  const now = useNow();
  const left = until - now;
  const soon = left > 0 && left < 60_000;
  return (
    <span
      className={`countdown${left <= 0 ? ' countdown--expired' : soon ? ' countdown--soon' : ''}`}
    >
      <time dateTime={new Date(until).toISOString()} title={formatDateTime(new Date(until))}>
        {left <= 0 ? formatCountdown(left) : `expires in ${formatCountdown(left)}`}
      </time>
    </span>
  );
}
