// Calibration runs for real (small sizes keep it to a fraction of a second) and caches. Only
// that the numbers are positive and finite is asserted: never their size, which is wall-clock.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { calibrate, defaultCachePath } from '../../src/analyze/calibrate.js';
import { rejection } from '../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'inferbench-calibrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const small = { matmulSize: 64, bandwidthBytes: 1 << 20, repeats: 3, threads: 1 };

describe('calibrate', () => {
  const cachePath = join(dir, 'nested', 'calibration.json');

  it('measures positive finite peaks, then answers from the cache', async () => {
    const first = await calibrate({ ...small, cachePath });
    expect(first.fromCache).toBe(false);
    for (const value of [first.gflops, first.gbps, first.machineBalance]) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
    }
    expect(first.machineBalance).toBeCloseTo(first.gflops / first.gbps, 10);
    expect(first).toMatchObject({ device: 'cpu', threads: 1 });
    expect(first.method).toMatch(/MatMul 64×64 fp32.*Add of two 1048576-byte/);
    expect(Number.isNaN(Date.parse(first.measuredAt))).toBe(false);

    const second = await calibrate({ ...small, cachePath });
    expect(second.fromCache).toBe(true);
    const { fromCache: _a, ...a } = first;
    const { fromCache: _b, ...b } = second;
    expect(b).toEqual(a);

    const file = JSON.parse(readFileSync(cachePath, 'utf8')) as { version: number; entries: Record<string, unknown> };
    expect(file.version).toBe(1);
    expect(Object.keys(file.entries)).toEqual([first.fingerprint]);
    expect(first.fingerprint).toContain('threads=1');
  });

  it('keys the cache by threads and sizes, and refresh re-measures', async () => {
    const other = await calibrate({ ...small, threads: 2, cachePath });
    expect(other.fromCache).toBe(false);
    const refreshed = await calibrate({ ...small, cachePath, refresh: true });
    expect(refreshed.fromCache).toBe(false);
    const file = JSON.parse(readFileSync(cachePath, 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(file.entries)).toHaveLength(2);
  });

  it('treats a corrupt cache as empty', async () => {
    const corrupt = join(dir, 'corrupt.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(corrupt, '{ not json');
    expect((await calibrate({ ...small, cachePath: corrupt })).fromCache).toBe(false);
  });

  it('refuses devices it cannot calibrate yet', async () => {
    const error = await rejection(calibrate({ ...small, device: 'cuda', cachePath }));
    expect(error.code).toBe('device-unavailable');
  });

  it('caches under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCachePath({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/inferbench/calibration.json');
    expect(defaultCachePath({})).toMatch(/\.cache\/inferbench\/calibration\.json$/);
  });
});
