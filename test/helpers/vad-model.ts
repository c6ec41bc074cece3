// Two releases of a voice-activity model whose inputs changed, as Silero VAD's did from v4 to v5
// (written at test time, never committed): v4 takes input [batch, samples], sr (int64 scalar) and
// LSTM states h, c [2, batch, 64]; v5 takes input [?, ?] (unnamed dims), sr and one state
// [2, ?, 128] whose middle dim is unnamed, so only --shape can size it. Each output passes an input
// through cheaply: what matters is the signature, not the arithmetic.
import { writeFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

type DimSpec = number | string | null;
const dim = (d: DimSpec): object => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {});
const value = (name: string, elemType: number, dims: DimSpec[]): object => ({ name, type: { tensorType: { elemType, shape: { dim: dims.map(dim) } } } });

function write(path: string, name: string, inputs: object[], outputs: object[], nodes: object[]): string {
  const model = { irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name, node: nodes, input: inputs, output: outputs } };
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
  return path;
}

export function writeVadV4(path: string): string {
  return write(
    path,
    'vad_v4',
    [value('input', FLOAT, ['batch', 'samples']), value('sr', INT64, []), value('h', FLOAT, [2, 'batch', 64]), value('c', FLOAT, [2, 'batch', 64])],
    [value('output', FLOAT, []), value('srf', FLOAT, []), value('hn', FLOAT, [2, 'batch', 64]), value('cn', FLOAT, [2, 'batch', 64])],
    [
      { opType: 'ReduceSum', input: ['input'], output: ['output'], attribute: [{ name: 'keepdims', i: 0, type: onnx.AttributeProto.AttributeType.INT }] },
      { opType: 'Cast', input: ['sr'], output: ['srf'], attribute: [{ name: 'to', i: FLOAT, type: onnx.AttributeProto.AttributeType.INT }] },
      { opType: 'Identity', input: ['h'], output: ['hn'] },
      { opType: 'Identity', input: ['c'], output: ['cn'] },
    ],
  );
}

export function writeVadV5(path: string): string {
  return write(
    path,
    'vad_v5',
    [value('input', FLOAT, [null, null]), value('state', FLOAT, [2, null, 128]), value('sr', INT64, [])],
    [value('output', FLOAT, []), value('srf', FLOAT, []), value('stateN', FLOAT, [2, null, 128])],
    [
      { opType: 'ReduceSum', input: ['input'], output: ['output'], attribute: [{ name: 'keepdims', i: 0, type: onnx.AttributeProto.AttributeType.INT }] },
      { opType: 'Cast', input: ['sr'], output: ['srf'], attribute: [{ name: 'to', i: FLOAT, type: onnx.AttributeProto.AttributeType.INT }] },
      { opType: 'Identity', input: ['state'], output: ['stateN'] },
    ],
  );
}
