import { describe, expect, test } from 'vitest';
import { configKey, matchReports } from '../../src/compare/match.js';
import { osName } from '../../src/report/facts.js';
import { stabilityLine } from '../../src/compare/rows.js';
import { caveats, compareReports, notes } from '../../src/compare/verdict.js';
import { sampleReport } from '../helpers/sample-report.js';
import { okTrial, reportOf } from './reports.js';

describe('matching', () => {
  test('a report against itself pairs every trial, on the same machine and version', () => {
    const m = matchReports(sampleReport(), sampleReport());
    expect(m.pairs).toHaveLength(3);
    expect(m.baseOnly).toEqual([]);
    expect(m.headOnly).toEqual([]);
    expect(m.environment).toEqual([]);
    expect(m.toolVersions).toBeNull();
  });

  test('pairs by configuration, not by order, and lists trials present on one side only', () => {
    const t1 = okTrial({ inferenceUs: 500, seed: 1, spec: { threads: 1 } });
    const t4 = okTrial({ inferenceUs: 300, seed: 2, spec: { threads: 4 } });
    const b8 = okTrial({ inferenceUs: 900, seed: 3, spec: { batch: 8 } });
    const m = matchReports(reportOf([t1, t4]), reportOf([b8, t4, t1]));
    expect(m.pairs.map((p) => p.head.spec.threads)).toEqual([4, 1]);
    expect(m.headOnly.map((t) => t.key)).toEqual([configKey('resnet_tiny.onnx', b8.spec)]);
    expect(m.baseOnly).toEqual([]);
    const reverse = matchReports(reportOf([b8, t4, t1]), reportOf([t1, t4]));
    expect(reverse.baseOnly.map((t) => t.trial.spec.batch)).toEqual([8]);
  });

  test('different graph optimisation is a different configuration unless ignored', () => {
    const all = okTrial({ inferenceUs: 500, seed: 1 });
    const off = okTrial({ inferenceUs: 500, seed: 2, spec: { graphOptimization: 'disabled', threads: 1 } });
    expect(matchReports(reportOf([all]), reportOf([off])).pairs).toHaveLength(0);
    const loose = matchReports(reportOf([all]), reportOf([off]), { ignore: ['graph-opt', 'threads'] });
    expect(loose.pairs).toHaveLength(1);
    expect(loose.pairs[0]?.differs?.head).toContain('opt=disabled');
  });

  test('reports from different machines and tool versions are flagged, hostname is not', () => {
    const base = sampleReport();
    const head = sampleReport({ tool: { name: 'inferbench', version: '0.2.0' } });
    head.environment = { ...head.environment, hostname: 'other', cpu: { ...head.environment.cpu, model: 'Intel Xeon 8375C' }, node: 'v22.1.0' };
    const m = matchReports(base, head);
    expect(m.environment.map((d) => d.field)).toEqual(['CPU', 'Node']);
    expect(m.toolVersions).toEqual({ base: '0.1.0', head: '0.2.0' });
    const text = caveats(compareReports(base, head)).join('\n');
    expect(text).toContain('Different machines: CPU AMD EPYC 7B13');
    expect(text).toContain('Different inferbench versions: 0.1.0 → 0.2.0');
  });

  test('a renamed model with the same SHA-256 still matches; a changed model is stated', () => {
    const base = sampleReport();
    const renamed = sampleReport({ model: { ...base.model, path: 'models/renamed.onnx' } });
    renamed.trials = renamed.trials.map((t) => ({ ...t, spec: { ...t.spec, model: 'models/renamed.onnx' } }));
    expect(matchReports(base, renamed).pairs).toHaveLength(3);
    const changed = sampleReport({ model: { ...base.model, sha256: 'f'.repeat(64) } });
    expect(matchReports(base, changed).modelChanges).toEqual([{ model: 'resnet_tiny.onnx', baseSha256: base.model.sha256, headSha256: 'f'.repeat(64) }]);
  });
});

