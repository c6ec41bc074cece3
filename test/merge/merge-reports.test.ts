import { describe, expect, test } from 'vitest';
import { mergeModelReports, type MergeInput } from '../../src/merge/merge-reports.js';
import type { Report, TrialOk } from '../../src/types.js';
import { error } from '../helpers/errors.js';
import { shardReport, wholeReport } from './reports.js';

const inputs = (reports: Report[]): MergeInput[] => reports.map((report, i) => ({ report, source: `s${i + 1}.json` }));
const strip = (t: Report['trials'][number]): unknown => {
  const { parts: _parts, ...rest } = t as TrialOk;
  return rest;
};

describe('shards merged into one sweep report', () => {
  test.each([1, 2, 3, 4, 7, 12])('%i shards give the unsharded report\'s trials, ids and order', (n) => {
    const whole = wholeReport();
    const shards = Array.from({ length: n }, (_, i) => shardReport(i + 1, n));
    // Given in any order: the plan orders the trials.
    const { report, warnings } = mergeModelReports(inputs([...shards].reverse()));
    expect(warnings).toEqual([]);
    expect(report.trials.map((t) => t.spec.id)).toEqual(whole.trials.map((t) => t.spec.id));
    expect(report.trials.map(strip)).toEqual(whole.trials.map(strip));
    expect(report.interrupted).toBeUndefined();
    expect(report.shard).toBeUndefined();
    expect(report.options.shard).toBeUndefined();
    expect(report.command.argv).toEqual(['inferbench', 'profile', 'fixtures/cnn.onnx', '-n', '200']);
    expect(report.merge?.parts).toHaveLength(n);
    expect(report.merge?.mixedMachines).toBe(false);
    expect(report.startedAt).toBe('2026-12-04T10:01:00.000Z');
    for (const t of report.trials as TrialOk[]) expect(t.parts).toHaveLength(1);
  });

  test('a missing shard: the merged report is incomplete and names the shard and its trials', () => {
    const { report } = mergeModelReports(inputs([shardReport(1, 3), shardReport(3, 3)]));
    expect(report.interrupted).toBe(true);
    expect(report.merge?.incomplete).toEqual({ missing: ['cpu fp32 batch=2 threads=1', 'cpu fp32 batch=16 threads=1', 'cpu int8 batch=4 threads=1'], shards: ['2/3 (no report)'] });
  });

  test('an interrupted shard is merged, and the report says which shard stopped short', () => {
    const cut = shardReport(2, 3);
    const interrupted = { ...cut, trials: cut.trials.slice(0, 1), interrupted: true };
    const { report } = mergeModelReports(inputs([shardReport(1, 3), interrupted, shardReport(3, 3)]));
    expect(report.trials).toHaveLength(8);
    expect(report.merge?.incomplete?.shards).toEqual(['2/3 (interrupted: s2.json)']);
    expect(report.merge?.incomplete?.missing).toEqual(['cpu fp32 batch=16 threads=1', 'cpu int8 batch=4 threads=1']);
  });

  test('the same shard twice: its trials are merged as repeated measurements, with a warning', () => {
    const { report, warnings } = mergeModelReports(inputs([shardReport(1, 2), shardReport(2, 2), shardReport(1, 2, undefined, { startedAt: '2026-12-04T11:00:00.000Z' })]));
    expect(warnings).toEqual(['shard 1/2 is in both s1.json and s3.json: its trials are merged as repeated measurements']);
    const first = report.trials[0] as TrialOk;
    expect(first.stages.total.count).toBe(400);
    expect(first.parts?.map((p) => p.source)).toEqual(['s1.json', 's3.json']);
  });

  test('unsharded reports of different sweeps are collected; their axes joined', () => {
    const a = wholeReport({ devices: ['cpu'], precisions: ['fp32'], threads: [1], batches: [1, 2] });
    const b = wholeReport({ devices: ['cpu'], precisions: ['fp32'], threads: [1], batches: [2, 8] });
    const { report } = mergeModelReports(inputs([a, b]));
    expect(report.trials.map((t) => t.spec.id)).toEqual(['cpu fp32 batch=1 threads=1', 'cpu fp32 batch=2 threads=1', 'cpu fp32 batch=8 threads=1']);
    expect((report.trials[1] as TrialOk).stages.total.count).toBe(400);
    expect(report.options.batches).toEqual([1, 2, 8]);
  });

  test('a speed-up paired with the planned baseline names the id the baseline ran under (batch=model → batch=1)', () => {
    const planned = 'cpu fp32 batch=model threads=1';
    const fix = (r: Report): Report => ({ ...r, shard: { ...r.shard!, plan: r.shard!.plan.map((id, j) => (j === 0 ? planned : id)) } });
    const second = fix(shardReport(2, 2));
    const t = second.trials[0] as TrialOk;
    second.trials[0] = { ...t, pairedSpeedUp: { vsTrial: planned, ratio: 1.5, ci: [1.4, 1.6], level: 0.95, blocks: 10, iterationsPerBlock: 5, durationMs: 100 } as TrialOk['pairedSpeedUp'] };
    const { report } = mergeModelReports(inputs([fix(shardReport(1, 2)), second]));
    expect(report.trials[0]!.spec.id).toBe('cpu fp32 batch=1 threads=1');
    expect((report.trials[1] as TrialOk).pairedSpeedUp?.vsTrial).toBe('cpu fp32 batch=1 threads=1');
  });

  test('sections a merge does not know are kept when the parts agree, left out with a warning when not', () => {
    const a = { ...shardReport(1, 2), knee: [{ x: 1 }] } as unknown as Report;
    const b = { ...shardReport(2, 2), knee: [{ x: 2 }] } as unknown as Report;
    const { report, warnings } = mergeModelReports(inputs([a, b]));
    expect((report as unknown as Record<string, unknown>).knee).toBeUndefined();
    expect(warnings).toEqual(["'knee' differs between the reports (each measured its own) and is left out of the merged report; it is in each part"]);
    const same = mergeModelReports(inputs([a, { ...b, knee: [{ x: 1 }] } as unknown as Report])).report as unknown as Record<string, unknown>;
    expect(same.knee).toEqual([{ x: 1 }]);
  });
});

