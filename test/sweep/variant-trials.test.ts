// Precision trials that cannot fool (issue 16), through the public profile() API on the real
// runtime: a variant that converted nothing is skipped, an unchanged file is flagged, coverage
// and the input sets behind the drift are in the report, and int8-static is cached per calibration.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { profile } from '../../src/profile.js';
import { validateReport } from '../../src/report/validate.js';
import type { TrialOk } from '../../src/types.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'inferbench-variant-trials-'));
const QUICK = { warmup: { kind: 'count', iterations: 3 }, measure: { kind: 'count', iterations: 20 }, threads: 1, sample: false } as const;

describe('precision trials', () => {
  test('a model with no quantizable weights: the int8 trial is skipped with the reason, not run as "int8"', async () => {
    const report = await profile({ model: 'fixtures/div32.onnx', precision: ['int8'], variantCacheDir: scratch(), ...QUICK });
    expect(validateReport(report)).toEqual({ valid: true });
    const [trial] = report.trials;
    expect(trial?.status).toBe('skipped');
    expect(trial?.status === 'skipped' && trial.reason).toMatch(/^no quantizable weights: /);
  });

  test('an unchanged "variant" (the fp32 file itself) gets a variant-identical warning, not a perfect score', async () => {
    const report = await profile({ model: 'fixtures/mlp.onnx', precision: ['int8'], variants: { int8: 'fixtures/mlp.onnx' }, ...QUICK });
    const [trial] = report.trials as TrialOk[];
    expect(trial?.accuracy).toMatchObject({ identical: true, inputSets: 8, inputSource: 'synthetic inputs, seeds 42..49' });
    expect(trial?.warnings.map((w) => w.code)).toContain('variant-identical');
  });

  test('Constant-node weights: int8, fp16 and int8-static all convert them, with coverage and drift over 8 input sets', async () => {
    const report = await profile({ model: 'fixtures/constweights.onnx', precision: ['fp32', 'fp16', 'int8', 'int8-static'], variantCacheDir: scratch(), ...QUICK });
    expect(validateReport(report)).toEqual({ valid: true });
    const [, fp16, int8, qdq] = report.trials as TrialOk[];
    for (const t of [fp16, int8, qdq]) {
      expect(t?.status).toBe('ok');
      expect(t?.variant?.coverage?.foldedConstants).toBe(8);
      expect(t?.accuracy?.identical).toBe(false);
      expect(t?.accuracy?.inputSets).toBe(8);
      expect(t?.warnings.map((w) => w.code)).not.toContain('variant-identical');
    }
    expect(int8?.variant?.coverage?.ops).toEqual([{ opType: 'Conv', eligible: 2, converted: 2 }, { opType: 'MatMul', eligible: 1, converted: 1 }]);
    expect(qdq?.variant?.calibration).toEqual({ inputSets: 16, source: 'synthetic inputs, seeds 1042..1057', synthetic: true });
    expect(qdq?.warnings.map((w) => w.code)).toContain('synthetic-calibration');
  });

  test('int8-static on the CNN: drift within bound, cached per calibration set (QLinear kernels: test/variants/quantize-static.test.ts)', async () => {
    const cache = scratch();
    const options = { model: 'fixtures/cnn.onnx', variantCacheDir: cache, ...QUICK };
    const [first] = (await profile({ ...options, precision: ['int8-static'] })).trials as TrialOk[];
    expect(first?.accuracy?.overall.cosineSimilarity).toBeGreaterThan(0.998);
    const [again] = (await profile({ ...options, precision: ['int8-static'] })).trials as TrialOk[];
    expect(again?.variant?.path).toBe(first?.variant?.path);
    const [otherSeed] = (await profile({ ...options, precision: ['int8-static'], seed: 7 })).trials as TrialOk[];
    expect(otherSeed?.variant?.path).not.toBe(first?.variant?.path);
  });
});
