import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: '.',
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/conformance/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration suites start real servers on loopback; two cores run them best two at a time.
    maxWorkers: 2,
    // electron-store imports `electron`; bundled into the tests, it gets a test's vi.mock of it
    // instead of the real package (which would try to download the binary).
    server: { deps: { inline: ['electron-store'] } },
  },
});
