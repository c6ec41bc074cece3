// What the timing loop calls: one method per timed stage, each a single await, so the loop can read
// the clock between them as it does around session.prepare/run/collect:
//   t0 load(k)         → RawItem[]      `load`        (real I/O; a memory hit with --data-cache)
//   t1 preprocess(raw) → HostTensor[]   `preprocess`  (decode unless cached, then the pipeline's
//                                                       preprocess; session.prepare follows it)
//   t2 session.run                      `inference`
//   t3 postprocess(host outputs)        `postprocess` (after session.collect)
// Errors name the pipeline, the stage and the items (stage-error.ts). The first preprocess result
// is checked against the model's inputs (names, types, dims) with a message naming the mismatch;
// later ones are not re-checked, to keep the timed region bare.
import type { HostTensor } from '../adapters/adapter.js';
import { InferbenchError } from '../errors.js';
import type { TensorSpec } from '../types.js';
import { batchIndices } from './data-source.js';
import { runPostprocess, type PostprocessSpec } from './postprocess.js';
import { isNonePipeline } from './resolve.js';
import { describeItems, pipelineFailure } from './stage-error.js';
import type { DataSource, PipelineContext, PipelineModule, RawItem } from './types.js';

export interface PipelineRunnerOptions {
  module: PipelineModule;
  /** The items of --data; null only for the `none` pipeline. */
  data: DataSource | null;
  context: PipelineContext;
  /** --data-cache: keep each item's decoded value (the data source keeps its bytes). */
  cacheDecoded: boolean;
  /** --postprocess steps, with --labels. Not allowed with a module that has its own postprocess. */
  postprocess?: { spec: PostprocessSpec; labels?: readonly string[] | undefined } | undefined;
}

export interface PipelineRunner {
  readonly name: string;
  readonly context: PipelineContext;
  /** `load` stage: the raw items of batch k (k = 0, 1, ... over warm-up and measurement). */
  load(k: number): Promise<RawItem[]>;
  /** `preprocess` stage: decode (unless cached) and preprocess one batch into the model's feeds. */
  preprocess(items: RawItem[]): Promise<HostTensor[]>;
  /** `postprocess` stage: the module's postprocess or the --postprocess steps; the outputs unchanged when neither. */
  postprocess(outputs: HostTensor[]): Promise<unknown>;
  /** Untimed: read and decode every item once, so --data-cache starts warm. */
  warmCache(): Promise<void>;
  teardown(): Promise<void>;
}

/** Why host tensors do not fit the model's inputs, or null when they do. */
export function feedMismatch(tensors: readonly HostTensor[], inputs: readonly TensorSpec[], shapes: Map<string, number[]>): string | null {
  for (const spec of inputs) {
    const t = tensors.find((x) => x.name === spec.name);
    if (t === undefined) return `it returned no tensor for input '${spec.name}' (returned: ${tensors.map((x) => x.name).join(', ') || 'none'})`;
    if (t.type !== spec.type) return `input '${spec.name}' is ${spec.type} but the tensor is ${t.type}`;
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) return `tensor '${spec.name}' has dims [${t.dims.join(', ')}] (${count} elements) but ${t.data.length} values`;
    const expected = shapes.get(spec.name);
    if (expected && (expected.length !== t.dims.length || expected.some((d, i) => d !== t.dims[i]))) {
      return `tensor '${spec.name}' has dims [${t.dims.join(', ')}] but the model's resolved shape is [${expected.join(', ')}]`;
    }
  }
  return null;
}

/** Runs the module's setup (wrapped as a 'setup' failure) and returns the runner. */
export async function createPipelineRunner(options: PipelineRunnerOptions): Promise<PipelineRunner> {
  const { module, data, context: ctx, cacheDecoded } = options;
  const name = module.name ?? 'pipeline';
  if (options.postprocess && module.postprocess) {
    throw new InferbenchError('usage', `pipeline ${name} has its own postprocess; --postprocess adds built-in steps to pipelines without one`, 'drop --postprocess, or call the steps from the module');
  }
  if (data === null && !isNonePipeline(module)) throw new InferbenchError('usage', `pipeline ${name} needs --data`, 'pass --data FILE|DIR|GLOB');
  try {
    await module.setup?.(ctx);
  } catch (error) {
    throw pipelineFailure(name, 'setup', null, error);
  }
  const decoded = new Map<number, unknown>();
  let checked = false;
  let lastPaths = '';

  const decodeItem = async (item: RawItem): Promise<unknown> => {
    if (!module.decode) return item;
    const hit = decoded.get(item.index);
    if (hit !== undefined) return hit;
    let value: unknown;
    try {
      value = await module.decode(item, ctx);
    } catch (error) {
      throw pipelineFailure(name, 'decode', item.path, error);
    }
    if (cacheDecoded) decoded.set(item.index, value);
    return value;
  };

  const runner: PipelineRunner = {
    name,
    context: ctx,
    async load(k) {
      if (data === null) return [];
      const indices = batchIndices(k, ctx.batch, data.size);
      try {
        return await Promise.all(indices.map((i) => data.read(i)));
      } catch (error) {
        throw pipelineFailure(name, 'load', `items ${indices.join(', ')} of ${data.description}`, error);
      }
    },
    async preprocess(items) {
      lastPaths = describeItems(items.map((i) => i.path));
      const values = await Promise.all(items.map(decodeItem));
      let tensors: HostTensor[];
      try {
        tensors = await module.preprocess(values, ctx);
      } catch (error) {
        throw pipelineFailure(name, 'preprocess', lastPaths, error);
      }
      if (!checked) {
        const why = Array.isArray(tensors) ? feedMismatch(tensors, ctx.inputs, ctx.shapes) : 'it returned no array of tensors';
        if (why) throw pipelineFailure(name, 'preprocess', lastPaths, new InferbenchError('input-invalid', why, 'return one { name, type, dims, data } per model input'));
        checked = true;
      }
      return tensors;
    },
    async postprocess(outputs) {
      try {
        if (module.postprocess) return await module.postprocess(outputs, ctx);
        const steps = options.postprocess;
        return steps ? runPostprocess(steps.spec.steps, outputs, { labels: steps.labels, output: steps.spec.output }) : outputs;
      } catch (error) {
        throw pipelineFailure(name, 'postprocess', lastPaths || null, error);
      }
    },
    async warmCache() {
      if (data === null) return;
      for (let i = 0; i < data.size; i++) await decodeItem(await data.read(i));
    },
    async teardown() {
      try {
        await module.teardown?.();
      } catch (error) {
        throw pipelineFailure(name, 'teardown', null, error);
      }
    },
  };
  return runner;
}
