import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeHistogram } from '../src/measure/histogram.js';
import { profile, type ProfileOptions } from '../src/profile.js';
import { validateReport } from '../src/report/validate.js';
import { reportBaseName } from '../src/report/write-reports.js';
import { TIMED_STAGES, type Report, type TrialOk, type TrialResult } from '../src/types.js';
import { rejection } from './helpers/errors.js';

/** Short bounds, every other option at its default (the per-operator profile and roofline on). */
const atDefaults = (model: string): ProfileOptions => ({
  model: `fixtures/${model}`,
  threads: 1,
  warmup: { kind: 'count', iterations: 5 },
  measure: { kind: 'count', iterations: 50 },
});

/** The same without the per-operator pass: tests about measuring and inputs need no roofline. */
const quick = (model: string, extra: Partial<ProfileOptions> = {}): ProfileOptions => ({ ...atDefaults(model), opProfile: false, ...extra });

function onlyTrial(report: Report): TrialResult {
  expect(report.trials).toHaveLength(1);
  return report.trials[0]!;
}

function okTrial(report: Report): TrialOk {
  const trial = onlyTrial(report);
  if (trial.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(trial)}`);
  return trial;
}

describe('profile() on a fixture', () => {
  test('a complete, schema-valid report with consistent statistics', async () => {
    const report = await profile(atDefaults('mlp.onnx'));
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.model.inputs[0]?.name).toBe('x');
    expect(report.environment.runtimes[0]).toMatchObject({ name: 'onnxruntime', executionProviders: expect.arrayContaining(['cpu']) });
    const trial = okTrial(report);
    expect(trial.spec).toMatchObject({ device: 'cpu', precision: 'fp32', batch: 1, threads: 1 });
    expect(trial.measure).toMatchObject({ iterations: 50, stopReason: 'iterations' });
    expect(trial.warmup).toMatchObject({ iterations: 5, bound: { kind: 'count', iterations: 5 } });
    for (const stage of TIMED_STAGES) {
      const stats = trial.stages[stage];
      expect(stats.count).toBe(50);
      expect(stats.minMs).toBeLessThanOrEqual(stats.p50Ms + 0.001);
      expect(stats.p50Ms).toBeLessThanOrEqual(stats.p99Ms);
      expect(decodeHistogram(stats.histogram).totalCount).toBe(50);
    }
    // total spans the three stages back to back, so its mean is their sum.
    const sumOfMeans = trial.stages.preprocess.meanMs + trial.stages.inference.meanMs + trial.stages.postprocess.meanMs;
    expect(trial.stages.total.meanMs).toBeCloseTo(sumOfMeans, 6);
    expect(trial.stages.inference.insufficient).toEqual(['p90', 'p95', 'p99', 'p999']);
    expect(trial.coldStart.modelLoadMs).toBeGreaterThan(0);
    expect(trial.coldStart.firstInferenceMs).toBeGreaterThan(0);
    expect(trial.overhead.perIterationUs).toBeGreaterThan(0);
    expect(trial.overhead.timerNs).toBeGreaterThan(0);
    expect(trial.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(trial.inputs).toEqual([{ name: 'x', type: 'float32', dims: [1, 64], source: 'normal(0,1) seed 42' }]);
    expect(trial.warnings.map((w) => w.code)).toContain('few-samples');
    // By default every trial is profiled per operator and placed on the roofline (calibrated once per run here).
    expect(trial.opProfile?.runs).toBeGreaterThan(0);
    expect(trial.roofline?.machineBalance).toBeGreaterThan(0);
    expect(trial.bottleneck?.label).not.toBe('inconclusive');
  }, 120_000); // may be the run's first calibration at threads=1

  test('batch sets the batch dim and scales items/s', async () => {
    const trial = okTrial(await profile(quick('mlp.onnx', { batch: 4 })));
    expect(trial.spec.batch).toBe(4);
    expect(trial.inputs[0]?.dims).toEqual([4, 64]);
    expect(trial.throughput.itemsPerSec).toBeCloseTo(trial.throughput.inferencesPerSec * 4, 6);
  });

  test('--batch-dim moves the batch to the named dim (here: the sequence, a length sweep)', async () => {
    const trial = okTrial(await profile(quick('transformer.onnx', { batch: 8, batchDim: 'sequence' })));
    expect(trial.spec.batch).toBe(8);
    expect(trial.inputs.map((i) => i.dims)).toEqual([[1, 8], [1, 8]]);
  });

  test('--concurrency sweeps streams: each its own session, -n shared, throughput over wall time', async () => {
    const report = await profile(quick('mlp.onnx', { concurrency: [1, 2], measure: { kind: 'count', iterations: 120 } }));
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.trials.map((t) => t.spec.id)).toEqual(['cpu fp32 batch=1 threads=1', 'cpu fp32 batch=1 threads=1 concurrency=2']);
    const two = report.trials[1]!;
    if (two.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(two)}`);
    expect(two.spec.concurrency).toBe(2);
    expect(two.measure.iterations).toBe(120);
    expect(two.stages.inference.count).toBe(120);
    expect(two.throughput.inferencesPerSec).toBeCloseTo((120 * 1000) / two.measure.durationMs, 6);
    expect(report.trials[0]!.spec).not.toHaveProperty('concurrency');
  });

  test('--concurrency above 1 is refused with data pipelines and TensorFlow models', async () => {
    const withData = await rejection(profile(quick('mlp.onnx', { concurrency: 2, data: 'examples/pipelines/features.csv', pipeline: 'examples/pipelines/custom.mjs' })));
    expect(withData).toMatchObject({ code: 'usage' });
    expect(withData.message).toMatch(/synthetic inputs only/);
    const tf = await rejection(profile({ ...quick('tf/mlp/model.json'), concurrency: [1, 2] }));
    expect(tf.message).toMatch(/^--concurrency above 1 needs an ONNX model/);
    expect((await rejection(profile(quick('mlp.onnx', { concurrency: 0 })))).code).toBe('usage');
  });

  test('symbolic dims by name; int64 ids and mask get token ids and ones', async () => {
    const trial = okTrial(await profile(quick('transformer.onnx', { dims: { sequence: 16 } })));
    expect(trial.inputs.map((i) => [i.name, i.dims, i.source])).toEqual([
      ['input_ids', [1, 16], 'token ids uniform [0,1000) seed 42'],
      ['attention_mask', [1, 16], 'ones (mask)'],
    ]);
  });

  test('a duration bound stops on time and says so', async () => {
    const trial = okTrial(await profile(quick('mlp.onnx', { measure: { kind: 'time', ms: 150 } })));
    expect(trial.measure.stopReason).toBe('duration');
    expect(trial.measure.durationMs).toBeGreaterThanOrEqual(150);
    expect(trial.stages.inference.count).toBe(trial.measure.iterations);
  });

  test('auto warm-up stops once latency is steady and reports where', async () => {
    const trial = okTrial(await profile(quick('mlp.onnx', { warmup: { kind: 'auto' } })));
    expect(trial.warmup.iterations).toBeGreaterThanOrEqual(5);
    if (trial.warmup.convergedAt === null) expect(trial.warnings.map((w) => w.code)).toContain('not-converged');
    else expect(trial.warmup.convergedAt).toBeLessThanOrEqual(trial.warmup.iterations);
  });

  test('an abort signal stops the measurement and keeps what was measured', async () => {
    const controller = new AbortController();
    const report = await profile(quick('mlp.onnx', { measure: { kind: 'time', ms: 60_000 }, signal: controller.signal }), {
      onPhase: (_spec, phase, iterations) => {
        if (phase === 'measure' && iterations > 0) controller.abort();
      },
    });
    expect(report.interrupted).toBe(true);
    const trial = okTrial(report);
    expect(trial.measure.stopReason).toBe('interrupted');
    expect(trial.stages.total.count).toBe(trial.measure.iterations);
    expect(validateReport(report)).toEqual({ valid: true });
  });

  test('nothing inferbench spawned is still running while a trial measures (the environment is read first)', async () => {
    // systeminformation spawns lscpu, hostname, cat …: left running beside a short sweep they took
    // the core from the model and made the parent's pages fault after each fork.
    const children = (): string[] => readdirSync('/proc/self/task').flatMap((tid) => readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(' ').filter(Boolean));
    const seen: string[][] = [];
    const report = await profile(quick('mlp.onnx', { sample: false, warmup: { kind: 'count', iterations: 1 }, measure: { kind: 'count', iterations: 5 } }), {
      onTrialStart: () => seen.push(children()),
      onPhase: () => seen.push(children()),
    });
    expect(seen.length).toBeGreaterThanOrEqual(3); // start, open, cold start, measure…
    expect(seen.filter((pids) => pids.length > 0)).toEqual([]);
    expect(report.environment.cpu.logicalCores).toBeGreaterThan(0);
  });

  test('a sweep of precision variants only describes (and names its report after) the model given, not the generated file', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'inferbench-variants-'));
    const report = await profile(quick('mlp.onnx', { precision: ['int8'], variantCacheDir: cache }));
    expect(okTrial(report).spec.precision).toBe('int8');
    expect(report.model.path).toBe('fixtures/mlp.onnx');
    expect(reportBaseName(report)).toMatch(/^mlp-\d{8}-\d{6}$/);
  });

  test('hooks see the plan, each trial, and a partial report after it', async () => {
    const events: string[] = [];
    await profile(quick('mlp.onnx'), {
      onPlan: (specs) => events.push(`plan ${specs.length}`),
      onTrialStart: (_spec, index, total) => events.push(`start ${index + 1}/${total}`),
      onTrialEnd: (result, partial) => events.push(`end ${result.status} ${partial.trials.length}`),
    });
    expect(events).toEqual(['plan 1', 'start 1/1', 'end ok 1']);
  });
});

