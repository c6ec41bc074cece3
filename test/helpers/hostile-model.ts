// A tiny valid ONNX model whose file, tensor and node names are HTML/script injection attempts,
// for the tests that every exporter escapes what it did not write itself.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const HOSTILE_FILE = '<img src=x onerror=alert(1)>.onnx';
export const HOSTILE_INPUT = '</script><script>alert(2)</script>';
export const HOSTILE_OUTPUT = '"><svg onload=alert(3)>';

/** Writes x[batch, 16] → Relu → y into `dir` under HOSTILE_FILE and returns its path. */
export function writeHostileModel(dir: string): string {
  const dims = (d: (number | string)[]) => ({ dim: d.map((v) => (typeof v === 'number' ? { dimValue: v } : { dimParam: v })) });
  const info = (name: string) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: dims(['batch', 16]) } } });
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: '<i>producer</i>',
    graph: {
      name: 'hostile',
      node: [{ name: '<b>relu</b>', opType: 'Relu', input: [HOSTILE_INPUT], output: [HOSTILE_OUTPUT] }],
      input: [info(HOSTILE_INPUT)],
      output: [info(HOSTILE_OUTPUT)],
    },
  };
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(err);
  const path = join(dir, HOSTILE_FILE);
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
  return path;
}
