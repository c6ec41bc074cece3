// compare on two reports of open-loop (--rate) runs: trials pair by serving setting (rate
// included), the total stage from the intended arrival is judged, and overload is a verdict.
import { describe, expect, test } from 'vitest';
import { compareReports } from '../../src/compare/verdict.js';
import type { Report, TrialOk } from '../../src/types.js';
import { sampleReport } from '../helpers/sample-report.js';
import { serviceTrial as makeServiceTrial } from '../helpers/service-trial.js';

function serviceTrial(rate: number, medianUs: number, seed: number, overloaded = false): TrialOk {
  return makeServiceTrial(rate, medianUs, { seed, overloaded, id: `cpu fp32 batch=1 threads=4 rate=${rate}/s` });
}

function report(trials: TrialOk[]): Report {
  return sampleReport({ trials });
}

describe('compare under load', () => {
  test('trials pair by rate; a slower total at one rate is a regression there', () => {
    const base = report([serviceTrial(200, 2_000, 1), serviceTrial(400, 3_000, 2)]);
    const head = report([serviceTrial(400, 4_500, 3), serviceTrial(200, 2_000, 4)]);
    const c = compareReports(base, head);
    expect(c.trials.map((t) => t.key)).toEqual([expect.stringContaining('rate=400/s'), expect.stringContaining('rate=200/s')]);
    const [at400, at200] = c.trials;
    expect(at400!.verdict).toBe('regressed');
    expect(at400!.stages.find((s) => s.stage === 'total')!.metrics.find((m) => m.metric === 'p50')!.verdict).toBe('regressed');
    expect(['unchanged', 'inconclusive']).toContain(at200!.verdict);
    // The achieved rate follows the offered one: no throughput verdict under open-loop load.
    expect(at400!.throughput).toBeNull();
    expect(c.exitCode).toBe(1);
  });

  test('a rate at which head is overloaded and base was not is a regression, whatever the percentiles', () => {
    const c = compareReports(report([serviceTrial(400, 3_000, 1)]), report([serviceTrial(400, 3_000, 1, true)]));
    expect(c.trials[0]).toMatchObject({ verdict: 'regressed', note: expect.stringContaining('head is overloaded at 400 req/s') });
    const back = compareReports(report([serviceTrial(400, 3_000, 1, true)]), report([serviceTrial(400, 3_000, 1)]));
    expect(back.trials[0]!.verdict).toBe('improved');
    const both = compareReports(report([serviceTrial(400, 3_000, 1, true)]), report([serviceTrial(400, 3_000, 2, true)]));
    expect(both.trials[0]).toMatchObject({ verdict: 'inconclusive', note: expect.stringContaining('both sides overloaded') });
  });

  test('different rates never pair', () => {
    const c = compareReports(report([serviceTrial(200, 2_000, 1)]), report([serviceTrial(300, 2_000, 1)]));
    expect(c.trials).toHaveLength(0);
    expect(c.matching.baseOnly).toHaveLength(1);
    expect(c.matching.headOnly).toHaveLength(1);
  });
});
