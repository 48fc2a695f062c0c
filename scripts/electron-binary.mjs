// Finds the Electron binary without letting a failed download print a stack trace.
// Used by `npm start` and by the Electron test suite (which skips, with this reason, when none is found).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** @returns {{ path: string } | { path: null, reason: string }} */
export function findElectronBinary({ download = false } = {}) {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, relative ?? 'electron');
    return existsSync(candidate)
      ? { path: candidate }
      : {
          path: null,
          reason: `ELECTRON_OVERRIDE_DIST_PATH points at ${candidate}, which does not exist`,
        };
  }
  if (relative && existsSync(join(pkgDir, 'dist', relative))) {
    return { path: join(pkgDir, 'dist', relative) };
  }
  if (download) {
    // Electron 42+ downloads its binary on first use; do that now, quietly, and report the outcome.
    const result = spawnSync(process.execPath, [join(pkgDir, 'install.js')], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    if (result.status === 0) return findElectronBinary({ download: false });
  }
  return {
    path: null,
    reason:
      'the Electron binary is not downloaded and could not be fetched (no access to its download host)',
  };
}
