import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    testTimeout: 420_000,
    hookTimeout: 120_000,
  },
});
