// The desktop app under a real Electron binary (Playwright's _electron). Runs only where a binary
// exists (scripts/electron-binary.mjs); elsewhere every test skips and says why.
// Build first: `npm run build` (the suite launches out/main/index.js).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  // One Electron app at a time: they share the single-instance lock and the default ports.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: '../../test-results/electron/report.json' }]],
  outputDir: '../../test-results/electron/artifacts',
});