describe('what cannot run is a value or a clear error', () => {
  test('inputs the runtime rejects: a failed trial naming inputs, dims and the flag', async () => {
    const trial = onlyTrial(await profile(quick('div32.onnx', { shapes: { image: [1, 3, 50, 50] } })));
    expect(trial).toMatchObject({ status: 'failed', phase: 'cold-start', error: { code: 'input-rejected' } });
    if (trial.status !== 'failed') return;
    expect(trial.error.message).toContain('the runtime rejected the inputs');
    expect(trial.error.message).toContain('image float32[1x3x50x50]');
    expect(trial.error.hint).toContain('--shape image=1x3x50x50');
  });

  test('the same model with valid shapes runs', async () => {
    expect(onlyTrial(await profile(quick('div32.onnx', { shapes: { image: [1, 3, 64, 64] } }))).status).toBe('ok');
  });

  test('an unnamed dynamic dim that nothing resolves is an error naming it and the flag', async () => {
    const error = await rejection(profile(quick('types.onnx')));
    expect(error.code).toBe('dim-unresolved');
    expect(error.message).toContain("input 'anon'");
    expect(error.hint).toBe('no layout to guess from: give the size, e.g. inferbench profile fixtures/types.onnx --shape anon=1x<n>');
  });

  test('an image input with N, H and W dynamic runs at guessed 224×224, and the report says so', async () => {
    const report = await profile(quick('image-dynamic.onnx'));
    expect(validateReport(report)).toEqual({ valid: true });
    const trial = okTrial(report);
    expect(trial.spec.id).toBe('cpu fp32 batch=1 threads=1');
    expect(trial.inputs[0]).toMatchObject({
      name: 'x',
      dims: [1, 3, 224, 224],
      guessed: [
        { axis: 2, dim: 'p2o.DynamicDimension.1', size: 224, layout: 'image [N, 3, H, W]' },
        { axis: 3, dim: 'p2o.DynamicDimension.2', size: 224, layout: 'image [N, 3, H, W]' },
      ],
    });
    const warning = trial.warnings.find((w) => w.code === 'guessed-shapes');
    expect(warning?.message).toBe(
      "the model leaves these dims open, so their sizes are guesses from the input's layout: input 'x' 'p2o.DynamicDimension.1' (axis 2) = 224, 'p2o.DynamicDimension.2' (axis 3) = 224 (image [N, 3, H, W]) — set them with --dim p2o.DynamicDimension.1=<n> --dim p2o.DynamicDimension.2=<n>",
    );
    // Pinned dims are not guesses.
    const pinned = okTrial(await profile(quick('image-dynamic.onnx', { dims: { 'p2o.DynamicDimension.1': 32, 'p2o.DynamicDimension.2': 48 } })));
    expect(pinned.inputs[0]).toEqual({ name: 'x', type: 'float32', dims: [1, 3, 32, 48], source: 'normal(0,1) seed 42' });
    expect(pinned.warnings.map((w) => w.code)).not.toContain('guessed-shapes');
  });

  test('when the runtime rejects guessed shapes, the failure says they were guessed and which flags fix it', async () => {
    const trial = onlyTrial(await profile(quick('image-fc.onnx')));
    if (trial.status !== 'failed') throw new Error(`expected failed, got ${trial.status}`);
    expect(trial.phase).toBe('cold-start');
    expect(trial.error.code).toBe('input-rejected');
    expect(trial.error.message).toMatch(/^the runtime rejected the inputs, whose shapes were guessed \(the model leaves them open\): pixels 'height'=224, 'width'=224 \(image \[N, 3, H, W\]\) — /);
    expect(trial.error.hint).toBe('give the sizes the model expects: --dim height=<n> --dim width=<n> (with the right sizes in place of the guesses)');
    expect(okTrial(await profile(quick('image-fc.onnx', { dims: { height: 32, width: 32 } }))).inputs[0]?.dims).toEqual([1, 3, 32, 32]);
  });

  test('unnamed dims with no evident layout: one error lists them all, with a complete command line', async () => {
    const error = await rejection(profile(quick('unnamed-dims.onnx')));
    expect(error.code).toBe('dim-unresolved');
    expect(error.message).toBe("2 dims are unresolved: input 'audio' dynamic dim at axis 1 (no name); input 'state' dynamic dim at axis 1 (no name)");
    expect(error.hint).toBe('no layout to guess from: give the sizes (all of them), e.g. inferbench profile fixtures/unnamed-dims.onnx --shape audio=1x<n> --shape state=2x<n>x16');
    const trial = okTrial(await profile(quick('unnamed-dims.onnx', { shapes: { audio: [1, 160], state: [2, 1, 16] } })));
    expect(trial.inputs.map((i) => i.dims)).toEqual([[1, 160], [2, 1, 16]]);
  });

  test('every element type is fed once the unnamed dim is given', async () => {
    const trial = okTrial(await profile(quick('types.onnx', { shapes: { anon: [1, 7] } })));
    expect(trial.inputs.map((i) => i.type)).toEqual(expect.arrayContaining(['float16', 'bool', 'uint64', 'int8']));
  });

  test('an unavailable device is a skipped trial with the reason; the report still describes the model', async () => {
    const report = await profile(quick('mlp.onnx', { device: 'cuda' }));
    const trial = onlyTrial(report);
    expect(trial.status).toBe('skipped');
    if (trial.status === 'skipped') expect(trial.reason).toMatch(/^device cuda unavailable: /);
    expect(report.model.inputs[0]?.name).toBe('x');
    expect(validateReport(report)).toEqual({ valid: true });
  });

  test('a batch the model cannot take is skipped, not run at batch 1', async () => {
    const trial = onlyTrial(await profile(quick('fixed.onnx', { batch: 4 })));
    expect(trial.status).toBe('skipped');
    if (trial.status === 'skipped') expect(trial.reason).toContain('batch 4 not possible');
  });

  test('a batch too large to build inputs for fails that trial only; the sweep goes on', async () => {
    const report = await profile(quick('mlp.onnx', { batch: [1, 2 ** 27] })); // 2^27 × 64 floats = 32 GiB
    expect(report.trials.map((t) => t.status)).toEqual(['ok', 'failed']);
    const big = report.trials[1]!;
    if (big.status !== 'failed') throw new Error('expected failed');
    expect(big).toMatchObject({ phase: 'inputs', error: { code: 'out-of-memory' } });
    expect(big.error.message).toBe("input 'x' of shape [134217728, 64] would take 32.0 GiB, over the 4.00 GiB a tensor may take");
    expect(big.spec.batch).toBe(2 ** 27);
  });

  test('a missing model rejects with model-not-found', async () => {
    expect((await rejection(profile(quick('missing.onnx')))).code).toBe('model-not-found');
  });

  test('invalid options are usage errors', async () => {
    expect((await rejection(profile(quick('mlp.onnx', { threads: 0 })))).code).toBe('usage');
    expect((await rejection(profile(quick('mlp.onnx', { measure: { kind: 'count', iterations: 0 } })))).code).toBe('usage');
  });

  test('an unknown device name fails before the sweep; a known but absent one is a skipped trial', async () => {
    const typo = await rejection(profile(quick('mlp.onnx', { device: ['cpu', 'cdua'] })));
    expect(typo).toMatchObject({ code: 'usage', message: "unknown device 'cdua' for onnxruntime" });
    expect(typo.hint).toContain('cuda');
    const trial = onlyTrial(await profile(quick('mlp.onnx', { device: 'cuda' })));
    expect(trial).toMatchObject({ status: 'skipped' });
    if (trial.status === 'skipped') expect(trial.reason).toMatch(/^device cuda unavailable: /);
  });

  test('a .npy input file sets its input and its shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferbench-npy-'));
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 64), }";
    const padded = header.padEnd(118, ' ') + '\n';
    const bytes = Buffer.concat([
      Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), Buffer.from([padded.length, 0]),
      Buffer.from(padded), Buffer.from(new Float32Array(128).fill(1).buffer),
    ]);
    const path = join(dir, 'x.npy');
    writeFileSync(path, bytes);
    const trial = okTrial(await profile(quick('mlp.onnx', { inputFiles: { x: path } })));
    expect(trial.inputs[0]).toMatchObject({ dims: [2, 64], source: `file ${path}` });
    expect(trial.spec.batch).toBe(2);
  });
});
