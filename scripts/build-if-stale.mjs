// Builds the app into out/ only when its sources changed since the last build, so `npm run web`
// (and `npm start` in web mode) open in a second instead of rebuilding at every start.
// The fingerprint is every source file's path, size and modification time: an edit, a new or
// deleted file, a checkout or an `npm install` (package-lock.json) all change it.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const INPUTS = [
  'main',
  'preload',
  'renderer',
  'electron.vite.config.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
const STAMP = join(root, 'out', '.sources-fingerprint');
const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

/** sha256 over "path size mtime" of every file under INPUTS, in a stable order. */
export function sourcesFingerprint(dir = root) {
  const lines = [];
  const walk = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else {
      lines.push(`${relative(dir, path)} ${stat.size} ${stat.mtimeMs}`);
    }
  };
  for (const input of INPUTS) walk(join(dir, input));
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Why out/ needs building, or undefined when it is current. */
export function staleReason(dir = root) {
  const missing = OUTPUTS.find((output) => !existsSync(join(dir, output)));
  if (missing) return `${missing} is missing`;
  const stamp = join(dir, 'out', '.sources-fingerprint');
  if (!existsSync(stamp)) return 'the last build left no fingerprint of its sources';
  if (readFileSync(stamp, 'utf8').trim() !== sourcesFingerprint(dir)) {
    return 'sources changed since the last build';
  }
  return undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `npm run build` always builds (and leaves the fingerprint); tests that built once beforehand
  // set MCP_AUTH_DESKTOP_SKIP_BUILD=1 so that no build runs while another test serves out/.
  const reason = process.argv.includes('--always') ? 'asked to' : staleReason();
  if (process.env.MCP_AUTH_DESKTOP_SKIP_BUILD === '1') {
    console.log('Using the app built in out/ (MCP_AUTH_DESKTOP_SKIP_BUILD=1).');
  } else if (!reason) {
    console.log('Using the app built in out/ (no source changed since).');
  } else {
    console.log(`Building the app into out/: ${reason}.`);
    // Taken before building, so an edit made during the build triggers the next one.
    const fingerprint = sourcesFingerprint();
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/electron-vite/bin/electron-vite.js'),
        'build',
        '--logLevel',
        'warn',
      ],
      { cwd: root, stdio: 'inherit' },
    );
    writeFileSync(STAMP, `${fingerprint}\n`);
  }
}
