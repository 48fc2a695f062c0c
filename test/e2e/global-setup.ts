import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Builds main, preload and the renderer once; every test file's web host serves out/renderer. */
export default function globalSetup(): void {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(`${root}out/renderer/index.html`)) return;
  execFileSync(
    process.execPath,
    [`${root}node_modules/electron-vite/bin/electron-vite.js`, 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
