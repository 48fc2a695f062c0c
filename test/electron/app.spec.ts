// The desktop app in a real Electron: launch, the window's security settings as Electron reports
// them, what the page can reach, and deep links (open-url, second-instance, and a real second
// instance started with a link). Needs an Electron binary and a build (npm run build); without
// either, every test is skipped with the reason printed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import type { AppInfo, DesktopApi, RecordedEvent } from '../../preload/api';

const root = resolve(import.meta.dirname, '../..');
const mainEntry = join(root, 'out/main/index.js');
// A .mjs helper shared with `npm start`; loaded by URL so TypeScript does not need its types.
const helper = new URL('../../scripts/electron-binary.mjs', import.meta.url).href;
const { findElectronBinary } = (await import(helper)) as {
  findElectronBinary(): { path: string } | { path: null; reason: string };
};

const found = findElectronBinary();
const skipReason =
  found.path === null
    ? `no Electron binary: ${found.reason}. Set ELECTRON_OVERRIDE_DIST_PATH to the folder of one to run these tests.`
    : !existsSync(mainEntry)
      ? `${mainEntry} does not exist: run \`npm run build\` first.`
      : undefined;
if (skipReason) console.warn(`[test/electron] Skipping the Electron tests: ${skipReason}`);
test.skip(skipReason !== undefined, skipReason ?? '');

const executablePath = found.path ?? '';
const LINK = 'app.mcpauthdesktop:/oauth/callback?code=c&state=';

test.describe.configure({ mode: 'serial' });

let dataDir: string;
let app: ElectronApplication;
let page: Page;

async function traceNotes(): Promise<string[]> {
  const events: RecordedEvent[] = await page.evaluate(() =>
    (globalThis as unknown as { mcpAuthDesktop: DesktopApi }).mcpAuthDesktop.trace.get(),
  );
  return events.flatMap((event) => (event.type === 'note' ? [event.message] : []));
}

test.beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mcp-auth-desktop-e2e-'));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'ELECTRON_RENDERER_URL') env[key] = value;
  }
  env.MCP_AUTH_DESKTOP_DATA = dataDir;
  app = await electron.launch({ executablePath, args: [mainEntry], cwd: root, env });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('opens one window on the built page, served over app:// rather than file://', async () => {
  expect(app.windows()).toHaveLength(1);
  expect(page.url()).toBe('app://renderer/index.html');
  expect(await page.title()).toBe('MCP Auth Desktop');
});

test('the window runs isolated, sandboxed and without Node', async () => {
  // getLastWebPreferences is not in Electron's typings, but Electron's own code relies on it.
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as
      { getLastWebPreferences(): Record<string, unknown> | null } | undefined;
    return contents?.getLastWebPreferences();
  });
  expect(prefs).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
  });
  const reach = await page.evaluate(() => {
    const page = globalThis as unknown as Record<string, unknown>;
    return {
      api: Object.keys((page.mcpAuthDesktop as object) ?? {}).sort(),
      require: typeof page.require,
      process: typeof page.process,
      ipcRenderer: typeof page.ipcRenderer,
    };
  });
  expect(reach.require).toBe('undefined');
  expect(reach.process).toBe('undefined');
  expect(reach.ipcRenderer).toBe('undefined');
  expect(reach.api).toContain('app');
  expect(reach.api).toContain('onEvent');
});

test('the page answers through the API: desktop host, both redirect modes', async () => {
  const info: AppInfo = await page.evaluate(() =>
    (globalThis as unknown as { mcpAuthDesktop: DesktopApi }).mcpAuthDesktop.app.info(),
  );
  expect(info.host).toBe('desktop');
  expect(info.redirects.map((r) => r.mode).sort()).toEqual(['custom-scheme', 'loopback']);
  expect(['os-keyring', 'file-permissions']).toContain(info.secretProtection);
});

test('the CSP forbids eval, navigation away is blocked, window.open is denied', async () => {
  const evalResult = await page.evaluate(() => {
    try {
      return String((0, eval)('1 + 1'));
    } catch (error) {
      return (error as Error).name;
    }
  });
  expect(evalResult).toBe('EvalError');
  const before = page.url();
  const opened = await page.evaluate(() => {
    const g = globalThis as unknown as { open(url: string): unknown; location: { href: string } };
    const handle = g.open('https://example.com/');
    g.location.href = 'https://example.com/';
    return handle === null;
  });
  expect(opened).toBe(true);
  await page.waitForTimeout(500);
  expect(page.url()).toBe(before);
  expect(app.windows()).toHaveLength(1);
});

test('permission requests are denied', async () => {
  const permission = await page.evaluate(() =>
    (
      globalThis as unknown as { Notification: { requestPermission(): Promise<string> } }
    ).Notification.requestPermission(),
  );
  expect(permission).toBe('denied');
});

test('macOS open-url and a second instance’s argv reach the sign-in receiver', async () => {
  await app.evaluate(({ app: electronApp }, link) => {
    electronApp.emit('open-url', { preventDefault: () => undefined }, `${link}from-open-url`);
    electronApp.emit(
      'second-instance',
      {},
      ['/usr/bin/mcp-auth-desktop', '--no-sandbox', `${link}from-argv`],
      '/',
    );
  }, LINK);
  // Both carry a state no sign-in is waiting for: refused, and the reason lands in the trace.
  await expect
    .poll(async () => (await traceNotes()).filter((n) => n.includes('does not belong')).length)
    .toBe(2);
});

test('a real second instance started with a link hands it over and exits', async () => {
  const before = (await traceNotes()).length;
  const second = spawn(executablePath, [mainEntry, `${LINK}from-second-instance`], {
    cwd: root,
    env: { ...process.env, MCP_AUTH_DESKTOP_DATA: dataDir },
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((done) => second.once('exit', done));
  expect(code).toBe(0);
  await expect.poll(async () => (await traceNotes()).length).toBeGreaterThan(before);
  expect(app.windows()).toHaveLength(1);
});
