// `npm run test:tenant`: the suite against a real Logto tenant. Without the variables it says
// which are missing and exits 0, so it can sit in any checklist without a tenant at hand.
import { spawnSync } from 'node:child_process';

const REQUIRED = [
  ['LOGTO_ENDPOINT', 'e.g. https://<tenant>.logto.app or http://localhost:3002'],
  ['LOGTO_M2M_APP_ID', 'a machine-to-machine app with Logto Management API access'],
  ['LOGTO_M2M_APP_SECRET', 'that app’s secret'],
  ['LOGTO_TEST_USER', 'a username the role may be assigned to'],
  ['LOGTO_TEST_PASSWORD', 'that user’s password'],
];
const missing = REQUIRED.filter(([name]) => !process.env[name]);
if (missing.length > 0) {
  console.log('Skipping the tenant suite: it runs against a real Logto and needs');
  for (const [name, what] of missing) console.log(`  ${name}  (${what})`);
  console.log('See "Set up a tenant" in the README.');
  process.exit(0);
}
const result = spawnSync(
  'npx',
  ['vitest', 'run', '--config', 'test/tenant/vitest.config.ts', ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
