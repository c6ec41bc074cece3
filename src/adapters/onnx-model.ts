// Reads an ONNX file before ONNX Runtime sees it: existence, a hash for the report, and a protobuf
// decode (onnx-proto) that turns "not a model" or "truncated" into a clear error instead of a
// runtime stack, and gives opsets/producer for the report.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import onnxProto from 'onnx-proto';
import { statModel } from './model-path.js';
import { InferbenchError, messageOf } from '../errors.js';
import { packagePath } from '../package-paths.js';

const { onnx } = onnxProto;

export interface OnnxFileFacts {
  sizeBytes: number;
  sha256: string;
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer: string;
  nodeCount: number;
  /** The raw bytes, handed to ONNX Runtime so the file is read once. */
  bytes: Uint8Array;
}

export async function readOnnxFile(path: string): Promise<OnnxFileFacts> {
  const info = await statModel(
    path,
    `check the path; bundled models are in ${packagePath('fixtures')} (e.g. ${packagePath('fixtures/cnn.onnx')})`,
  );
  if (info.isDirectory()) {
    throw new InferbenchError('model-invalid', `${path} is a directory, not an ONNX file`, 'pass the .onnx file itself');
  }
  const bytes = new Uint8Array(await readFile(path));
  let model: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw notAModel(path, `protobuf decode failed (${messageOf(error)}); the file may be truncated or not ONNX`);
  }
  const graph = model.graph;
  // A graph without inputs is valid ONNX (a Constant node, a generator): ORT runs it with no feeds.
  if (!graph || !graph.node || !model.irVersion) {
    throw notAModel(path, 'the file decodes but holds no ONNX graph');
  }
  return {
    sizeBytes: info.size,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    irVersion: Number(model.irVersion),
    opsets: (model.opsetImport ?? []).map((o) => ({ domain: o.domain || 'ai.onnx', version: Number(o.version ?? 0) })),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    nodeCount: graph.node.length,
    bytes,
  };
}

function notAModel(path: string, why: string): InferbenchError {
  return new InferbenchError('model-invalid', `${path} is not a valid ONNX model: ${why}`, 're-export the model (e.g. torch.onnx.export) or check the download is complete');
}
