import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectEnvironment, readPeakRssBytes, resetPeakRss } from '../../src/sample/machine.js';
import { parseGpuIdentityCsv, queryGpus } from '../../src/sample/nvidia-smi.js';

describe('GPU identity from nvidia-smi', () => {
  test('parses recorded --query-gpu CSV', () => {
    expect(parseGpuIdentityCsv(readFileSync('test/data/nvidia-smi-identity.csv', 'utf8'))).toEqual([
      { index: 0, name: 'NVIDIA H100 80GB HBM3', driver: '550.90.07', memoryBytes: 81559 * 1024 * 1024 },
      { index: 1, name: 'NVIDIA A10G', driver: '535.183.01', memoryBytes: 23028 * 1024 * 1024 },
    ]);
  });

  test('no nvidia-smi is an answer with a reason, not a crash', async () => {
    expect(await queryGpus('/nonexistent/nvidia-smi')).toEqual({ gpus: [], note: 'nvidia-smi not found: no NVIDIA driver on this machine' });
  });

  test('a failing nvidia-smi (driver not loaded) reports its message', async () => {
    const fake = join(mkdtempSync(join(tmpdir(), 'smi-')), 'nvidia-smi');
    writeFileSync(fake, "#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.' >&2\nexit 9\n");
    chmodSync(fake, 0o755);
    const result = await queryGpus(fake);
    expect(result.gpus).toEqual([]);
    expect('note' in result && result.note).toContain('could not communicate with the NVIDIA driver');
  });
});

describe('environment fingerprint', () => {
  test('names the CPU, memory, OS, Node and the runtimes given', async () => {
    const env = await collectEnvironment([{ name: 'onnxruntime', version: '1.2.3', executionProviders: ['cpu'] }]);
    expect(env.cpu.logicalCores).toBeGreaterThan(0);
    expect(env.memoryBytes).toBeGreaterThan(0);
    expect(env.node).toBe(process.versions.node);
    expect(env.os.kernel).toBeTruthy();
    expect(env.runtimes).toEqual([{ name: 'onnxruntime', version: '1.2.3', executionProviders: ['cpu'] }]);
    if (env.gpus.length === 0) expect(env.gpuNote).toBeTruthy();
  });
});

describe('peak RSS', () => {
  test.runIf(process.platform === 'linux')('a reset brings the high-water mark to the current RSS; touching memory raises it', () => {
    expect(resetPeakRss()).toBe(true);
    const afterReset = readPeakRssBytes();
    expect(Math.abs(afterReset - process.memoryUsage.rss())).toBeLessThan(16 * 1024 * 1024);
    const big = Buffer.alloc(64 * 1024 * 1024, 1); // touched, so resident
    const rss = process.memoryUsage.rss();
    // The high-water mark covers what is resident now. Against the reading after the reset it
    // rose by less than 64 MiB once in CI (59.5): memory freed in between (a GC) lowers the base.
    expect(readPeakRssBytes()).toBeGreaterThanOrEqual(rss - 4 * 1024 * 1024);
    expect(readPeakRssBytes() - afterReset).toBeGreaterThanOrEqual(32 * 1024 * 1024);
    expect(big[0]).toBe(1);
  });
});