describe('merges that are refused, with what differs', () => {
  const refused = (reports: Report[]): string => {
    const e = error(() => mergeModelReports(inputs(reports)));
    expect(e.exitCode).toBe(2);
    return e.message;
  };

  test('another model under the same name (sha256)', () => {
    const other = shardReport(2, 2);
    expect(refused([shardReport(1, 2), { ...other, model: { ...other.model, sha256: 'ab'.repeat(32) } }])).toBe(
      's1.json and s2.json measured different models under one name (sha256 9f2c4a1be07d… vs abababababab…): their trials would mix two models',
    );
  });

  test('other measurement settings', () => {
    const other = shardReport(2, 2);
    expect(refused([shardReport(1, 2), { ...other, options: { ...other.options, measure: { kind: 'count', iterations: 500 } } }])).toBe(
      's1.json and s2.json were measured with different settings: measure: {"kind":"count","iterations":200} vs {"kind":"count","iterations":500}',
    );
  });

  test('different settings for the same trial id', () => {
    const a = wholeReport();
    const b = wholeReport();
    const t = b.trials[0]!;
    const changed = { ...b, trials: [{ ...t, spec: { ...t.spec, graphOptimization: 'basic' as const } }] };
    expect(refused([a, changed])).toBe("trial 'cpu fp32 batch=1 threads=1' has different settings in s1.json and s2.json: graphOptimization \"all\" vs \"basic\"");
  });

  test('shards of different plans', () => {
    const other = shardReport(2, 2, { devices: ['cpu'], precisions: ['fp32'], threads: [1], batches: [1, 2, 4] });
    expect(refused([shardReport(1, 2), { ...other, options: shardReport(2, 2).options }])).toContain('s1.json and s2.json are shards of different plans (');
  });

  test('different machines, unless allowed; then each trial names its machine', () => {
    const other = shardReport(2, 2);
    const elsewhere = { ...other, environment: { ...other.environment, hostname: 'bench-02', cpu: { ...other.environment.cpu, model: 'Intel Xeon 8370C' } } };
    expect(refused([shardReport(1, 2), elsewhere])).toBe('s1.json and s2.json were measured on different machines (cpu: AMD EPYC 7B13 vs Intel Xeon 8370C)');
    const { report } = mergeModelReports(inputs([shardReport(1, 2), elsewhere]), { allowMixedMachines: true });
    expect(report.merge?.mixedMachines).toBe(true);
    expect(report.merge?.machines).toEqual(['bench-01 (AMD EPYC 7B13, 16 cores)', 'bench-02 (Intel Xeon 8370C, 16 cores)']);
    expect((report.trials[1] as TrialOk).parts?.[0]?.machine).toBe('bench-02 (Intel Xeon 8370C, 16 cores)');
  });

  test('another hostname with the same hardware and software is the same machine (CI runners)', () => {
    const other = shardReport(2, 2);
    const { report } = mergeModelReports(inputs([shardReport(1, 2), { ...other, environment: { ...other.environment, hostname: 'runner-7', cpu: { ...other.environment.cpu, speedMHz: 3000 } } }]));
    expect(report.merge?.mixedMachines).toBe(false);
  });

  test('a shard report holding more trials than its part', () => {
    const s = shardReport(1, 3);
    expect(refused([{ ...s, trials: wholeReport().trials }])).toBe('s1.json is shard 1/3 of 10 trials, which has 4, but holds 10');
  });
});
