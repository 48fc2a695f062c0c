/** The report as text for a terminal: one line per check, then the three columns. */
import type { Check, DoctorReport } from './types';

/** Long lists (an issuer's scopes) are cut in the table; --json has them whole. */
const cell = (text: string, max = 56) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const MARK: Record<Check['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatReport(report: DoctorReport): string {
  const out: string[] = [
    `Tenant doctor: ${report.input.issuer ?? report.input.serverUrl ?? ''}`,
    '',
  ];
  for (const check of report.checks) {
    out.push(`${MARK[check.status]}  ${check.title} [${check.id}]`);
    out.push(`      ${check.detail}`);
    if (check.cause) out.push(`      Why: ${check.cause}`);
    if (check.fix) out.push(`      Fix: ${check.fix}`);
    if (check.specRef && check.status !== 'pass') out.push(`      See: ${check.specRef}`);
  }
  out.push('');
  out.push(
    table(
      ['', 'Server advertises', 'Issuer advertises', 'Client will send'],
      report.columns.map((row) => [
        `${row.mismatch ? '✗ ' : '  '}${row.field}`,
        cell(row.server ?? '–'),
        cell(row.issuer ?? '–'),
        cell(row.client ?? '–'),
      ]),
    ),
  );
  const counts = (['pass', 'warn', 'fail'] as const).map(
    (s) =>
      `${report.checks.filter((c) => c.status === s).length} ${s === 'pass' ? 'passed' : s === 'warn' ? 'warnings' : 'failed'}`,
  );
  out.push('', `${counts.join(', ')}.`);
  return out.join('\n');
}
