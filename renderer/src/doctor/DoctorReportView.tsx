import type { DoctorReport } from '../../../preload/api';
import { Callout } from '../ui/Callout';
import { CheckItem } from './CheckItem';
import { ColumnsTable } from './ColumnsTable';

const SUMMARY: Record<
  DoctorReport['verdict'],
  { tone: 'success' | 'warning' | 'error'; title: string }
> = {
  pass: { tone: 'success', title: 'Every check passed' },
  warn: { tone: 'warning', title: 'No failure, but some warnings' },
  fail: { tone: 'error', title: 'Some checks failed' },
};

/** A report: the verdict, each check (the pointed one outlined), then the three columns. */
export function DoctorReportView({
  report,
  pointedId,
}: {
  report: DoctorReport;
  pointedId?: string | undefined;
}) {
  const count = (status: string) => report.checks.filter((c) => c.status === status).length;
  const summary = SUMMARY[report.verdict];
  return (
    <div className="doctor-report">
      <Callout tone={summary.tone} title={summary.title}>
        <p>
          {count('pass')} passed, {count('warn')} warnings, {count('fail')} failed · checked at{' '}
          {new Date(report.checkedAt).toLocaleTimeString()}
        </p>
      </Callout>
      <ol className="doctor-checks" aria-label="Checks">
        {report.checks.map((check) => (
          <CheckItem key={check.id} check={check} pointed={check.id === pointedId} />
        ))}
      </ol>
      <h4>Server, issuer and client side by side</h4>
      <ColumnsTable rows={report.columns} />
    </div>
  );
}
