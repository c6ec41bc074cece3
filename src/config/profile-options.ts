// A loaded config → the ProfileOptions of one profile() call per model: the sweep axes pass
// through as lists; graphOptimization, not an axis of the planner, must hold one value (refused
// with an error that says so, never silently reduced to the first); the pipeline is the top-level
// one with the model's own fields over it.
import { InferbenchError } from '../errors.js';
import type { ProfileOptions } from '../profile-options.js';
import { parseDurationMs, parseWarmup } from '../options/parse.js';
import type { PhaseBound } from '../types.js';
import type { InferbenchConfig, ModelEntry } from './config.js';

/** Command-line values that override the file (flags win). */
export interface RunOverrides {
  iterations?: number;
  durationMs?: number;
  warmup?: string;
  repeat?: number;
}

function single<T>(config: InferbenchConfig, axis: string, values: readonly T[] | undefined): T | undefined {
  if (values === undefined) return undefined;
  if (values.length > 1) {
    throw new InferbenchError(
      'usage',
      `${config.file}: /sweep/${axis} lists ${values.length} values, but ${axis} is one setting per run, not a sweep axis`,
      `keep one value in sweep.${axis}, or write one config per value`,
    );
  }
  return values[0];
}

function measureBound(config: InferbenchConfig, overrides: RunOverrides): PhaseBound {
  if (overrides.iterations !== undefined) return { kind: 'count', iterations: overrides.iterations };
  if (overrides.durationMs !== undefined) return { kind: 'time', ms: overrides.durationMs };
  const { iterations, duration } = config.measure;
  if (iterations !== undefined && duration !== undefined) {
    throw new InferbenchError('usage', `${config.file}: /measure: iterations and duration cannot both be set`, 'keep one of them');
  }
  if (iterations !== undefined) return { kind: 'count', iterations };
  if (duration !== undefined) return { kind: 'time', ms: parseDurationMs(duration, 'measure.duration') };
  return { kind: 'auto' };
}

/** The top-level pipeline with the model's own fields over it (options merge key by key). */
function pipelineOf(config: InferbenchConfig, model: ModelEntry): Partial<ProfileOptions> {
  const p = { ...config.pipeline, ...model.pipeline };
  const options = { ...config.pipeline.options, ...model.pipeline?.options };
  return {
    ...(p.data !== undefined && { data: p.data }),
    ...(p.cache !== undefined && { dataCache: p.cache }),
    ...(p.name !== undefined && { pipeline: p.name }),
    ...(Object.keys(options).length > 0 && { pipelineOptions: options }),
    ...(p.postprocess !== undefined && { postprocess: p.postprocess }),
    ...(p.labels !== undefined && { labels: p.labels }),
  };
}

export function profileOptionsFor(config: InferbenchConfig, model: ModelEntry, overrides: RunOverrides = {}): ProfileOptions {
  const { sweep } = config;
  const repeat = overrides.repeat ?? config.measure.repeat;
  const warmup = overrides.warmup ?? (config.measure.warmup === undefined ? undefined : String(config.measure.warmup));
  const graphOptimization = single(config, 'graphOptimization', sweep.graphOptimization);
  return {
    model: model.path,
    ...(sweep.device !== undefined && { device: [...sweep.device] }),
    ...(sweep.precision !== undefined && { precision: [...sweep.precision] }),
    ...(sweep.batch !== undefined && { batch: [...sweep.batch] }),
    ...(sweep.concurrency !== undefined && { concurrency: [...sweep.concurrency] }),
    ...(sweep.outputs !== undefined && { outputs: [...sweep.outputs] }),
    ...(graphOptimization !== undefined && { graphOptimization }),
    threads: sweep.threads === undefined ? null : sweep.threads.map((t) => (t === 'auto' ? null : t)),
    ...(repeat !== undefined && { repeat }),
    ...pipelineOf(config, model),
    ...(model.dims && { dims: model.dims }),
    ...(model.batchDim !== undefined && { batchDim: model.batchDim }),
    ...(model.shapes && { shapes: model.shapes }),
    ...(model.values && { values: model.values }),
    ...(model.ranges && { ranges: model.ranges }),
    ...(model.inputFiles && { inputFiles: model.inputFiles }),
    ...(config.measure.seed !== undefined && { seed: config.measure.seed }),
    ...(warmup !== undefined && { warmup: parseWarmup(warmup) }),
    measure: measureBound(config, overrides),
  };
}
