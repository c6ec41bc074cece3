import { describe, expect, test } from 'vitest';
import { renderConsole } from '../../src/report/console.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { serviceBlocks, serviceCurves, settingKey } from '../../src/report/service-curve.js';
import { validateReport } from '../../src/report/validate.js';
import type { BatchingAdvice, KneeSearch, Report, TrialOk } from '../../src/types.js';
import { sampleReport } from '../helpers/sample-report.js';
import { serviceTrial as makeServiceTrial } from '../helpers/service-trial.js';

const BASE = 'cpu fp32 batch=1 threads=1';

function serviceTrial(rate: number, medianUs: number, overloaded = false, meanBatch = 1): TrialOk {
  return makeServiceTrial(rate, medianUs, { overloaded, meanBatch });
}

const knee: KneeSearch = {
  budget: 'p99<=5ms', stage: 'total', percentile: 0.99, targetMs: 5, rule: 'loadgen-early-stopping', confidence: 0.99,
  baseTrialId: BASE, settings: { maxBatch: 1, maxDelayMs: 0, batching: 'triton', instances: 1, itemsPerRequest: 1 },
  capacity: { rate: 800, serviceTimeMs: 1.25, meanBatch: 1 },
  kneeRate: 600, failedRate: 625, precision: 0.0417, targetPrecision: 0.05, stop: 'precision',
  probes: [
    { rate: 400, trialId: `${BASE} rate=400/s`, phase: 'bracket', verdict: 'pass', requests: 918, overTarget: 0, needed: 459, percentileMs: 2.1, achievedRate: 400, meanBatch: 1 },
    { rate: 800, trialId: `${BASE} rate=800/s`, phase: 'bracket', verdict: 'overloaded', requests: 500, overTarget: 300, needed: 20000, percentileMs: null, achievedRate: 700, meanBatch: 1 },
    { rate: 600, trialId: `${BASE} rate=600/s`, phase: 'bisect', verdict: 'pass', requests: 918, overTarget: 1, needed: 662, percentileMs: 4.2, achievedRate: 600, meanBatch: 1 },
    { rate: 625, trialId: `${BASE} rate=625/s`, phase: 'bisect', verdict: 'over-budget', requests: 918, overTarget: 12, needed: 2280, percentileMs: 5.4, achievedRate: 625, meanBatch: 1 },
  ],
};

const advice: BatchingAdvice = {
  budget: 'p99<=5ms', instances: 1, itemsPerRequest: 1,
  serviceTimes: [{ batch: 1, meanMs: 1.25, cv: 0.1, batches: 200 }, { batch: 8, meanMs: 3, cv: 0.1, batches: 50 }],
  candidates: [
    { maxBatch: 8, maxDelayMs: 0.5, batching: 'triton', predictedKneeRate: 1900, predictedCapacity: 2667, predictedMeanBatch: 4.1 },
    { maxBatch: 1, maxDelayMs: 0, batching: 'triton', predictedKneeRate: 640, predictedCapacity: 800, predictedMeanBatch: 1 },
  ],
  replays: [
    { maxBatch: 8, maxDelayMs: 0.5, batching: 'triton', predictedKneeRate: 1900, kneeRate: 1700, meanBatch: 3.8, baseTrialId: `${BASE} max-batch=8 delay=0.5ms batching=triton` },
    { maxBatch: 1, maxDelayMs: 0, batching: 'triton', predictedKneeRate: 640, kneeRate: 600, meanBatch: 1, baseTrialId: BASE },
  ],
  recommendation: {
    maxBatch: 8, maxDelayMs: 0.5, batching: 'triton', predictedKneeRate: 1900, kneeRate: 1700, meanBatch: 3.8, baseTrialId: `${BASE} max-batch=8 delay=0.5ms batching=triton`,
    gainOverNoBatching: 1700 / 600,
    servers: { triton: { max_batch_size: 8, dynamic_batching: { max_queue_delay_microseconds: 500 }, instance_group: { count: 1 } } },
  },
  reason: 'the replayed knee is 2.83× no batching’s',
};

