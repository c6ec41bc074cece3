// A loaded config → the ProfileOptions profile() accepts today, one per model. profile() runs one
// configuration per call; until the sweep lands, an axis with several values, a precision other
// than fp32, and `measure.repeat` > 1 are refused with an error that says so (never silently
// reduced to their first value).
import { InferbenchError } from '../errors.js';
import type { ProfileOptions } from '../profile-options.js';
import { parseDurationMs, parseWarmup } from '../cli/parse.js';
import type { PhaseBound } from '../types.js';
import type { InferbenchConfig, ModelEntry } from './config.js';

/** Command-line values that override the file (flags win). */
export interface RunOverrides {
  iterations?: number;
  durationMs?: number;
  warmup?: string;
}

function single<T>(config: InferbenchConfig, axis: string, values: readonly T[] | undefined): T | undefined {
  if (values === undefined) return undefined;
  if (values.length > 1) {
    throw new InferbenchError(
      'usage',
      `${config.file}: /sweep/${axis} lists ${values.length} values; this version of \`run\` measures one configuration per model`,
      `keep one value in sweep.${axis} (multi-value sweeps arrive with the sweep planner)`,
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

export function profileOptionsFor(config: InferbenchConfig, model: ModelEntry, overrides: RunOverrides = {}): ProfileOptions {
  const { sweep } = config;
  const precision = single(config, 'precision', sweep.precision);
  if (precision !== undefined && precision !== 'fp32') {
    throw new InferbenchError('usage', `${config.file}: /sweep/precision: ${precision} is not supported by profile yet`, 'use ["fp32"] for now');
  }
  if ((config.measure.repeat ?? 1) > 1) {
    throw new InferbenchError('usage', `${config.file}: /measure/repeat: repetitions are not supported by profile yet`, 'remove measure.repeat or set it to 1');
  }
  const threads = single(config, 'threads', sweep.threads);
  const warmup = overrides.warmup ?? (config.measure.warmup === undefined ? undefined : String(config.measure.warmup));
  const device = single(config, 'device', sweep.device);
  const batch = single(config, 'batch', sweep.batch);
  const graphOptimization = single(config, 'graphOptimization', sweep.graphOptimization);
  return {
    model: model.path,
    ...(device !== undefined && { device }),
    ...(batch !== undefined && { batch }),
    ...(graphOptimization !== undefined && { graphOptimization }),
    threads: threads === undefined || threads === 'auto' ? null : threads,
    ...(model.dims && { dims: model.dims }),
    ...(model.shapes && { shapes: model.shapes }),
    ...(model.values && { values: model.values }),
    ...(model.ranges && { ranges: model.ranges }),
    ...(model.inputFiles && { inputFiles: model.inputFiles }),
    ...(config.measure.seed !== undefined && { seed: config.measure.seed }),
    ...(warmup !== undefined && { warmup: parseWarmup(warmup) }),
    measure: measureBound(config, overrides),
  };
}
