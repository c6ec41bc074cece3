// compare on real reports recorded on the 2-core development VM (test/data/compare/README.md):
// the verdicts the statistics give on real latency distributions, fixed by the recorded data.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseReport } from '../../src/compare/load.js';
import { compareReports, type Comparison } from '../../src/compare/verdict.js';
import type { MetricChange } from '../../src/compare/significance.js';

const recorded = (name: string) => parseReport(readFileSync(`test/data/compare/${name}.json`, 'utf8'), name);
const metric = (c: Comparison, stage: string, name: string): MetricChange =>
  c.trials[0]!.stages.find((s) => s.stage === stage)!.metrics.find((m) => m.metric === name)!;

describe('recorded runs of the CNN fixture', () => {
  test('A/A (--threads 1 --repeat 5, twice): p50 unchanged within ±5%, nothing decisive, exit 0', () => {
    const c = compareReports(recorded('cnn-t1-a'), recorded('cnn-t1-b'));
    expect(c).toMatchObject({ verdict: 'unchanged', regressions: 0, exitCode: 0 });
    for (const stage of ['inference', 'total']) {
      const p50 = metric(c, stage, 'p50');
      expect(p50.verdict).toBe('unchanged');
      expect(p50.ci[0]).toBeGreaterThanOrEqual(-0.05);
      expect(p50.ci[1]).toBeLessThanOrEqual(0.05);
      expect(p50.rank?.p).toBeGreaterThan(0.05);
    }
    const all = c.trials[0]!.stages.flatMap((s) => s.metrics);
    expect(all.filter((m) => m.verdict === 'regressed' || m.verdict === 'improved')).toEqual([]);
  });

  test('A/B (one more conv layer): regressed by about +29% at the median, throughput too; exit 1', () => {
    const c = compareReports(recorded('cnn-t1-b'), recorded('cnn-slow-t1'));
    expect(c).toMatchObject({ verdict: 'regressed', exitCode: 1 });
    const p50 = metric(c, 'inference', 'p50');
    expect(p50.verdict).toBe('regressed');
    expect(p50.change).toBeGreaterThan(0.2);
    expect(p50.change).toBeLessThan(0.4);
    expect(p50.ci[0]).toBeGreaterThan(0.05);
    expect(p50.rank?.p).toBeLessThan(0.05);
    expect(c.trials[0]!.throughput?.verdict).toBe('regressed');
    expect(c.matching.modelChanges).toHaveLength(1);
    // And the other way round, the faster model is an improvement, not a regression.
    expect(compareReports(recorded('cnn-slow-t1'), recorded('cnn-t1-b'))).toMatchObject({ verdict: 'improved', exitCode: 0 });
  });

  test('a run beside another job (median +78%) is not called regressed: the contention is measured and named', () => {
    const c = compareReports(recorded('cnn-quiet'), recorded('cnn-contended'));
    expect(c.trials[0]!.contention?.base).toBeLessThan(0.01);
    expect(c.trials[0]!.contention?.head).toBeGreaterThan(0.5);
    expect(metric(c, 'inference', 'p50').change).toBeGreaterThan(0.5);
    expect(metric(c, 'inference', 'p50')).toMatchObject({ verdict: 'inconclusive', reason: 'contended' });
    expect(c).toMatchObject({ verdict: 'inconclusive', regressions: 0, exitCode: 0 });
  });
});
