// Concurrent trials for real: worker-thread streams with their own ONNX Runtime sessions on the MLP
// fixture. Counts and stop reasons are asserted exactly; times only for being there.
import { describe, expect, test } from 'vitest';
import { runConcurrentTrial, StreamError, type ConcurrentTrial } from '../../src/measure/concurrent.js';
import { emptyPins } from '../../src/inputs/pins.js';

const trial = (extra: Partial<ConcurrentTrial> = {}): ConcurrentTrial => ({
  model: 'fixtures/mlp.onnx',
  session: { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all' },
  shapes: new Map([['x', [1, 64]]]),
  pins: emptyPins(),
  seed: 42,
  concurrency: 2,
  warmup: { kind: 'count', iterations: 5 },
  measure: { kind: 'count', iterations: 300 },
  ...extra,
});

describe('runConcurrentTrial', () => {
  test('-n across streams: exactly n requests, merged into one set of stage statistics', async () => {
    const phases: string[] = [];
    const m = await runConcurrentTrial(trial({ onPhaseStart: (p) => phases.push(p) }));
    expect(phases).toEqual(['warmup', 'measure']);
    expect(m.measure).toMatchObject({ iterations: 300, stopReason: 'iterations' });
    for (const stage of ['preprocess', 'inference', 'postprocess', 'total'] as const) expect(m.stages[stage].count).toBe(300);
    expect(m.stages.inference.p50Ms).toBeGreaterThan(0);
    expect(m.stages.total.p50Ms).toBeGreaterThanOrEqual(m.stages.inference.p50Ms);
    expect(m.measure.durationMs).toBeGreaterThan(0);
    expect(m.warmup).toMatchObject({ iterations: 5, bound: { kind: 'count', iterations: 5 } });
    expect(m.firstIteration.firstInferenceMs).toBeGreaterThan(0);
    expect(m.overhead.perIterationUs).toBeGreaterThan(0);
  });

  test('a duration bound stops issuing on time; an abort stops it as interrupted', async () => {
    const timed = await runConcurrentTrial(trial({ concurrency: 3, measure: { kind: 'time', ms: 150 } }));
    expect(timed.measure.stopReason).toBe('duration');
    expect(timed.measure.durationMs).toBeGreaterThanOrEqual(150);
    expect(timed.stages.inference.count).toBe(timed.measure.iterations);
    const controller = new AbortController();
    const aborted = runConcurrentTrial(trial({ measure: { kind: 'time', ms: 60_000 }, signal: controller.signal, onPhaseStart: (p) => p === 'measure' && setTimeout(() => controller.abort(), 100) }));
    expect((await aborted).measure.stopReason).toBe('interrupted');
  });

  test('a stream that cannot start is a StreamError naming the stream and its phase', async () => {
    const error = await runConcurrentTrial(trial({ model: 'fixtures/missing.onnx' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).phase).toBe('open');
    expect((error as StreamError).message).toMatch(/^stream [12] of 2: model not found: fixtures\/missing\.onnx/);
  });
});
