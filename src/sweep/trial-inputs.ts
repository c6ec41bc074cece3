// What a trial feeds the model: synthetic tensors built once from the model's metadata, or real
// data through a pipeline (--data / --pipeline), whose load / preprocess / postprocess stages the
// timing loop then times separately. Either way the trial gets a driver for runTrial and, after
// its first iteration, the tensors it fed (for accuracy checks and the op profile).
import type { GuessedDim } from '../inputs/guess-shapes.js';
import type { HostTensor, Session } from '../adapters/adapter.js';
import type { InputPins } from '../inputs/pins.js';
import { buildInputs } from '../inputs/synthetic.js';
import { pipelineDriver, syntheticDriver, type TrialDriver } from '../measure/timed-loop.js';
import { openDataSource } from '../pipeline/data-source.js';
import { parsePostprocessSteps, readLabels } from '../pipeline/postprocess.js';
import { isNonePipeline, resolvePipeline } from '../pipeline/resolve.js';
import { createPipelineRunner, type PipelineRunner } from '../pipeline/runner.js';
import type { ResolvedProfileOptions } from '../profile-options.js';
import type { InputDescription } from '../types.js';

export interface TrialInputs {
  driver: TrialDriver;
  /** The first batch's tensors: known up front for synthetic inputs, after the first iteration for a pipeline. */
  tensors(): HostTensor[];
  descriptions(): InputDescription[];
  close(): Promise<void>;
}

export async function prepareInputs(
  session: Session,
  shapes: Map<string, number[]>,
  batch: number,
  pins: InputPins,
  options: ResolvedProfileOptions,
): Promise<TrialInputs> {
  const { pipeline } = options;
  if (pipeline.name === 'none' && pipeline.data === null && pipeline.postprocess === null) {
    const { tensors, descriptions } = buildInputs(session.info.inputs, shapes, pins, options.seed);
    return { driver: syntheticDriver(session, tensors), tensors: () => tensors, descriptions: () => descriptions, close: async () => undefined };
  }
  const module = await resolvePipeline(pipeline.name, { options: pipeline.options });
  const none = isNonePipeline(module);
  const data = none || pipeline.data === null ? null : await openDataSource(pipeline.data, { cache: pipeline.dataCache, ...(module.extensions && { extensions: module.extensions }), ...(module.unit && { unit: module.unit }) });
  const postprocess = pipeline.postprocess === null ? undefined : { spec: parsePostprocessSteps(pipeline.postprocess), labels: pipeline.labels === null ? undefined : await readLabels(pipeline.labels) };
  const context = { inputs: session.info.inputs, outputs: session.info.outputs, shapes, batch, options: pipeline.options };
  const runner = await createPipelineRunner({ module, data, context, cacheDecoded: pipeline.dataCache, ...(postprocess && { postprocess }) });
  if (none) return withSyntheticFeeds(session, shapes, pins, options, runner);
  if (pipeline.dataCache) await runner.warmCache();
  const driver = pipelineDriver(session, runner);
  const source = `${runner.name} pipeline on ${data?.description ?? '(no data)'}`;
  return {
    driver,
    tensors: () => driver.firstTensors() ?? [],
    descriptions: () => (driver.firstTensors() ?? []).map((t) => ({ name: t.name, type: t.type, dims: [...t.dims], source })),
    close: () => runner.teardown(),
  };
}

/** `--postprocess` without data: synthetic inputs, with the built-in steps timed as postprocess. */
function withSyntheticFeeds(session: Session, shapes: Map<string, number[]>, pins: InputPins, options: ResolvedProfileOptions, runner: PipelineRunner): TrialInputs {
  const { tensors, descriptions } = buildInputs(session.info.inputs, shapes, pins, options.seed);
  const stages = { load: () => Promise.resolve(null), preprocess: () => Promise.resolve(tensors), postprocess: (outputs: HostTensor[]) => runner.postprocess(outputs) };
  return { driver: pipelineDriver(session, stages, false), tensors: () => tensors, descriptions: () => descriptions, close: () => runner.teardown() };
}

/** The inputs' descriptions with the dims that were guessed from their layout (the report records them). */
export function withGuesses(inputs: TrialInputs, guessed: readonly GuessedDim[]): TrialInputs {
  if (guessed.length === 0) return inputs;
  const describe = inputs.descriptions.bind(inputs);
  inputs.descriptions = () => describe().map((d) => {
    const mine = guessed.filter((g) => g.input === d.name).map(({ input: _input, ...g }) => g);
    return mine.length > 0 ? { ...d, guessed: mine } : d;
  });
  return inputs;
}