function serviceReport(extra: Partial<Report> = {}): Report {
  return sampleReport({ trials: [serviceTrial(625, 3000), serviceTrial(400, 1500), serviceTrial(600, 2500), serviceTrial(800, 9000, true)], knee: [knee], batchingAdvice: advice, ...extra });
}

describe('the latency–throughput curve', () => {
  test('one curve per setting, sorted by offered rate, with its knee', () => {
    expect(settingKey(`${BASE} rate=200/s max-batch=8 delay=2ms`)).toBe(`${BASE} max-batch=8 delay=2ms`);
    const [curve, ...rest] = serviceCurves(serviceReport());
    expect(rest).toHaveLength(0);
    expect(curve!.key).toBe(BASE);
    expect(curve!.points.map((p) => p.offeredRate)).toEqual([400, 600, 625, 800]);
    expect(curve!.points.at(-1)!.overloaded).toBe(true);
    expect(curve!.knee).toBe(knee);
  });

  test('console and Markdown: curve table (no percentile for an overloaded trial), knee line, probes, advice in server keys', () => {
    for (const text of [renderConsole(serviceReport()), renderMarkdown(serviceReport())]) {
      expect(text).toContain('Latency–throughput curve');
      expect(text).toMatch(/800 req\/s.*—.*—.*OVERLOADED/);
      expect(text).toContain(`knee of ${BASE}: 600 req/s meets total.p99 ≤ 5.00 ms at 99% confidence; 625 req/s did not (precision 4.2%, asked 5.0%); 4 probes, capacity ≈ 800 req/s`);
      expect(text).toMatch(/625 req\/s.*bisect.*over-budget.*918.*12.*2280/);
      expect(text).toContain('max_queue_delay_microseconds: 500');
      expect(text).toContain('instance_group [ { count: 1 } ]');
      expect(text).not.toContain('TorchServe');
    }
    const blocks = serviceBlocks(serviceReport());
    expect(blocks.map((b) => b.title)).toEqual(['Latency–throughput curve', 'Knee: p99<=5ms', 'Batching: measured service time S(b)', 'Batching advice (p99<=5ms): predicted vs replayed']);
    expect(blocks[3]!.table!.rows[0]).toEqual(['8', '500 µs', 'triton', '1,900 req/s', '1,700 req/s', '0.89', '3.80']);
  });

  test('probes whose generator could not keep up are named under the knee', () => {
    const report = serviceReport();
    const slow = report.trials.find((t) => t.spec.id.includes('rate=625/s')) as TrialOk;
    slow.warnings = [{ code: 'generator-saturated', message: 'late' }];
    expect(renderConsole(report)).toContain('1 of 4 probes (625 req/s): the generator could not send on time');
    expect(renderConsole(serviceReport())).not.toContain('could not send on time');
  });

  test('no service trials, no section', () => {
    expect(serviceBlocks(sampleReport())).toEqual([]);
    expect(renderHtml(sampleReport())).not.toContain('data-chart="service-curve"');
  });

  test('HTML: the chart has p50/p99 lines, the budget line, the knee, a cross per overloaded trial and the batch panel', () => {
    const page = renderHtml(serviceReport());
    const chart = page.slice(page.indexOf('data-chart="service-curve"'));
    expect(chart).toContain('class="budget"');
    expect(chart).toContain('class="knee-line"');
    expect(chart).toContain('knee 600 req/s');
    expect(chart.match(/class="overloaded"/g)).toHaveLength(1);
    expect(chart).toContain('aria-label="achieved mean batch against offered rate"');
    expect(chart.match(/class="series s0 dashed"/g)?.length).toBeGreaterThanOrEqual(1);
    expect(page).toContain('<section id="service">');
  });

  test('the knee and the advice validate against the report schema', () => {
    expect(validateReport(sampleReport({ knee: [knee], batchingAdvice: advice }))).toEqual({ valid: true });
    expect(validateReport(sampleReport({ knee: [{ ...knee, kneeRate: null, failedRate: null, precision: null, capacity: null, stop: 'below-min-rate' }], batchingAdvice: { ...advice, recommendation: null } }))).toEqual({ valid: true });
  });
});
