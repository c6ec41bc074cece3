// Hand-made ONNX models for cases the fixtures do not have: a blocked op (Max, TopK), a Constant
// with value_float, Gemm with alpha/beta and no transB, a float32 input that is also an output.
import { AT, DT, encodeModel, onnx, rawBytes, type NodeProto, type TensorProto } from '../../src/variants/onnx-graph.js';

type Dims = (number | string)[];
const valueInfo = (name: string, elemType: number, dims: Dims) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});
export const floats = (name: string, dims: number[], values: number[]): TensorProto => ({ name, dataType: DT.FLOAT, dims, rawData: rawBytes(Float32Array.from(values)) });
export const int64s = (name: string, dims: number[], values: number[]): TensorProto => ({ name, dataType: DT.INT64, dims, rawData: rawBytes(BigInt64Array.from(values, (v) => BigInt(v))) });
export const node = (opType: string, input: string[], output: string[], attribute: NodeProto['attribute'] = []): NodeProto => ({ opType, input, output, name: `${opType}_${output[0] ?? ''}`, attribute });
export const intA = (name: string, i: number) => ({ name, type: AT.INT, i });
export const floatA = (name: string, f: number) => ({ name, type: AT.FLOAT, f });

export function model(parts: { nodes: NodeProto[]; initializers?: TensorProto[]; inputs: [string, number, Dims][]; outputs: [string, number, Dims][]; opset?: number }): Uint8Array {
  const m = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: parts.opset ?? 17 }],
    producerName: 'inferbench-test',
    graph: {
      name: 'tiny',
      node: parts.nodes,
      initializer: parts.initializers ?? [],
      input: parts.inputs.map(([n, t, d]) => valueInfo(n, t, d)),
      output: parts.outputs.map(([n, t, d]) => valueInfo(n, t, d)),
    },
  });
  return encodeModel(m);
}

/** x[2,4] → Max(x, floor) → Mul(scale) → TopK(k=2) → values, indices; plus a Constant value_float. */
export function blockedOpsModel(): Uint8Array {
  return model({
    nodes: [
      node('Max', ['x', 'floor'], ['clipped']),
      node('Constant', [], ['scale'], [floatA('value_float', 3)]),
      node('Mul', ['clipped', 'scale'], ['scaled']),
      node('TopK', ['scaled', 'k'], ['values', 'indices'], [intA('axis', -1)]),
    ],
    initializers: [floats('floor', [4], [0, -1, 0.5, 1e-9]), int64s('k', [1], [2])],
    inputs: [['x', DT.FLOAT, [2, 4]]],
    outputs: [['values', DT.FLOAT, [2, 2]], ['indices', DT.INT64, [2, 2]]],
  });
}

/** y = 0.5 · x·W + 2 · c with W [3,2] (no transB), c [2]. */
export function gemmAlphaBetaModel(): Uint8Array {
  return model({
    nodes: [node('Gemm', ['x', 'W', 'c'], ['y'], [floatA('alpha', 0.5), floatA('beta', 2)])],
    initializers: [floats('W', [3, 2], [1, -2, 0.25, 4, -1.5, 0.75]), floats('c', [2], [0.1, -0.2])],
    inputs: [['x', DT.FLOAT, ['batch', 3]]],
    outputs: [['y', DT.FLOAT, ['batch', 2]]],
  });
}

/** y = x + ConstantOfShape(Shape(x)) + 1, the ConstantOfShape with no `value` (float32 zeros). */
export function constantOfShapeModel(): Uint8Array {
  return model({
    nodes: [
      node('Shape', ['x'], ['shape']),
      node('ConstantOfShape', ['shape'], ['zeros']),
      node('Add', ['x', 'zeros'], ['sum']),
      node('Add', ['sum', 'one'], ['y']),
    ],
    initializers: [floats('one', [], [1])],
    inputs: [['x', DT.FLOAT, [3]]],
    outputs: [['y', DT.FLOAT, [3]]],
  });
}
