// Large outputs: the wall-time accounting, the memory accounting on the 4 MiB-output fixture, and
// each --outputs handling on the real onnxruntime-node. No wall-clock numbers are asserted: only
// identities (wall = stages + harness + unaccounted, throughput = requests ÷ wall) and counts
// that follow from the model (4 MiB of outputs per request is at least some fresh pages).
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { accountingWarnings, UNACCOUNTED_WARNING_SHARE, wallAccounting } from '../../src/measure/accounting.js';
import { attributeFaults, bytesOfOutputs } from '../../src/measure/fault-attribution.js';
import { profile, type ProfileOptions } from '../../src/profile.js';
import { validateReport } from '../../src/report/validate.js';
import { renderConsole } from '../../src/report/console.js';
import type { OutputHandling, Report, TrialOk } from '../../src/types.js';
import { rejection } from '../helpers/errors.js';

/** Minor page faults of a fresh process's first run of the 4 MiB-output fixture (printed). */
const FIRST_RUN_FAULTS = `
import ort from 'onnxruntime-node';
const s = await ort.InferenceSession.create('fixtures/expand4m.onnx', { intraOpNumThreads: 1 });
const feeds = { x: new ort.Tensor('float32', new Float32Array(1024), [1, 1024]) };
const before = process.resourceUsage().minorPageFault;
const out = await s.run(feeds);
process.stdout.write(String(process.resourceUsage().minorPageFault - before + out.y.data.length * 0));
`;

