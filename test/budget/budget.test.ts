import { describe, expect, test } from 'vitest';
import { describeBudget, evaluateBudget, evaluateBudgets, parseBudget } from '../../src/budget/budget.js';
import { bestWithinBudget } from '../../src/budget/best.js';
import type { TrialOk } from '../../src/types.js';
import { error } from '../helpers/errors.js';
import { quantileSamples, stageOf } from './samples.js';
import { sampleReport } from '../helpers/sample-report.js';

const trial = sampleReport().trials[0] as TrialOk;

describe('parseBudget', () => {
  test.each([
    ['inference.p99<=15ms', { kind: 'latency', stage: 'inference', metric: 'p99', op: '<=', limitMs: 15 }],
    ['total.p50<8ms', { kind: 'latency', stage: 'total', metric: 'p50', op: '<', limitMs: 8 }],
    ['p99<=20ms', { kind: 'latency', stage: 'total', metric: 'p99', op: '<=', limitMs: 20 }],
    ['preprocess.mean <= 250us', { kind: 'latency', stage: 'preprocess', metric: 'mean', limitMs: 0.25 }],
    ['inference.p99.9≤1.5s', { kind: 'latency', stage: 'inference', metric: 'p999', op: '<=', limitMs: 1500 }],
    ['p90<900µs', { kind: 'latency', metric: 'p90', limitMs: 0.9 }],
    ['throughput>=200/s', { kind: 'throughput', per: 'inference', op: '>=', limitPerSec: 200 }],
    ['throughput>800items/s', { kind: 'throughput', per: 'item', op: '>', limitPerSec: 800 }],
  ])('%s', (raw, expected) => {
    expect(parseBudget(raw)).toMatchObject(expected);
  });

  test.each([
    ['p99=15ms', 'not a budget'],
    ['inference.p98<=15ms', "unknown metric 'p98'"],
    ['gpu.p99<=15ms', "unknown stage 'gpu'"],
    ['p99<=15min', "unknown time unit 'min'"],
    ['p99>=15ms', 'a latency budget is a ceiling'],
    ['throughput<=200/s', 'a throughput budget is a floor'],
    ['throughput>=200ms', "unknown throughput unit 'ms'"],
    ['inference.throughput>=200/s', 'throughput is per trial'],
    ['p99<=0ms', 'the limit must be above 0'],
  ])('%s is a usage error: %s', (raw, message) => {
    const e = error(() => parseBudget(raw));
    expect(e.code).toBe('usage');
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(message);
    expect(e.hint).toBeTruthy();
  });
});

describe('evaluate', () => {
  test('a passing latency budget reports measured value and headroom', () => {
    const check = evaluateBudget(trial, parseBudget('inference.p50<=5ms'));
    expect(check.pass).toBe(true);
    expect(check.measured).toBe(trial.stages.inference.p50Ms);
    expect(check.headroom).toBeCloseTo((5 - trial.stages.inference.p50Ms) / 5, 10);
  });

  test('a throughput floor without an interval is judged as measured; < is strict', () => {
    const over = evaluateBudget(trial, parseBudget('throughput>=300/s'));
    expect(over.verdict).toBe('fail');
    expect(over.pass).toBe(false);
    expect(over.headroom).toBeCloseTo((270.1 - 300) / 300, 10);
    const max = trial.stages.total.maxMs;
    expect(evaluateBudget(trial, parseBudget(`max<${max}ms`)).verdict).toBe('fail');
    expect(evaluateBudget(trial, parseBudget(`max<=${max}ms`)).verdict).toBe('pass');
  });

  test('only ok trials are evaluated', () => {
    expect(evaluateBudgets(sampleReport().trials, [parseBudget('p99<=1s')])).toHaveLength(1);
  });

  test('describeBudget uses the report formatting', () => {
    expect(describeBudget(parseBudget('inference.p99<=15ms'))).toBe('inference.p99 <= 15.0 ms');
    expect(describeBudget(parseBudget('throughput>=200/s'))).toBe('throughput >= 200 inf/s');
  });
});

describe('bestWithinBudget', () => {
  const variant = (id: string, limitFactor: number, itemsPerSec: number): TrialOk => ({
    ...trial,
    spec: { ...trial.spec, id },
    stages: { ...trial.stages, total: stageOf(quantileSamples(2000, limitFactor)) },
    throughput: { inferencesPerSec: itemsPerSec, itemsPerSec },
  });

  test('picks the highest throughput among trials shown to meet every budget (sequential: no paired speed-ups)', () => {
    // p99 of 'a' at 0.5 × 10 ms, 'b' at 0.7 ×, 'c' at 2 ×: a p99<=10ms budget passes a and b, fails c.
    const trials = [variant('a', 0.5, 100), variant('b', 0.7, 300), variant('c', 2, 900)];
    expect(bestWithinBudget(trials, [parseBudget('p99<=10ms')])?.spec.id).toBe('b');
    expect(bestWithinBudget(trials, [])?.spec.id).toBe('c');
    expect(bestWithinBudget(trials, [parseBudget('p99<=1ms')])).toBeNull();
  });
});
