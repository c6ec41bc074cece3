// A user pipeline for fixtures/mlp.onnx (input x: float32 [batch, 64] → logits [batch, 10]).
// Each line of a .csv file is one request: 64 comma-separated features.
//   inferbench profile fixtures/mlp.onnx --data examples/pipelines/features.csv \
//     --pipeline examples/pipelines/custom.mjs --pipeline-opt scale=0.5 --batch 4
// Types: see custom.ts, or add `/** @type {import('inferbench').PipelineModule<Float32Array>} */`.

/** @type {import('inferbench').PipelineModule<Float32Array, { classes: number[] }>} */
export default {
  name: 'csv-features',
  extensions: ['.csv'],
  unit: 'line',

  setup(ctx) {
    const input = ctx.inputs[0];
    if (ctx.inputs.length !== 1 || input.type !== 'float32') throw new Error('this pipeline feeds one float32 input');
    this.features = ctx.shapes.get(input.name)[1];
    this.scale = Number(ctx.options.scale ?? '1');
  },

  // decode: text → numbers (cached with --data-cache).
  decode(item) {
    const values = new TextDecoder().decode(item.bytes).split(',').map(Number);
    if (values.length !== this.features || values.some(Number.isNaN)) {
      throw new Error(`expected ${this.features} numbers, got ${values.length}`);
    }
    return Float32Array.from(values);
  },

  // preprocess: scale and stack the batch.
  preprocess(rows, ctx) {
    const data = new Float32Array(rows.length * this.features);
    rows.forEach((row, i) => {
      for (let j = 0; j < this.features; j++) data[i * this.features + j] = row[j] * this.scale;
    });
    return [{ name: ctx.inputs[0].name, type: 'float32', dims: [rows.length, this.features], data }];
  },

  // postprocess: the index of the largest logit per row.
  postprocess(outputs) {
    const [logits] = outputs;
    const classes = logits.dims[1];
    const result = [];
    for (let i = 0; i < logits.dims[0]; i++) {
      const row = Array.from(logits.data.subarray(i * classes, (i + 1) * classes));
      result.push(row.indexOf(Math.max(...row)));
    }
    return { classes: result };
  },
};
