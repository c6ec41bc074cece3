// Sweeps and per-trial analysis through the public profile() API, on the real runtime.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { profile, plan } from '../../src/profile.js';
import { validateReport } from '../../src/report/validate.js';
import type { TrialOk } from '../../src/types.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'inferbench-sweep-'));
const QUICK = { warmup: { kind: 'count', iterations: 5 }, measure: { kind: 'count', iterations: 40 }, threads: 1, opProfile: false } as const;

describe('precision sweep', () => {
  test('fp16 and int8 variants are generated, cached, run, and compared with fp32', async () => {
    const cache = scratch();
    const report = await profile({ model: 'fixtures/mlp.onnx', precision: ['fp32', 'fp16', 'int8'], batch: [1, 4], variantCacheDir: cache, sample: false, ...QUICK });
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.trials.map((t) => [t.spec.precision, t.spec.batch, t.status])).toEqual([
      ['fp32', 1, 'ok'], ['fp32', 4, 'ok'], ['fp16', 1, 'ok'], ['fp16', 4, 'ok'], ['int8', 1, 'ok'], ['int8', 4, 'ok'],
    ]);
    const [fp32, , fp16, , int8] = report.trials as TrialOk[];
    expect(fp32?.accuracy).toBeUndefined();
    expect(fp16?.variant).toMatchObject({ source: 'generated', provenance: { from: report.model.sha256 } });
    expect(fp16?.variant?.path.startsWith(cache)).toBe(true);
    // Tolerances measured on the fixtures (test/variants/tolerances.ts has the per-fixture ones).
    expect(fp16?.accuracy?.overall.cosineSimilarity).toBeGreaterThan(0.9999);
    expect(int8?.accuracy?.overall.cosineSimilarity).toBeGreaterThan(0.99);
    expect(int8?.accuracy?.overall.top1Agreement).not.toBeNull();
  });

  test('a user-named variant file is used as given', async () => {
    const report = await profile({ model: 'fixtures/mlp.onnx', precision: 'int8', variants: { int8: 'fixtures/mlp.onnx' }, sample: false, ...QUICK });
    const [trial] = report.trials as TrialOk[];
    expect(trial?.variant).toEqual({ path: 'fixtures/mlp.onnx', source: 'user' });
    expect(trial?.accuracy?.overall.maxAbsError).toBe(0); // the "variant" is the fp32 model itself
  });
});

describe('plan', () => {
  test('dry-run planning needs no runtime and lists the product of the axes', () => {
    const specs = plan({ model: 'fixtures/cnn.onnx', batch: [1, 2, 4], precision: ['fp32', 'int8'], device: ['cpu', 'cuda'] });
    expect(specs).toHaveLength(12);
  });
});

describe('analysis of a trial', () => {
  test('utilisation is sampled during the measure phase and the trial is classified', async () => {
    const report = await profile({ model: 'fixtures/cnn.onnx', sampleIntervalMs: 20, ...QUICK, measure: { kind: 'time', ms: 400 } });
    const [trial] = report.trials as TrialOk[];
    expect(trial?.utilisation?.sampleCount).toBeGreaterThanOrEqual(3);
    expect(trial?.utilisation?.cpuTotalPct?.mean).toBeGreaterThan(0);
    expect(trial?.bottleneck?.label).toMatch(/^(cpu-bound|memory-bound|inconclusive)$/);
    expect(trial?.bottleneck?.summary).toBeTruthy();
    expect(report.samples?.samples.some((s) => s.phase === 'measure' && s.trial === trial?.spec.id)).toBe(true);
    expect(validateReport(report)).toEqual({ valid: true });
  });

  test('--op-profile gives the per-operator table, providers, FLOPs and a roofline position', async () => {
    const report = await profile({ model: 'fixtures/cnn.onnx', sample: false, ...QUICK, opProfile: true });
    const [trial] = report.trials as TrialOk[];
    expect(trial?.providers).toEqual({ CPUExecutionProvider: expect.any(Number) });
    expect(trial?.opProfile?.nodes.length).toBeGreaterThan(3);
    expect(trial?.opProfile?.byOpType.map((o) => o.opType)).toEqual(expect.arrayContaining([expect.stringMatching(/Conv/)]));
    // 3×3 convs 3→32 @64², 32→64 @32², 64→64 @16² and the Gemm: 63,915,264 FLOPs at batch 1.
    expect(trial?.cost?.flops).toBeCloseTo(63_915_264, -5);
    expect(trial?.roofline?.calibration.gflops).toBeGreaterThan(0);
    expect(['compute', 'memory']).toContain(trial?.roofline?.bound);
    expect(validateReport(report)).toEqual({ valid: true });
  });
});
