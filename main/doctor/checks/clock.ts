/**
 * Clock skew between this machine and the issuer, read from the Date header (RFC 9110 §6.6.1,
 * one-second resolution). JWT checks allow some leeway (the bundled server: 30 s); beyond it a
 * fresh token is "not valid yet" or already expired.
 */
import { DEFAULT_CLOCK_TOLERANCE_SEC } from '../../server/config';
import type { Check } from '../types';

export function checkClock(clock: { date: string; sentAt: number; receivedAt: number }): Check {
  const base = { id: 'clock.skew', group: 'clock', title: 'Clock skew' } as const;
  const issuerTime = Date.parse(clock.date);
  if (Number.isNaN(issuerTime)) {
    return {
      ...base,
      status: 'warn',
      detail: `The issuer’s Date header is unreadable: ${clock.date}.`,
    };
  }
  // The header is truncated to the second: compare with the middle of the exchange, allow 1 s.
  const local = (clock.sentAt + clock.receivedAt) / 2;
  const skewSec = Math.round((local - issuerTime) / 1000);
  const abs = Math.abs(skewSec);
  const direction = skewSec > 0 ? 'ahead of' : 'behind';
  if (abs <= 2) {
    return { ...base, status: 'pass', detail: 'This machine’s clock agrees with the issuer’s.' };
  }
  const detail = `This machine’s clock is ${abs} s ${direction} the issuer’s.`;
  const fix = 'Turn on automatic time synchronisation (NTP) on this machine.';
  return abs > DEFAULT_CLOCK_TOLERANCE_SEC
    ? {
        ...base,
        status: 'fail',
        detail,
        cause: `Beyond the ${DEFAULT_CLOCK_TOLERANCE_SEC} s leeway, a fresh JWT looks ${skewSec > 0 ? 'expired too soon' : 'not valid yet'} to a server on this machine.`,
        fix,
        specRef: 'RFC 7519 §4.1.4–4.1.6',
      }
    : {
        ...base,
        status: 'warn',
        detail,
        cause: 'Within the leeway, but JWT checks get tight.',
        fix,
      };
}
