// `npm test`: every suite — vitest (unit, integration, conformance), Playwright in Chromium
// against web mode, Playwright against Electron (skips, saying why, without a binary) — then one
// line "N passed, N failed, N skipped" counted from the runners' JSON reports.
// `npm test -- <vitest filters>` runs only the matching vitest files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { summarize } from './summarize-reports.mjs';

const reports = resolve(process.env.TEST_REPORTS_DIR ?? 'test-results/reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const filters = process.argv.slice(2);

const run = (args, env = {}) =>
  spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

let status = run([
  'vitest',
  'run',
  '--config',
  'test/vitest.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${join(reports, 'vitest.json')}`,
  ...filters,
]);
if (filters.length === 0) {
  for (const [name, config] of [
    ['e2e', 'test/e2e/playwright.config.ts'],
    ['electron', 'test/electron/playwright.config.ts'],
  ]) {
    const code = run(['playwright', 'test', '-c', config, '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, `${name}.json`),
    });
    status = status || code;
  }
}
const summary = summarize(reports);
console.log(summary.line);
process.exit(status || summary.failed > 0 || summary.passed === 0 ? 1 : 0);
