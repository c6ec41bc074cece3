// The same pipeline as custom.mjs, in TypeScript, with the types inferbench exports.
//   inferbench profile fixtures/mlp.onnx --data examples/pipelines/features.csv \
//     --pipeline examples/pipelines/custom.ts --pipeline-opt scale=0.5 --batch 4
// Node 20 cannot import .ts itself: inferbench compiles it with esbuild when that is installed
// (npm i -D esbuild), else compile it first (npx tsc) and pass the .js.
import type { HostTensor, PipelineContext, PipelineModule, RawItem } from 'inferbench';

let features = 0;
let scale = 1;

function setup(ctx: PipelineContext): void {
  const input = ctx.inputs[0];
  if (ctx.inputs.length !== 1 || input?.type !== 'float32') throw new Error('this pipeline feeds one float32 input');
  features = ctx.shapes.get(input.name)?.[1] ?? 0;
  scale = Number(ctx.options.scale ?? '1');
}

/** One line of the .csv → its features (cached with --data-cache). */
function decode(item: RawItem): Float32Array {
  const values = new TextDecoder().decode(item.bytes).split(',').map(Number);
  if (values.length !== features || values.some(Number.isNaN)) throw new Error(`expected ${features} numbers, got ${values.length}`);
  return Float32Array.from(values);
}

function preprocess(rows: Float32Array[], ctx: PipelineContext): HostTensor[] {
  const data = new Float32Array(rows.length * features);
  rows.forEach((row, i) => data.set(row.map((v) => v * scale), i * features));
  return [{ name: ctx.inputs[0]?.name ?? 'x', type: 'float32', dims: [rows.length, features], data }];
}

function postprocess(outputs: HostTensor[]): { classes: number[] } {
  const logits = outputs[0];
  if (logits === undefined || Array.isArray(logits.data)) throw new Error('expected numeric logits');
  const [rows = 0, classes = 0] = logits.dims;
  const data = logits.data as Float32Array;
  const result: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Array.from(data.subarray(i * classes, (i + 1) * classes));
    result.push(row.indexOf(Math.max(...row)));
  }
  return { classes: result };
}

const pipeline: PipelineModule<Float32Array, { classes: number[] }> = {
  name: 'csv-features (ts)',
  extensions: ['.csv'],
  unit: 'line',
  setup,
  decode,
  preprocess,
  postprocess,
};
export default pipeline;
