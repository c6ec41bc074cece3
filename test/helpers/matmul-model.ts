// One-MatMul ONNX models written at test time (never committed: the memory-bound case needs
// weights far larger than any cache). y = x · W with x [batch, k] (batch symbolic) and W [k, n].
import { writeFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Writes the model to `path`; W's values are small and exactly representable, the same every run. */
export function writeMatMulModel(path: string, k: number, n: number): string {
  const weights = new Float32Array(k * n);
  for (let i = 0; i < weights.length; i++) weights[i] = ((i % 7) - 3) / 64;
  const float = onnx.TensorProto.DataType.FLOAT;
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: `matmul_${k}x${n}`,
      node: [{ name: 'matmul', opType: 'MatMul', input: ['x', 'w'], output: ['y'] }],
      initializer: [{ name: 'w', dims: [k, n], dataType: float, rawData: new Uint8Array(weights.buffer) }],
      input: [{ name: 'x', type: { tensorType: { elemType: float, shape: { dim: [{ dimParam: 'batch' }, { dimValue: k }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: float, shape: { dim: [{ dimParam: 'batch' }, { dimValue: n }] } } } }],
    },
  };
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
  return path;
}
