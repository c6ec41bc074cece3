// Runs a model through ONNX Runtime with its profiler on and returns the per-operator table
// (`--op-profile`). Kept out of the timed trial on purpose: ORT's profiler adds a timestamp and
// shape capture around every kernel, so timings taken with it on are not the trial's latency.
//
// Where the trace lands: onnxruntime-node's `endProfiling()` returns nothing, and ORT writes
// `<profileFilePrefix>_<yyyy-mm-dd_hh-mm-ss_ms>.json` (relative prefixes resolve against the
// process's cwd). We give ORT a prefix inside a fresh temporary directory, so the one JSON file
// found there after endProfiling() is ours; the directory is removed afterwards.
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferbenchError, messageOf } from '../errors.js';
import type { GraphOptimization, HostTensor, OpProfile, TensorSpec } from '../types.js';
import { loadOrt, toTensorSpec } from './ort.js';
import { parseOrtProfile } from './ort-trace.js';

/** Builds the inputs from the model's input specs (as ORT reports them). */
export type FeedsBuilder = (inputs: TensorSpec[]) => HostTensor[] | Promise<HostTensor[]>;

export interface OpProfileRunOptions {
  /** Builds the inputs from the model's input specs (the trial's own inputs, or synthetic ones). */
  buildFeeds: FeedsBuilder;
  /** Profiled runs that are counted. Default 10. */
  iterations?: number;
  /** Profiled runs before them that are left out (cold start). Default 1. */
  warmupRuns?: number;
  /** ORT execution provider name ('cpu', 'cuda', ...). Default 'cpu'. */
  device?: string;
  /** Intra-op threads; default: ORT decides. */
  threads?: number | null;
  /** Default 'all', as in a trial. */
  graphOptimization?: GraphOptimization;
  /** Copy the raw trace here (e.g. next to the report) before the temporary copy is removed. */
  keepTraceAt?: string;
}

export async function profileOnnxOps(modelPath: string, options: OpProfileRunOptions): Promise<OpProfile> {
  const iterations = options.iterations ?? 10;
  const warmupRuns = options.warmupRuns ?? 1;
  if (!(Number.isInteger(iterations) && iterations >= 1)) throw new RangeError(`iterations must be an integer ≥ 1, got ${iterations}`);
  const ort = await loadOrt();
  const dir = await mkdtemp(join(tmpdir(), 'inferbench-ort-profile-'));
  try {
    const session = await ort.InferenceSession.create(modelPath, {
      executionProviders: [options.device ?? 'cpu'],
      graphOptimizationLevel: options.graphOptimization ?? 'all',
      enableProfiling: true,
      profileFilePrefix: join(dir, 'ort'),
      ...(options.threads != null && { intraOpNumThreads: options.threads }),
    }).catch((error: unknown) => {
      throw new InferbenchError('model-invalid', `onnxruntime cannot load ${modelPath} for profiling: ${messageOf(error)}`, 'run `inferbench profile` without --op-profile to see whether the model loads at all');
    });
    try {
      const specs = session.inputMetadata.map(toTensorSpec);
      const host = await options.buildFeeds(specs);
      const feeds = Object.fromEntries(host.map((t) => [t.name, new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims)]));
      for (let i = 0; i < warmupRuns + iterations; i++) {
        const outputs = await session.run(feeds).catch((error: unknown) => {
          throw new InferbenchError('runtime-error', `onnxruntime failed while profiling ${modelPath}: ${messageOf(error)}`, 'profile the same inputs without --op-profile to see whether the model runs at all');
        });
        for (const tensor of Object.values(outputs)) tensor.dispose();
      }
    } finally {
      session.endProfiling();
      await session.release();
    }
    const trace = await findTrace(dir);
    if (options.keepTraceAt !== undefined) await copyFile(trace, options.keepTraceAt);
    return parseOrtProfile(await readFile(trace, 'utf8'), { skipRuns: warmupRuns });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function findTrace(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  const [file] = files;
  if (file === undefined || files.length > 1) {
    throw new InferbenchError('runtime-error', `ONNX Runtime wrote ${files.length} profile files, expected 1`, 'this onnxruntime-node build may not support enableProfiling');
  }
  return join(dir, file);
}
