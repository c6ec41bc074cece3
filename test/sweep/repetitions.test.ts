import { describe, expect, test } from 'vitest';
import { profile } from '../../src/profile.js';
import { mergeRepetitions } from '../../src/sweep/repetitions.js';
import type { TrialOk, TrialResult } from '../../src/types.js';
import { sampleReport } from '../helpers/sample-report.js';

const okTrial = (): TrialOk => {
  const trial = sampleReport().trials.find((t): t is TrialOk => t.status === 'ok');
  if (!trial) throw new Error('sample report has no ok trial');
  return trial;
};

describe('mergeRepetitions', () => {
  test('counts and durations add; each repetition is kept; throughput is recomputed', () => {
    const a = okTrial();
    const b = { ...okTrial(), measure: { ...a.measure, durationMs: a.measure.durationMs * 3 } };
    const merged = mergeRepetitions([a, b]) as TrialOk;
    expect(merged.repetitions).toHaveLength(2);
    expect(merged.stages.inference.count).toBe(a.stages.inference.count * 2);
    expect(merged.measure.iterations).toBe(a.measure.iterations * 2);
    expect(merged.throughput.inferencesPerSec).toBeCloseTo((a.measure.iterations * 2 * 1000) / (a.measure.durationMs * 4), 6);
  });

  test('a configuration whose p50 moves between repetitions is flagged unstable', () => {
    const a = okTrial();
    const slow = { ...okTrial(), stages: { ...a.stages, inference: { ...a.stages.inference, p50Ms: a.stages.inference.p50Ms * 1.5 } } };
    const merged = mergeRepetitions([a, slow]) as TrialOk;
    expect(merged.warnings.map((w) => w.code)).toContain('unstable');
  });

  test('sample-count warnings describe the merged numbers, not one repetition', () => {
    // 500 samples each: p99 (needs 662) is untrustworthy per repetition, trustworthy merged.
    const rep = (): TrialOk => {
      const t = okTrial();
      const few = { code: 'few-samples' as const, message: 'only 500 samples: p99 needs 662' };
      return { ...t, stages: { ...t.stages, inference: { ...t.stages.inference, count: 500, insufficient: ['p99', 'p999'] } }, warnings: [few, { code: 'drift', message: 'drifted' }] };
    };
    const merged = mergeRepetitions([rep(), rep()]) as TrialOk;
    expect(merged.stages.inference.count).toBe(1000);
    const codes = merged.warnings.map((w) => w.code);
    expect(merged.stages.inference.insufficient).not.toContain('p99');
    expect(merged.warnings.find((w) => w.code === 'few-samples')?.message ?? '').not.toContain('p99 needs');
    expect(codes).toContain('drift'); // a per-run finding stays
  });

  test('failed repetitions are said; all failed keeps the failure', () => {
    const failure: TrialResult = { status: 'failed', spec: okTrial().spec, phase: 'measure', error: { code: 'runtime-error', message: 'boom' } };
    const merged = mergeRepetitions([okTrial(), failure]) as TrialOk;
    expect(merged.warnings.find((w) => w.code === 'repetitions-failed')?.message).toContain('1 of 2 repetitions did not run');
    expect(mergeRepetitions([failure, failure])).toBe(failure);
  });
});

test('profile --repeat interleaves: every trial once, then every trial again', async () => {
  const order: string[] = [];
  const report = await profile(
    { model: 'fixtures/mlp.onnx', batch: [1, 2], repeat: 2, sample: false, threads: 1, warmup: { kind: 'count', iterations: 3 }, measure: { kind: 'count', iterations: 20 } },
    { onTrialStart: (spec, index, total) => order.push(`${index + 1}/${total} b${spec.batch}`) },
  );
  expect(order).toEqual(['1/4 b1', '2/4 b2', '3/4 b1', '4/4 b2']);
  expect(report.trials).toHaveLength(2);
  for (const trial of report.trials as TrialOk[]) {
    expect(trial.repetitions).toHaveLength(2);
    expect(trial.stages.total.count).toBe(40);
  }
});
