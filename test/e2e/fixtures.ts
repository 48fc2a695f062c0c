/**
 * The web host as the tests meet it: started per test file (a fresh data folder each time), the
 * page opened on the URL it prints, and the helpers a person's hands would be (sign in on the
 * sandbox's page, take a screenshot of what is on screen).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const resultsDir = join(root, 'test-results/e2e');
const READY = /MCP Auth Desktop \(web\) is running at (\S+)/;

export const ALICE = { username: 'alice', password: 'alice-sandbox', name: 'Alice Liddell' };
/** alice's subject at the sandbox issuer. */
export const ALICE_SUB = 'q7k2m9x4ab1c';

export interface WebHost {
  url: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `main/web.ts` on a free port with its own data folder; resolves with the URL it prints. */
export async function startWebHost(name: string): Promise<WebHost> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-auth-e2e-'));
  mkdirSync(resultsDir, { recursive: true });
  const log = createWriteStream(join(resultsDir, `${name}.host.log`));
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'main/web.ts',
      '--port',
      '0',
      '--server-port',
      '0',
      '--issuer-port',
      '0',
      '--no-open',
      '--data-dir',
      dataDir,
    ],
    {
      cwd: root,
      env: { ...process.env, BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The web host printed no URL within 60 s:\n${output}`)),
      60_000,
    );
    const check = () => {
      const match = READY.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The web host exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });

  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // The host and whatever it started (its process group, which we created with detached).
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
        const timeout = new Promise((resolve) => setTimeout(resolve, 5_000, 'timeout'));
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }
      }
      log.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

interface Fixtures {
  /** The page, opened on this file's web host URL, with the app loaded. */
  app: Page;
}

/** Playwright's test with `app`; every spec file calls `freshHostPerFile()` at its top. */
export const test = base.extend<Fixtures>({
  app: async ({ page }, use) => {
    await page.goto(currentHost().url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible({ timeout: 30_000 });
    await use(page);
  },
});

let host: WebHost | undefined;
/** This file's web host (to stop it in a test, say). */
export function currentHost(): WebHost {
  if (!host) throw new Error('Call freshHostPerFile() at the top of the spec file');
  return host;
}

/** Starts a web host (fresh data folder) before this file's tests and stops it after them. */
export function freshHostPerFile(): void {
  test.beforeAll(async ({ browserName: _browser }, testInfo) => {
    test.setTimeout(120_000);
    host = await startWebHost(basename(testInfo.file, '.spec.ts'));
  });
  test.afterAll(async ({ browserName: _browser }, testInfo) => {
    if (host) {
      await testInfo.attach('web host output', { body: host.output(), contentType: 'text/plain' });
      await host.stop();
      host = undefined;
    }
  });
}

/** Saves what is on screen under test-results/e2e/screens/ and attaches it to the report. */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const path = join(resultsDir, 'screens', `${name}.png`);
  // Sticky parts (the sidebar) are drawn where the page is scrolled: start from the top.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  return path;
}

/**
 * Does `action` (a click that makes the app open the sign-in page) and returns the new tab the
 * app opened. The app opens it by itself; the link it shows is the fallback a person would use.
 */
export async function newTabFrom(page: Page, action: () => Promise<void>): Promise<Page> {
  const opened = page.context().waitForEvent('page', { timeout: 30_000 });
  await action();
  const tab = await opened;
  await tab.waitForLoadState('domcontentloaded');
  return tab;
}

/** Types the demo user's credentials on the sandbox's sign-in page, then answers consent if asked. */
export async function signInOnIssuerPage(
  tab: Page,
  user: { username: string; password: string },
  consent?: 'allow' | 'deny',
): Promise<void> {
  await expect(tab.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await tab.getByLabel('Username').fill(user.username);
  await tab.getByLabel('Password').fill(user.password);
  await tab.getByRole('button', { name: 'Sign in' }).click();
  if (consent) {
    await expect(tab.getByRole('heading', { name: /wants to access your account/ })).toBeVisible();
    await tab.getByRole('button', { name: consent === 'allow' ? 'Allow' : 'Deny' }).click();
  }
}

/** The profile in the sidebar by its visible name. */
export function profileButton(page: Page, name: string | RegExp) {
  return page.getByRole('navigation', { name: 'Profiles' }).getByRole('button', { name });
}

export async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

export { expect };
