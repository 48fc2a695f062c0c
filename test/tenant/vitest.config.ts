import { defineConfig } from 'vitest/config';

/**
 * `npm run test:tenant`: against a real Logto (LOGTO_* variables, see scripts/test-tenant.mjs).
 * Not part of `npm test` nor CI: it changes a tenant and needs a person's credentials.
 */
export default defineConfig({
  test: {
    root: '.',
    include: ['test/tenant/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
