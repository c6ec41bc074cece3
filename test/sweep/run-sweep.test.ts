// The sweep runner's failure handling. A scripted adapter is fine here (ARCHITECTURE rule 11):
// what is tested is that one trial's failure stays that trial's, not what a runtime decides.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { HostTensor, RuntimeAdapter, Session } from '../../src/adapters/adapter.js';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { InferbenchError } from '../../src/errors.js';
import { profile } from '../../src/profile.js';
import { resolveProfileOptions, type ProfileOptions } from '../../src/profile-options.js';
import { runSpecIsolated } from '../../src/sweep/isolate.js';
import { planSweep } from '../../src/sweep/plan.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import type { Report } from '../../src/types.js';
import { rejection } from '../helpers/errors.js';

/** Runs instantly, but "runs out of memory" at batch 8 and cannot open on 'webgpu'. */
const scripted: RuntimeAdapter = {
  runtime: 'scripted',
  version: () => '0',
  accepts: () => true,
  devices: async () => [
    { device: 'cpu', available: true, detail: '' },
    { device: 'webgpu', available: true, detail: '' },
  ],
  async open(path, options): Promise<Session> {
    if (options.device === 'webgpu') throw new Error('no adapter found');
    return {
      info: { path, format: 'onnx', sizeBytes: 0, sha256: '', inputs: [{ name: 'x', type: 'float32', shape: ['batch', 4] }], outputs: [] },
      backend: 'scripted',
      prepare: (inputs: readonly HostTensor[]) => inputs[0]?.dims[0],
      run: async (batch) => {
        if (batch === 8) throw new Error('Failed to allocate memory for requested buffer of size 8589934592');
        return null;
      },
      collect: () => [],
      close: async () => undefined,
    };
  },
};

const QUICK: Partial<ProfileOptions> = { opProfile: false, warmup: { kind: 'count', iterations: 2 }, measure: { kind: 'count', iterations: 5 } };

async function sweep(options: ProfileOptions): Promise<Report['trials']> {
  const resolved = resolveProfileOptions(options);
  const specs = planSweep({ model: options.model, interThreads: null, graphOptimization: 'all' }, { devices: resolved.devices, precisions: resolved.precisions, threads: resolved.threads, batches: resolved.batches });
  return (await runSweep(scripted, specs, resolved, {}, async () => ({}) as Report)).trials;
}

describe('one failing trial does not stop the sweep', () => {
  test('a runtime error at one batch size is recorded; the others run', async () => {
    const trials = await sweep({ model: 'fake.onnx', batch: [1, 8, 2], ...QUICK });
    expect(trials.map((t) => [t.spec.batch, t.status])).toEqual([[1, 'ok'], [8, 'failed'], [2, 'ok']]);
    expect(trials[1]).toMatchObject({ phase: 'cold-start', error: { code: 'input-rejected' } });
    if (trials[1]?.status === 'failed') expect(trials[1].error.message).toContain('Failed to allocate memory');
  });

  test('a device that cannot open is a failed trial; the next device runs', async () => {
    const trials = await sweep({ model: 'fake.onnx', device: ['webgpu', 'cpu'], ...QUICK });
    expect(trials.map((t) => [t.spec.device, t.status])).toEqual([['webgpu', 'failed'], ['cpu', 'ok']]);
    expect(trials[0]).toMatchObject({ phase: 'open', error: { message: 'no adapter found' } });
  });

  test('an error every trial shares (an unresolved dim) stops the sweep with that error', async () => {
    const resolved = resolveProfileOptions({ model: 'fake.onnx', dims: { nope: 3 }, ...QUICK });
    const specs = planSweep({ model: 'fake.onnx', interThreads: null, graphOptimization: 'all' }, { devices: ['cpu'], precisions: ['fp32'], threads: [null], batches: [1] });
    const error = await rejection(runSweep(scripted, specs, resolved, {}, async () => ({}) as Report));
    expect(error).toBeInstanceOf(InferbenchError);
    expect(error.code).toBe('usage');
  });
});

describe('--isolate', () => {
  const options = resolveProfileOptions({ model: 'fixtures/mlp.onnx', threads: 1, ...QUICK });
  const [spec] = planSweep({ model: 'fixtures/mlp.onnx', interThreads: null, graphOptimization: 'all' }, { devices: ['cpu'], precisions: ['fp32'], threads: [1], batches: [null] });

  test('a trial in a child process returns the same kind of result', async () => {
    const outcome = await runSpecIsolated(spec!, { path: spec!.model, source: 'original' }, options, {});
    expect(outcome.result.status).toBe('ok');
    expect(outcome.model?.inputs[0]?.name).toBe('x');
  });

  test('a child killed mid-trial (as by the OOM killer) becomes a failed trial naming the signal and phase', async () => {
    const child = join(mkdtempSync(join(tmpdir(), 'inferbench-child-')), 'killed.mjs');
    writeFileSync(child, `process.once('message', () => process.send({ type: 'phase', phase: 'measure', iterations: 3, elapsedMs: 1 }, () => process.kill(process.pid, 'SIGKILL')));\n`);
    const phases: string[] = [];
    const outcome = await runSpecIsolated(spec!, { path: spec!.model, source: 'original' }, options, { onPhase: (_s, phase) => phases.push(phase) }, child);
    expect(phases).toEqual(['measure']);
    expect(outcome.result).toMatchObject({ status: 'failed', phase: 'measure', error: { code: 'trial-crashed' } });
    if (outcome.result.status === 'failed') expect(outcome.result.error.message).toContain('killed by SIGKILL (out of memory?');
  });

  test('a run-wide error in the child is rethrown in the parent', async () => {
    const broken = resolveProfileOptions({ model: 'fixtures/types.onnx', ...QUICK });
    const error = await rejection(runSpecIsolated({ ...spec!, model: 'fixtures/types.onnx' }, { path: 'fixtures/types.onnx', source: 'original' }, broken, {}));
    expect(error.code).toBe('dim-unresolved');
  });

  test('profile() with isolate runs a whole sweep', async () => {
    const report = await profile({ model: 'fixtures/mlp.onnx', batch: [1, 2], threads: 1, isolate: true, ...QUICK });
    expect(report.trials.map((t) => [t.spec.batch, t.status])).toEqual([[1, 'ok'], [2, 'ok']]);
  });
});

test('the ONNX adapter is the one profile() picks for .onnx', () => {
  expect(onnxAdapter.accepts('a/b/model.ONNX')).toBe(true);
});
