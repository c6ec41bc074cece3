// --data through profile(), checked from the inside: a probe pipeline records what each iteration
// was handed, so these tests show (not assume) that
//   - every iteration reads its items from disk inside the timed `load` stage (a fresh buffer per
//     read), and decodes them inside `preprocess`;
//   - --data-cache reads and decodes each item once, before timing, so `load` is a memory lookup;
//   - batches cycle through a dataset smaller than the batch, continuing across phases and trials.
// The timing claim uses 8 MiB items: a readFile of one costs milliseconds even from the page
// cache, a cache hit microseconds — orders of magnitude apart, so the check is not flaky.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { profile, type ProfileOptions } from '../../src/profile.js';
import type { TrialOk, TrialResult } from '../../src/types.js';

interface Probe {
  /** item.index of every decode, in call order. */
  decoded: number[];
  /** Every distinct bytes buffer decode was given. */
  buffers: Set<Uint8Array>;
  /** Items per preprocess call. */
  batches: number[];
}
const g = globalThis as { __inferbenchProbe?: Probe };
const reset = (): Probe => (g.__inferbenchProbe = { decoded: [], buffers: new Set(), batches: [] });

const dir = mkdtempSync(join(tmpdir(), 'inferbench-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ITEM_BYTES = 8 * 1024 * 1024;
for (let i = 0; i < 3; i++) {
  const path = join(dir, `data-${i}.bin`);
  writeFileSync(path, new Uint8Array(ITEM_BYTES).fill(i + 1));
}
// three items: data-0.bin, data-1.bin, data-2.bin (a glob over the scratch directory)
const GLOB = join(dir, 'data-*.bin');
const MODULE = join(dir, 'probe.mjs');
writeFileSync(
  MODULE,
  `const probe = () => globalThis.__inferbenchProbe;
export default {
  name: 'probe',
  extensions: ['.bin'],
  decode(item) {
    probe().decoded.push(item.index);
    probe().buffers.add(item.bytes);
    if (item.bytes.length !== ${ITEM_BYTES} || item.bytes[0] !== item.index + 1) throw new Error('wrong bytes for item ' + item.index);
    return item.bytes[0];
  },
  preprocess(values, ctx) {
    probe().batches.push(values.length);
    const data = new Float32Array(values.length * 64);
    values.forEach((v, i) => data.fill(v, i * 64, (i + 1) * 64));
    return [{ name: 'x', type: 'float32', dims: [values.length, 64], data }];
  },
};
`,
);

const QUICK: Partial<ProfileOptions> = { threads: 1, sample: false, opProfile: false, warmup: { kind: 'count', iterations: 3 }, measure: { kind: 'count', iterations: 20 } };
const run = (options: Partial<ProfileOptions>) => profile({ model: 'fixtures/mlp.onnx', data: GLOB, pipeline: MODULE, ...QUICK, ...options } as ProfileOptions);

function ok(trial: TrialResult | undefined): TrialOk {
  if (trial?.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(trial)}`);
  return trial;
}

describe('--data through profile(), observed by a probe pipeline', () => {
  test('without --data-cache every iteration reads fresh bytes in load and decodes them in preprocess', async () => {
    const probe = reset();
    const trial = ok((await run({})).trials[0]);
    const load = trial.stages.load!;
    expect(load.count).toBe(20);
    // one decode per item per iteration, each on a buffer of its own: nothing was read ahead of the loop
    expect(probe.decoded.length).toBeGreaterThanOrEqual(20 + 3);
    expect(probe.buffers.size).toBe(probe.decoded.length);
    expect(probe.batches.length).toBe(probe.decoded.length);
    // batch 1 over 3 items: 0, 1, 2, 0, 1, 2, ... continuing from the cold iteration through warm-up and measurement
    expect(probe.decoded).toEqual(probe.decoded.map((_, i) => i % 3));
    // reading 8 MiB is real work inside the timed load stage
    expect(load.p50Ms).toBeGreaterThan(0.2);
    expect(trial.inputs[0]?.source).toBe(`probe pipeline on 3 files from ${GLOB} (.bin)`);
  });

  test('--data-cache: each item is read and decoded once, before timing; load becomes a memory lookup', async () => {
    const uncached = ok((await run({})).trials[0]).stages.load!;
    const probe = reset();
    const trial = ok((await run({ dataCache: true })).trials[0]);
    expect(trial.stages.load!.count).toBe(20);
    expect(probe.decoded).toEqual([0, 1, 2]); // warmCache, untimed
    expect(probe.buffers.size).toBe(3);
    expect(probe.batches.length).toBeGreaterThanOrEqual(20 + 3); // preprocess still runs every iteration
    expect(trial.inputs[0]?.source).toMatch(/, cached in memory$/);
    // I/O is out of load: a cache hit is orders of magnitude cheaper than an 8 MiB read
    expect(trial.stages.load!.p50Ms * 10).toBeLessThan(uncached.p50Ms);
  });

  test('a batch sweep larger than the dataset cycles through it: --batch 1,4 over 3 items', async () => {
    const probe = reset();
    const report = await run({ batch: [1, 4], pairedSpeedUp: false }); // the paired speed-up pass would read the data again
    const [one, four] = report.trials.map(ok);
    expect(one!.inputs[0]?.dims).toEqual([1, 64]);
    expect(four!.inputs[0]?.dims).toEqual([4, 64]);
    expect(four!.stages.load!.count).toBe(20);
    // trial 2 starts its own pass over the data at item 0: 0 1 2 0 | 1 2 0 1 | 2 0 1 2 | ...
    const start = probe.batches.indexOf(4);
    expect(probe.batches.slice(start).every((n) => n === 4)).toBe(true);
    const second = probe.decoded.slice(probe.batches.slice(0, start).reduce((a, b) => a + b, 0));
    expect(second.length).toBe(4 * (probe.batches.length - start));
    expect(second).toEqual(second.map((_, i) => i % 3));
  });
});
