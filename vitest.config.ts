import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.netweave/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers on ephemeral loopback ports; run files in parallel, tests in a file serially.
    pool: 'forks',
    reporters: ['default'],
  },
});
