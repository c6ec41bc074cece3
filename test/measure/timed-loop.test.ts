// The harness's own behaviour, with a scripted session: a fake is fine here because what is under
// test is the loop (stage boundaries, stop rules, interruption), not anything a runtime decides.
import { describe, expect, test } from 'vitest';
import type { Session } from '../../src/adapters/adapter.js';
import { StageRecorder } from '../../src/measure/recorder.js';
import { AUTO_MEASURE, AUTO_WARMUP, MAX_ITERATIONS, measureStopRule, warmupDone } from '../../src/measure/stop-rules.js';
import { emptySession, timedLoop } from '../../src/measure/timed-loop.js';

function busySession(): Session & { calls: string[] } {
  const calls: string[] = [];
  const spin = (us: number): void => {
    const end = process.hrtime.bigint() + BigInt(us * 1000);
    while (process.hrtime.bigint() < end);
  };
  return {
    calls,
    info: { path: 'fake', format: 'onnx', sizeBytes: 0, sha256: '', inputs: [], outputs: [] },
    backend: 'fake',
    prepare: () => (calls.push('prepare'), spin(20), 'feeds'),
    run: async (feeds) => (calls.push(`run ${String(feeds)}`), spin(200), 'outputs'),
    collect: (outputs) => (calls.push(`collect ${String(outputs)}`), spin(20), []),
    close: async () => undefined,
  };
}

describe('timedLoop', () => {
  test('calls the stages in order and records total = preprocess + inference + postprocess exactly', async () => {
    const session = busySession();
    const rows: number[][] = [];
    const result = await timedLoop(session, [], { record: (...ns) => rows.push(ns) }, { stop: (n) => (n >= 3 ? 'iterations' : null) });
    expect(result).toMatchObject({ iterations: 3, stopReason: 'iterations' });
    expect(session.calls).toEqual(Array(3).fill(['prepare', 'run feeds', 'collect outputs']).flat());
    for (const [pre, inf, post, total] of rows as [number, number, number, number][]) {
      expect(pre + inf + post).toBe(total);
      // The 200 µs spin is the inference stage: it cannot take less (a preemption may lengthen any stage).
      expect(inf).toBeGreaterThanOrEqual(200_000);
    }
  });

  test('an aborted signal ends the loop after the current iteration with reason interrupted', async () => {
    const controller = new AbortController();
    let n = 0;
    const result = await timedLoop(busySession(), [], { record: () => (++n === 2 ? controller.abort() : undefined) }, { stop: () => null, signal: controller.signal });
    expect(result).toMatchObject({ iterations: 2, stopReason: 'interrupted' });
  });

  test('progress is reported outside the timed region, at most every 100 ms', async () => {
    const progress: number[] = [];
    await timedLoop(busySession(), [], { record: () => undefined }, { stop: (_n, ms) => (ms >= 250 ? 'duration' : null), onProgress: (n) => progress.push(n) });
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThanOrEqual(3);
  });

  test('a session that can consume its outputs is given them to consume, not to collect into host tensors', async () => {
    const session = { ...busySession(), consume(outputs: unknown) { session.calls.push(`consume ${String(outputs)}`); } };
    await timedLoop(session, [], { record: () => undefined }, { stop: (n) => (n >= 2 ? 'iterations' : null) });
    expect(session.calls).toEqual(Array(2).fill(['prepare', 'run feeds', 'consume outputs']).flat());
    // The empty loop that prices the harness takes the same path.
    expect(emptySession(session).consume).toBeTypeOf('function');
    expect(emptySession(busySession()).consume).toBeUndefined();
  });

  test('the empty session costs almost nothing and runs nothing', async () => {
    const result = await timedLoop(emptySession(busySession()), [], { record: () => undefined }, { stop: (n) => (n >= 100 ? 'iterations' : null) });
    expect(result.iterations).toBe(100);
  });
});

