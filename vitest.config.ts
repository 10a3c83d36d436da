import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file runs in its own process: chDB is one engine per process, bound to one data dir.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
