// Prints "N passed, N failed, N skipped" from every JSON test report in the folder given.
// A missing or unreadable report counts as a failure: CI must never pass on tests that did not run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.ci/reports';
let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;

for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  try {
    const report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
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
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