const FOUR_MIB = 4 * 1024 * 1024;
const quick = (model: string, extra: Partial<ProfileOptions> = {}): ProfileOptions => ({
  model: `fixtures/${model}`,
  threads: 1,
  sample: false,
  warmup: { kind: 'count', iterations: 3 },
  measure: { kind: 'count', iterations: 20 },
  ...extra,
});
const okTrials = (report: Report): TrialOk[] => report.trials.map((t) => {
  if (t.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(t)}`);
  return t;
});

describe('wallAccounting (pure)', () => {
  test('wall = timed stages + harness + unaccounted; per stream under concurrency', () => {
    const a = wallAccounting({ iterations: 100, durationMs: 500 }, { meanMs: 3 }, { perIterationUs: 1000 });
    expect(a).toEqual({ wallPerIterationMs: 5, timedPerIterationMs: 3, harnessPerIterationMs: 1, unaccountedPerIterationMs: 1, unaccountedShare: 0.2 });
    expect(wallAccounting({ iterations: 100, durationMs: 500 }, { meanMs: 3 }, { perIterationUs: 0 }, 2).wallPerIterationMs).toBe(10);
    expect(wallAccounting({ iterations: 0, durationMs: 0 }, { meanMs: 0 }, { perIterationUs: 0 })).toMatchObject({ wallPerIterationMs: 0, unaccountedShare: 0 });
  });

  test('a large remainder is a warning that names its likely causes; a small one is not', () => {
    const big = wallAccounting({ iterations: 10, durationMs: 100 }, { meanMs: 5 }, { perIterationUs: 0 });
    expect(big.unaccountedShare).toBeGreaterThan(UNACCOUNTED_WARNING_SHARE);
    const [warning] = accountingWarnings(big);
    expect(warning?.code).toBe('unaccounted-time');
    expect(warning?.message).toContain('GC');
    expect(accountingWarnings(wallAccounting({ iterations: 10, durationMs: 100 }, { meanMs: 9.5 }, { perIterationUs: 0 }))).toEqual([]);
  });
});

describe('the 4 MiB-output fixture through profile()', () => {
  test('accounting and memory are in the report, consistent, schema-valid and printed', async () => {
    const report = await profile(quick('expand4m.onnx'));
    expect(validateReport(report)).toEqual({ valid: true });
    const [trial] = okTrials(report);
    const { accounting: a, memory: m, measure } = trial!;
    if (!a || !m) throw new Error('accounting and memory must be present');
    // Identities, not timings.
    expect(a.wallPerIterationMs).toBeCloseTo(measure.durationMs / measure.iterations, 9);
    expect(a.timedPerIterationMs).toBe(trial!.stages.total.meanMs);
    expect(a.wallPerIterationMs).toBeCloseTo(a.timedPerIterationMs + a.harnessPerIterationMs + a.unaccountedPerIterationMs, 9);
    expect(trial!.throughput.inferencesPerSec).toBeCloseTo(1000 / a.wallPerIterationMs, 6);
    // What follows from the model: 1024×1024 float32 per request.
    expect(m.outputs).toBe('drop');
    // The untimed pass (and the output bytes it reads) runs only when the phase faulted ≥ 8 times
    // per request, which 4 MiB of fresh output per request almost always does.
    if (m.faultsByStage) {
      expect(m.faultsByStage.iterations).toBe(20);
      expect(m.outputBytesPerIteration).toBe(FOUR_MIB);
    } else {
      expect(m.minorFaultsPerIteration).toBeLessThan(8);
      expect(m.outputBytesPerIteration).toBeNull();
    }
    expect(m.minorFaultsPerIteration).toBeGreaterThanOrEqual(0);
    expect(m.majorFaultsPerIteration).toBeGreaterThanOrEqual(0);
    expect(m.systemCpuPerIterationMs).toBeGreaterThanOrEqual(0);
    expect(m.rssStartBytes).toBeGreaterThan(0);
    expect(m.rssGrowthBytes).toBe(m.rssEndBytes - m.rssStartBytes);
    const console = renderConsole(report);
    expect(console).toMatch(/Wall time +\S+ ms per request = timed stages/);
    expect(console).toMatch(m.faultsByStage ? /Outputs +--outputs drop, 4\.00 MiB of outputs per request/ : /Outputs +--outputs drop\n/);
    expect(console).toMatch(/Memory +\S+ minor \/ \S+ major page faults per request/);
  });

  test('fault counts are plausible: a new session\'s first 4 MiB output faults, and no request faults more than its pages twice over', async () => {
    // In a fresh process the first run writes its 4 MiB output into memory never touched before
    // (a new arena chunk and a new ArrayBuffer), which must fault. In this process earlier tests
    // freed 4 MiB buffers the allocator may hand out again, resident, so the lower bound is
    // checked in a child. Later requests may be served from resident pages (the allocator
    // decides), so only an upper bound holds for them: 4 MiB is 1,024 pages of 4 KiB; ORT's
    // buffer plus the binding's copy are two of those.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', FIRST_RUN_FAULTS], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    expect(Number(child.stdout)).toBeGreaterThan(0);
    const session = await onnxAdapter.open('fixtures/expand4m.onnx', { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all', outputs: 'drop' });
    try {
      const inputs = [{ name: 'x', type: 'float32' as const, dims: [1, 1024], data: new Float32Array(1024) }];
      const first = session.collect(await session.run(session.prepare(inputs)));
      expect(bytesOfOutputs(first)).toBe(FOUR_MIB);
      const pass = await attributeFaults(session, inputs, 10);
      expect(pass.outputBytesPerIteration).toBe(FOUR_MIB);
      const { preprocess, inference, postprocess, iterations } = pass.faultsByStage;
      expect(iterations).toBe(10);
      for (const faults of [preprocess, inference, postprocess]) expect(faults).toBeGreaterThanOrEqual(0);
      expect(preprocess + inference + postprocess).toBeLessThanOrEqual(2 * 1024 + 64);
    } finally {
      await session.close();
    }
  });
});

describe('--outputs', () => {
  test('each handling runs, is reported, and gives the same output bytes; the id carries a non-default one', async () => {
    const report = await profile(quick('expand1m.onnx', { outputs: ['drop', 'dispose', 'reuse', 'fetches'] }));
    expect(validateReport(report)).toEqual({ valid: true });
    const trials = okTrials(report);
    expect(trials.map((t) => t.memory?.outputs)).toEqual(['drop', 'dispose', 'reuse', 'fetches']);
    expect(trials.map((t) => t.spec.id)).toEqual([
      'cpu fp32 batch=1 threads=1',
      'cpu fp32 batch=1 threads=1 outputs=dispose',
      'cpu fp32 batch=1 threads=1 outputs=reuse',
      'cpu fp32 batch=1 threads=1 outputs=fetches',
    ]);
    for (const t of trials) expect(t.memory?.outputBytesPerIteration).toBe(t.memory?.faultsByStage ? 1024 * 256 * 4 : null);
  });

  test.each<OutputHandling>(['dispose', 'reuse', 'fetches'])('%s returns the model\'s real outputs (x broadcast along axis 1)', async (outputs) => {
    const session = await onnxAdapter.open('fixtures/expand1m.onnx', { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all', outputs });
    try {
      const x = Float32Array.from({ length: 256 }, (_, i) => i);
      const inputs = [{ name: 'x', type: 'float32' as const, dims: [1, 256], data: x }];
      for (let i = 0; i < 3; i++) {
        const [y] = session.collect(await session.run(session.prepare(inputs)));
        expect(y?.dims).toEqual([1, 1024, 256]);
        const data = y?.data as Float32Array;
        expect([data[0], data[255], data[256 * 1023 + 7]]).toEqual([0, 255, 7]);
      }
    } finally {
      await session.close();
    }
  });

  test.each<OutputHandling>(['drop', 'dispose'])('%s: consume() (the synthetic loop\'s postprocess) handles the outputs as collect() does, building no host tensors', async (outputs) => {
    const session = await onnxAdapter.open('fixtures/expand1m.onnx', { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all', outputs });
    try {
      const inputs = [{ name: 'x', type: 'float32' as const, dims: [1, 256], data: new Float32Array(256).fill(1) }];
      const result = (await session.run(session.prepare(inputs))) as Record<string, { location: string }>;
      expect(session.consume!(result)).toBeUndefined();
      expect(result['y']!.location).toBe(outputs === 'dispose' ? 'none' : 'cpu');
    } finally {
      await session.close();
    }
  });

  test('an unknown handling is a usage error naming the choices; fetches on a TensorFlow.js model is refused', async () => {
    const bad = await rejection(profile(quick('expand1m.onnx', { outputs: 'keep' as OutputHandling })));
    expect(bad.code).toBe('usage');
    expect(bad.hint).toContain('drop, dispose, reuse, fetches');
    const tf = await rejection(profile({ ...quick('tf/mlp/model.json'), threads: null, outputs: 'fetches' }));
    expect(tf.code).toBe('usage');
    expect(tf.message).toContain('--outputs fetches needs an ONNX model');
  });
});
