// The inputs a variant is judged and calibrated on. One input cannot show a drift that depends on
// the input, and a drift measured on random numbers says little about real data, so: with --data,
// the first batches of the data through the trial's pipeline; otherwise synthetic inputs drawn
// with consecutive seeds. The accuracy report says which and how many (issue 16).
import type { HostTensor, Session } from '../adapters/adapter.js';
import type { InputPins } from '../inputs/pins.js';
import { buildInputs } from '../inputs/synthetic.js';
import { openDataSource } from '../pipeline/data-source.js';
import { isNonePipeline, resolvePipeline } from '../pipeline/resolve.js';
import { createPipelineRunner } from '../pipeline/runner.js';
import type { ResolvedProfileOptions } from '../profile-options.js';

/** Input sets the accuracy of a variant is measured on. */
export const ACCURACY_SETS = 8;
/** Input sets static int8 is calibrated on (onnxruntime's examples calibrate on tens to hundreds of samples). */
export const CALIBRATION_SETS = 16;
/** Synthetic calibration seeds start this far from the trial's seed, so calibration and evaluation sets differ. */
export const CALIBRATION_SEED_OFFSET = 1000;

export interface InputSets {
  sets: HostTensor[][];
  source: string;
  /** True when the sets are synthetic (no --data). */
  synthetic: boolean;
}

export async function referenceInputSets(
  session: Session,
  shapes: Map<string, number[]>,
  batch: number,
  pins: InputPins,
  options: ResolvedProfileOptions,
  count: number,
  seedOffset = 0,
): Promise<InputSets> {
  const { pipeline } = options;
  const module = pipeline.data === null ? null : await resolvePipeline(pipeline.name, { options: pipeline.options });
  if (module === null || isNonePipeline(module) || pipeline.data === null) {
    // Inputs fixed by --input-file / --value do not vary with the seed: one set is all there is.
    const fixed = session.info.inputs.filter((i) => pins.files.has(i.name) || pins.values.has(i.name)).map((i) => i.name);
    const all = fixed.length === session.info.inputs.length;
    const first = options.seed + seedOffset;
    const n = all ? 1 : count;
    const sets = Array.from({ length: n }, (_, k) => buildInputs(session.info.inputs, shapes, pins, first + k).tensors);
    const pinned = fixed.length === 0 ? '' : ` (${fixed.join(', ')} fixed by --input-file/--value)`;
    const source = all ? `the fixed inputs (${fixed.join(', ')} from --input-file/--value)` : `synthetic inputs, seeds ${first}..${first + n - 1}${pinned}`;
    // Real data from a file is not synthetic for calibration's purposes.
    return { sets, source, synthetic: !all };
  }
  const data = await openDataSource(pipeline.data, { cache: false, ...(module.extensions && { extensions: module.extensions }), ...(module.unit && { unit: module.unit }) });
  const context = { inputs: session.info.inputs, outputs: session.info.outputs, shapes, batch, options: pipeline.options };
  const runner = await createPipelineRunner({ module, data, context, cacheDecoded: false });
  try {
    const batches = Math.max(1, Math.min(count, Math.floor(data.size / batch)));
    const sets: HostTensor[][] = [];
    for (let k = 0; k < batches; k++) sets.push(await runner.preprocess(await runner.load(k)));
    return { sets, source: `the first ${batches} batch${batches === 1 ? '' : 'es'} of ${data.description}`, synthetic: false };
  } finally {
    await runner.teardown();
  }
}