describe('StageRecorder', () => {
  test('stores microseconds per stage and grows past its initial capacity', () => {
    const recorder = new StageRecorder(2);
    for (let i = 1; i <= 5; i++) recorder.record(i * 1000, i * 10_000, i * 1000, i * 12_000);
    expect(recorder.count).toBe(5);
    expect(Array.from(recorder.samplesOf('inference').subarray(0, 5))).toEqual([10, 20, 30, 40, 50]);
    expect(recorder.histogramOf("total").totalCount).toBe(5);
    expect(recorder.histogramOf("total").maxValue).toBeGreaterThanOrEqual(60);
  });
});

describe('stop rules', () => {
  test('count and time bounds are obeyed exactly', () => {
    const count = measureStopRule({ kind: 'count', iterations: 10 });
    expect(count(9, 1e9)).toBeNull();
    expect(count(10, 0)).toBe('iterations');
    const time = measureStopRule({ kind: 'time', ms: 500 });
    expect(time(1e6, 499)).toBeNull();
    expect(time(1, 500)).toBe('duration');
    expect(time(MAX_ITERATIONS, 1)).toBe('max-iterations');
  });

  test('auto: a fast model needs the sample target and the minimum time', () => {
    const auto = measureStopRule({ kind: 'auto' });
    expect(auto(AUTO_MEASURE.targetSamples * 10, AUTO_MEASURE.minDurationMs - 1)).toBeNull();
    expect(auto(AUTO_MEASURE.targetSamples, AUTO_MEASURE.minDurationMs)).toBe('auto-target');
  });

  test('auto: a slow model stops on the time budget once it has the minimum samples', () => {
    const auto = measureStopRule({ kind: 'auto' });
    expect(auto(AUTO_MEASURE.minSamples - 1, AUTO_MEASURE.timeBudgetMs * 2)).toBeNull();
    expect(auto(AUTO_MEASURE.minSamples, AUTO_MEASURE.timeBudgetMs)).toBe('auto-time-budget');
    expect(auto(500, AUTO_MEASURE.timeBudgetMs - 1)).toBeNull();
  });

  test('warm-up: auto waits for convergence after the minimum, within its budget', () => {
    const auto = { kind: 'auto' } as const;
    expect(warmupDone(auto, AUTO_WARMUP.minIterations - 1, 0, true)).toBe(false);
    expect(warmupDone(auto, AUTO_WARMUP.minIterations, 0, true)).toBe(true);
    expect(warmupDone(auto, 100, 10, false)).toBe(false);
    expect(warmupDone(auto, 100, AUTO_WARMUP.maxDurationMs, false)).toBe(true);
    expect(warmupDone({ kind: 'count', iterations: 20 }, 20, 0, false)).toBe(true);
    expect(warmupDone({ kind: 'time', ms: 100 }, 1, 99, true)).toBe(false);
  });
});

describe('pipelineLoop', () => {
  test('times load separately and continues the dataset across calls', async () => {
    const { pipelineDriver } = await import('../../src/measure/timed-loop.js');
    const batches: number[] = [];
    const stages = {
      load: async (k: number) => (batches.push(k), [k]),
      preprocess: async () => [{ name: 'x', type: 'float32' as const, dims: [1], data: new Float32Array(1) }],
      postprocess: async () => null,
    };
    const driver = pipelineDriver(busySession(), stages);
    const recorder = new StageRecorder(8, true);
    await driver.loop(recorder, { stop: (n) => (n >= 3 ? 'iterations' : null) });
    await driver.loop(recorder, { stop: (n) => (n >= 2 ? 'iterations' : null) });
    expect(batches).toEqual([0, 1, 2, 3, 4]);
    expect(driver.firstTensors()?.[0]?.name).toBe('x');
    expect(recorder.stages).toContain('load');
    const load = recorder.samplesOf('load').subarray(0, 5);
    const total = recorder.samplesOf('total').subarray(0, 5);
    load.forEach((l, i) => expect(l).toBeLessThan(total[i]!));
  });
});
