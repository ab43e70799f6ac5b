import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds without an exports map. Node loads the CJS one
    // for everybody; Vite would give our sources the ESM one while Apollo's CJS packages get the CJS one,
    // and graphql refuses to mix the two. Pin our sources to the build Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.netweave/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers on ephemeral loopback ports; run files in parallel, tests in a file serially.
    pool: 'forks',
    // Two files at a time even on a 2-core machine (vitest's default there is one): most files wait on servers,
    // helm and child processes rather than on the CPU, and one at a time made the suite ~15 minutes.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
