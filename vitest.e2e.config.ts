import { defineConfig } from 'vitest/config';

// End-to-end suites: the built extension (dist/chrome) in real Chromium against the test server.
// One file at a time: each launches its own browser, and this machine has two cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