describe('compareReports', () => {
  test('with 5 repetitions a side: A/A unchanged, exit 0; A/B 10% slower regressed, exit 1', () => {
    const base = reportOf([okTrial({ inferenceUs: 600, seed: 1, repetitions: 5 })]);
    const same = reportOf([okTrial({ inferenceUs: 600, seed: 2, repetitions: 5 })]);
    const slow = reportOf([okTrial({ inferenceUs: 660, seed: 3, repetitions: 5 })]);
    const aa = compareReports(base, same);
    expect(aa).toMatchObject({ verdict: 'unchanged', regressions: 0, exitCode: 0 });
    expect(aa.trials[0]?.repetitions).toEqual({ base: 5, head: 5 });
    expect(aa.trials[0]?.driftAllowance).toBe(0);
    const ab = compareReports(base, slow);
    expect(ab.verdict).toBe('regressed');
    expect(ab.exitCode).toBe(1);
    const p50 = ab.trials[0]?.stages.find((s) => s.stage === 'inference')?.metrics.find((m) => m.metric === 'p50');
    expect(p50).toMatchObject({ verdict: 'regressed' });
    expect(p50?.rank?.p).toBeLessThan(0.05);
    expect(ab.trials[0]?.throughput?.verdict).toBe('regressed');
    expect(notes(ab)).toEqual([expect.stringContaining('No CPU samples in base and head')]);
  });

  test('one run a side: A/A is never regressed, 10% slower is inconclusive, 30% slower regressed', () => {
    const base = reportOf([okTrial({ inferenceUs: 600, seed: 1 })]);
    const aa = compareReports(base, reportOf([okTrial({ inferenceUs: 600, seed: 2 })]));
    expect(aa).toMatchObject({ regressions: 0, exitCode: 0 });
    // ±10% run-to-run allowance on a ±5% threshold: a single run cannot claim "unchanged" either.
    expect(aa.verdict).toBe('inconclusive');
    expect(aa.trials[0]?.driftAllowance).toBe(0.1);
    expect(notes(aa)[0]).toMatch(/^A side was measured once/);
    expect(compareReports(base, reportOf([okTrial({ inferenceUs: 660, seed: 3 })]))).toMatchObject({ verdict: 'inconclusive', exitCode: 0 });
    expect(compareReports(base, reportOf([okTrial({ inferenceUs: 780, seed: 4 })]))).toMatchObject({ verdict: 'regressed', exitCode: 1 });
    // --run-variance 0%: the machine's runs are taken to agree, and 10% is resolved.
    const exact = compareReports(base, reportOf([okTrial({ inferenceUs: 660, seed: 3 })]), { significance: { runVariance: 0 } });
    expect(exact).toMatchObject({ verdict: 'regressed', exitCode: 1 });
  });

  test('a head that shared its CPU: a slowdown contention can explain is inconclusive, one it cannot is regressed', () => {
    // The sample report's machine has 16 logical cores; its trial runs 4 threads (25% of them).
    const quiet = { totalPct: 25, processPct: 25 };
    const starved = { totalPct: 100, processPct: 10 }; // wanted 4 cores, got 1.6: others had 2.4 of them
    const base = reportOf([okTrial({ inferenceUs: 600, seed: 1, repetitions: 5, cpu: quiet })]);
    const head = reportOf([okTrial({ inferenceUs: 690, seed: 2, repetitions: 5, cpu: starved })]);
    const c = compareReports(base, head);
    expect(c.trials[0]?.contention?.base).toBe(0);
    expect(c.trials[0]?.contention?.head).toBeCloseTo(0.15, 10);
    // 15% slower while 15% of the CPU it wanted went elsewhere: contention explains it.
    expect(c).toMatchObject({ verdict: 'inconclusive', regressions: 0, exitCode: 0 });
    expect(c.trials[0]?.stages.find((s) => s.stage === 'inference')?.metrics[0]).toMatchObject({ verdict: 'inconclusive', reason: 'contended' });
    expect(stabilityLine(c.trials[0]!)).toContain("head shared the CPU: other processes took 15% of the machine's CPU from the trial");
    // Widened, never vetoed: 50% slower is more than 15% contention can explain (at most 1/0.85 on
    // the mean), so it is a regression even though head was contended.
    const gross = compareReports(base, reportOf([okTrial({ inferenceUs: 900, seed: 2, repetitions: 5, cpu: starved })]));
    expect(gross).toMatchObject({ verdict: 'regressed', exitCode: 1 });
    expect(gross.trials[0]?.stages.find((s) => s.stage === 'inference')?.metrics.find((m) => m.metric === 'p50')?.reason).toBe('contended');
    // The same slowdown measured on a quiet machine is a regression; a contended base does not hide it.
    expect(compareReports(base, reportOf([okTrial({ inferenceUs: 690, seed: 2, repetitions: 5, cpu: quiet })])).verdict).toBe('regressed');
    const busyBase = reportOf([okTrial({ inferenceUs: 600, seed: 1, repetitions: 5, cpu: starved })]);
    expect(compareReports(busyBase, reportOf([okTrial({ inferenceUs: 900, seed: 2, repetitions: 5, cpu: quiet })])).verdict).toBe('regressed');
  });

  test('a trial that ran in base and fails in head is a regression; failed on both sides is inconclusive', () => {
    const report = sampleReport();
    const failedHead = sampleReport();
    failedHead.trials[0] = { status: 'failed', spec: report.trials[0]!.spec, phase: 'open', error: { code: 'runtime-error', message: 'boom' } };
    const c = compareReports(report, failedHead);
    expect(c.trials[0]).toMatchObject({ verdict: 'regressed', note: 'failed in head (ran in base): boom' });
    expect(c.trials[1]?.verdict).toBe('inconclusive');
    expect(c.exitCode).toBe(1);
  });

  test('the sample report (500 samples: p99 insufficient) never calls p99 decisive', () => {
    const c = compareReports(sampleReport(), sampleReport());
    const p99 = c.trials[0]?.stages.flatMap((s) => s.metrics).filter((m) => m.metric === 'p99');
    expect(p99?.every((m) => m.verdict !== 'regressed' && m.verdict !== 'improved')).toBe(true);
  });
});

test('concurrency is part of a trial\'s configuration (absent = 1), and --ignore can drop it', () => {
  const spec = { id: 'x', model: 'm.onnx', precision: 'fp32' as const, device: 'cpu', batch: 1, threads: 1, interThreads: null, graphOptimization: 'all' as const };
  expect(configKey('m.onnx', spec)).toBe('m.onnx cpu fp32 batch=1 threads=1 opt=all');
  expect(configKey('m.onnx', { ...spec, concurrency: 4 })).toBe('m.onnx cpu fp32 batch=1 threads=1 opt=all concurrency=4');
  expect(configKey('m.onnx', { ...spec, concurrency: 4 }, ['concurrency'])).toBe(configKey('m.onnx', spec));
});

test('the OS is named alike in reports that stored the release inside distro and in those that do not', () => {
  const os = { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', kernel: '6.1', arch: 'x64' };
  expect(osName(os)).toBe('Debian GNU/Linux 12');
  expect(osName({ ...os, distro: 'Debian GNU/Linux 12' })).toBe('Debian GNU/Linux 12');
  expect(osName({ ...os, distro: 'macOS', release: '' })).toBe('macOS');
});
