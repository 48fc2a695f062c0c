// Counts results from every JSON test report in a folder: vitest's (Jest-shaped) and Playwright's.
// A missing or unreadable report counts as a failure: a pass must never come from tests that did not run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function summarize(dir) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let reports = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    try {
      const report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      if (report.stats && 'expected' in report.stats) {
        // Playwright
        passed += report.stats.expected + (report.stats.flaky ?? 0);
        failed += report.stats.unexpected + (report.errors?.length ?? 0);
        skipped += report.stats.skipped;
      } else {
        // vitest
        passed += report.numPassedTests ?? 0;
        failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
        skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      }
      reports++;
    } catch (error) {
      console.error(`Could not read test report ${name}: ${error.message}`);
      failed++;
    }
  }
  if (reports === 0) {
    console.error(`No test report in ${dir}: the tests did not run.`);
    failed++;
  }
  return {
    passed,
    failed,
    skipped,
    line: `${passed} passed, ${failed} failed, ${skipped} skipped`,
  };
}
