import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The machine has 2 cores and the tests run real ONNX Runtime sessions: keep the pool small
    // so that parallel files do not starve each other into timeouts.
    pool: 'forks',
    // One fork: with two, the forks and the CLI children they spawn starved vitest's own process
    // into "Timeout calling onTaskUpdate" (a failed run with every test green) twice on 2 cores.
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One cache per test run (the roofline's calibration, generated variants), shared by every
    // test and every CLI child: each calibration is paid once per run, never read from a
    // developer's ~/.cache, and profile()'s default (per-operator profile + roofline) is tested as is.
    env: { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'inferbench-test-cache-')) },
  },
});
