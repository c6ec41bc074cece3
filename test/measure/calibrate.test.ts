// Calibration runs for real (small sizes keep it to a fraction of a second) and caches. Only
// that the numbers are positive and finite is asserted: never their size, which is wall-clock.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { calibrate, defaultCachePath } from '../../src/measure/calibrate.js';
import { addKernel, chainModel, matMulKernel } from '../../src/measure/calibrate-kernels.js';
import { rejection } from '../helpers/errors.js';

const { onnx } = onnxProto;
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
    expect(first.method).toMatch(/8 chained MatMul 64×64 fp32.*8 chained Add on a resident 1048576-byte/);
    expect(Number.isNaN(Date.parse(first.measuredAt))).toBe(false);

    const second = await calibrate({ ...small, cachePath });
    expect(second.fromCache).toBe(true);
    const { fromCache: _a, ...a } = first;
    const { fromCache: _b, ...b } = second;
    expect(b).toEqual(a);

    const file = JSON.parse(readFileSync(cachePath, 'utf8')) as { version: number; entries: Record<string, unknown> };
    expect(file.version).toBe(2);
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

  it('refuses a device that is not there, with the reason', async () => {
    const error = await rejection(calibrate({ ...small, device: 'cuda', cachePath }));
    expect(error.code).toBe('device-unavailable');
    expect(error.message).toMatch(/^cannot calibrate device cuda: /);
  });

  it('the kernels do the work they are credited with: the checked result and the exact work', async () => {
    const kernel = { provider: 'cpu', chain: 3, threads: 1, repeats: 2 };
    const mm = await matMulKernel(32, kernel);
    expect(mm.work).toBe(3 * 2 * 32 ** 3);
    const add = await addKernel(4096, kernel);
    expect(add.work).toBe((3 * 3 + 3) * 4096); // Mul 2×, 3 Adds 3× each, ReduceMax 1× the vector
    for (const r of [mm, add]) expect(r.bestSeconds).toBeGreaterThan(0);
    // The chain model itself: Mul, K ops, a max, one initializer, one scalar input.
    const decoded = onnx.ModelProto.decode(chainModel('Add', [1024], 0.5, 3));
    expect(decoded.graph?.node?.map((n) => n.opType)).toEqual(['Mul', 'Add', 'Add', 'Add', 'ReduceMax']);
    expect(decoded.graph?.initializer?.[0]?.dims?.map(Number)).toEqual([1024]);
  });

  it('caches under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCachePath({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/inferbench/calibration.json');
    expect(defaultCachePath({})).toMatch(/\.cache\/inferbench\/calibration\.json$/);
  });
});
