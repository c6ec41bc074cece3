// A trial is assembled once from its parts. On the CNN fixture (fp32 and a generated int8
// variant, per-operator profile and roofline on) the assembled trials carry exactly the fields,
// in the order, that the old path (a measured TrialOk patched in place by run-spec.ts and
// analyse-trial.ts) wrote; assembling never writes to a part; the backend's capabilities come
// from the real adapters.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { tfAdapter } from '../../src/adapters/tf.js';
import { profile } from '../../src/profile.js';
import { validateReport } from '../../src/report/validate.js';
import { assembleTrial, type TrialMeasurement, type TrialParts } from '../../src/sweep/assemble-trial.js';
import { backendCapabilities } from '../../src/sweep/capabilities.js';
import type { Report, TrialOk, Warning } from '../../src/types.js';

/** Fields of the measured trial, in order, as run-spec.ts's measure() builds them. */
const MEASURED = ['status', 'spec', 'backend', 'inputs', 'coldStart', 'warmup', 'measure', 'stages', 'throughput', 'accounting', 'memory', 'latencyTimeline', 'peakRssBytes', 'overhead', 'warnings'];
/** What the old path appended, in order (recorded from the pre-change build on this fixture). */
const OLD_FP32 = [...MEASURED, 'utilisation', 'providers', 'opProfile', 'cost', 'roofline', 'bottleneck'];
const OLD_INT8 = [...MEASURED, 'utilisation', 'variant', 'accuracy', 'providers', 'opProfile', 'cost', 'roofline', 'bottleneck'];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A trial taken apart into the parts assembleTrial() takes. */
function partsOf(trial: TrialOk, extra: { inputWarnings?: Warning[]; variantWarnings?: Warning[]; analysisWarnings?: Warning[] } = {}): TrialParts {
  const { utilisation, variant, accuracy, providers, opProfile, cost, roofline, bottleneck, pairedSpeedUp: _p, repetitions: _r, ...measurement } = trial;
  return {
    measurement: measurement satisfies TrialMeasurement,
    inputWarnings: extra.inputWarnings ?? [],
    utilisation: utilisation ?? null,
    variant: variant ? { variant, ...(accuracy && { accuracy }), warnings: extra.variantWarnings ?? [] } : null,
    analysis: { ...(providers && { providers }), ...(opProfile && { opProfile }), ...(cost && { cost }), ...(roofline && { roofline }), bottleneck: bottleneck!, warnings: extra.analysisWarnings ?? [] },
  };
}

describe('assembled trials on fixtures/cnn.onnx', () => {
  let report: Report;
  let fp32: TrialOk;
  let int8: TrialOk;
  beforeAll(async () => {
    report = await profile({
      model: 'fixtures/cnn.onnx',
      precision: ['fp32', 'int8'],
      threads: 1,
      warmup: { kind: 'count', iterations: 3 },
      measure: { kind: 'count', iterations: 30 },
      variantCacheDir: mkdtempSync(join(tmpdir(), 'inferbench-assemble-')),
      pairedSpeedUp: false,
    });
    [fp32, int8] = report.trials as TrialOk[];
  }, 120_000);

  test('the fields the old in-place path wrote, in its order, and a schema-valid report', () => {
    expect(validateReport(report)).toEqual({ valid: true });
    expect(Object.keys(fp32)).toEqual(OLD_FP32);
    expect(Object.keys(int8)).toEqual(OLD_INT8);
    expect(fp32.providers).toEqual({ CPUExecutionProvider: 9 });
    expect(fp32.cost).toMatchObject({ flops: 63_915_264, bytes: 2_375_760, unknownOpTypes: [] });
    expect(int8.variant).toMatchObject({ source: 'generated' });
    expect(int8.accuracy).toMatchObject({ identical: false, inputSets: 8 });
    expect(int8.roofline?.calibration.gflops).toBeGreaterThan(0);
  });

  test('taken apart and assembled again: the same trial, key for key, and no part written to', () => {
    for (const trial of [fp32, int8]) {
      const parts = deepFreeze(partsOf(structuredClone(trial)));
      const again = assembleTrial(parts); // a write to a frozen part throws (ES modules are strict)
      expect(again).toEqual(trial);
      expect(JSON.stringify(again)).toBe(JSON.stringify(trial));
    }
  });

  test('warnings in the old order: inputs first, then the measurement\'s, the variant\'s, the analysis\'s', () => {
    const w = (code: Warning['code']): Warning => ({ code, message: code });
    const trial = { ...int8, warnings: [w('too-noisy')] };
    const parts = partsOf(trial, { inputWarnings: [w('guessed-shapes')], variantWarnings: [w('partial-conversion'), w('variant-identical')], analysisWarnings: [w('fallback'), w('roofline-unavailable')] });
    expect(assembleTrial(parts).warnings.map((x) => x.code)).toEqual(['guessed-shapes', 'too-noisy', 'partial-conversion', 'variant-identical', 'fallback', 'roofline-unavailable']);
  });
});

describe('backendCapabilities: asked of the real adapters', () => {
  test('ONNX Runtime on the CPU: every precision, threads settable', async () => {
    expect(await backendCapabilities(onnxAdapter, 'cpu', 2)).toEqual({ precisions: ['fp32', 'fp16', 'int8', 'int8-static'], canSetThreads: true });
  });

  test('tfjs wasm: fp32 only, one thread whatever is asked', async () => {
    expect(await backendCapabilities(tfAdapter, 'wasm', 2)).toEqual({ precisions: ['fp32'], canSetThreads: false });
  });
});
