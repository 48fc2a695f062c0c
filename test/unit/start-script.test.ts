import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm start without an Electron binary', () => {
  it('says why in one line and opens the same screens through web mode instead', async () => {
    // Web mode serves the built app; build it now if there is none (npm test has built it).
    if (!existsSync('out/renderer/index.html')) {
      execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-auth-start-'));
    const child = spawn(
      process.execPath,
      [
        'scripts/start.mjs',
        '--no-open',
        '--port',
        '0',
        '--server-port',
        '0',
        '--issuer-port',
        '0',
        '--data-dir',
        dataDir,
      ],
      {
        env: {
          ...process.env,
          ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist',
          BROWSER: 'none',
          // Built beforehand (above): no build while other test files serve out/.
          MCP_AUTH_DESKTOP_SKIP_BUILD: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no URL within 60 s:\n${stdout}\n${stderr}`)),
          60_000,
        );
        child.stdout.on('data', () => {
          const match = /is running at (\S+)/.exec(stdout);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) =>
          reject(new Error(`start.mjs exited (${code}):\n${stdout}\n${stderr}`)),
        );
      });

      const why = stderr.trim().split('\n');
      expect(why).toHaveLength(1); // one line, no stack trace
      expect(why[0]).toContain('cannot open its window');
      expect(why[0]).toContain('/nonexistent/electron-dist');
      expect(why[0]).toContain('web mode');
      // The same screens: the app's page, served from the built renderer.
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
