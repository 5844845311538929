import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn the CLI and git; two workers match the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    // The JSON report lets .ci/run print the plain `N passed, N failed` line CI reads.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
