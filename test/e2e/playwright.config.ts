import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const resultsDir = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));

/** Debian's Chromium, headless (also used by test/bench/ui.bench.ts). */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/**
 * End-to-end tests of the web host (npm run web) in Debian's Chromium, clicked as a person would.
 * Each test file starts its own web host with a fresh data folder (fixtures.ts); the renderer is
 * built once, in global-setup.ts.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  outputDir: `${resultsDir}artifacts`,
  // Each file's web host picks free ports for itself, its sandbox issuer and MCP server.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    ['html', { outputFolder: `${resultsDir}report`, open: 'never' }],
    ['json', { outputFile: `${resultsDir}results.json` }],
  ],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 960 },
    colorScheme: 'light',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    launchOptions: chromiumLaunchOptions,
  },
});
