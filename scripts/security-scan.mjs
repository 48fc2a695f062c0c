// Static security scan of the built app (out/) with electronegativity, fetched from the npm
// registry on demand (its own dependencies are too old to live in ours). Fails on any HIGH
// finding not explained in test/security/electronegativity-baseline.json; lists the others.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASELINE = 'test/security/electronegativity-baseline.json';
if (!existsSync('out/main/index.js')) {
  console.error('Build the app first: npm run build');
  process.exit(1);
}
const electron = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;
const csv = join(mkdtempSync(join(tmpdir(), 'electronegativity-')), 'findings.csv');
const run = spawnSync(
  'npm',
  [
    'exec',
    '--yes',
    '--package=@doyensec/electronegativity@1.10.3',
    '--',
    'electronegativity',
    '-i',
    'out',
    '-e',
    electron,
    '-o',
    csv,
    '-r',
  ],
  { encoding: 'utf8', timeout: 300_000 },
);
if (!existsSync(csv)) {
  console.error(`The scan did not run:\n${run.stderr || run.stdout}`);
  process.exit(1);
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text) {
  const rows = [[]];
  let field = '';
  let quoted = false;
  const endField = () => {
    rows.at(-1).push(field.trim());
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push([]);
    } else if (c !== '\r') field += c;
  }
  if (field || rows.at(-1).length) rows.at(-1).push(field.trim());
  return rows.filter((r) => r.length > 1);
}

const csvText = readFileSync(csv, 'utf8');
if (!csvText.startsWith('issue,')) {
  // electronegativity can exit before its report is flushed: no report is a failure, not a pass.
  console.error(`The scan wrote no report (${csv}); run it again.\n${run.stderr || run.stdout}`);
  process.exit(1);
}
const [, ...rows] = parseCsv(csvText);
const findings = rows.map(([check, severity, confidence, file, location]) => ({
  check,
  severity,
  confidence,
  file,
  location,
}));
const explained = new Map(
  JSON.parse(readFileSync(BASELINE, 'utf8')).findings.map((f) => [f.check, f.reason]),
);
let unexplained = 0;
for (const f of findings) {
  const reason = explained.get(f.check);
  const mark = reason ? 'explained' : f.severity === 'HIGH' ? 'UNEXPLAINED' : 'noted';
  if (!reason && f.severity === 'HIGH') unexplained++;
  console.log(`${mark.padEnd(11)} ${f.severity.padEnd(13)} ${f.check} ${f.file}:${f.location}`);
}
console.log(
  `\nElectron security scan (electronegativity, Electron ${electron}): ${findings.length} findings, ${unexplained} HIGH not explained in ${BASELINE}.`,
);
process.exit(unexplained ? 1 : 0);
