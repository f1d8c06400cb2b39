import { defineConfig } from 'vitest/config';

// Unit and component tests only; the browser suites live in vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts'],
    environment: 'node',
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
