// Reads TensorFlow models from the filesystem before tfjs sees them: which kind of model a path
// is (tfjs layers / tfjs graph model.json, or a SavedModel directory), a hash and size for the
// report, and an IOHandler that reads model.json and its weight shards with `fs` — tfjs's own
// file:// handler (tf.io.fileSystem) ships with tfjs-node only, and this must work without it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isFile } from '../io/is-file.js';
import { statModel } from './model-path.js';
import { InferbenchError, messageOf } from '../errors.js';
import type { Dim, ElementType, TensorSpec } from '../types.js';
import type { Tf } from './tf-backend.js';
import { packagePath } from '../package-paths.js';

type IOHandler = import('@tensorflow/tfjs-core').io.IOHandler;
type ModelJSON = import('@tensorflow/tfjs-core').io.ModelJSON;
type WeightsManifestEntry = import('@tensorflow/tfjs-core').io.WeightsManifestEntry;

/** Proposed additions to ModelInfo['format'] (src/types.ts). */
export type TfFormat = 'tfjs-layers' | 'tfjs-graph' | 'saved-model';

export interface TfModelFiles {
  format: TfFormat;
  /** model.json, or the SavedModel directory. */
  path: string;
  /** Bytes of model.json plus its weight shards (or of saved_model.pb plus variables/). */
  sizeBytes: number;
  /** sha256 over model.json then each shard in manifest order (SavedModel: saved_model.pb). */
  sha256: string;
  producer?: string;
  /** Layers (layers model) or GraphDef nodes (graph model). */
  nodeCount?: number;
  /** Present for model.json formats: loads the artifacts from disk. */
  handler?: (tf: Tf) => IOHandler;
}

const SAVED_MODEL_PB = 'saved_model.pb';

/** Whether a path looks like a TensorFlow model: *.json, a SavedModel dir, or a dir with model.json. */
export function isTfModelPath(path: string): boolean {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json') || basename(lower) === SAVED_MODEL_PB) return true;
  try {
    if (!statSync(path).isDirectory()) return false;
    return isFile(join(path, SAVED_MODEL_PB)) || isFile(join(path, 'model.json'));
  } catch {
    return false;
  }
}


/**
 * Layers or graph model. `format` ('layers-model' / 'graph-model') when present; otherwise the
 * structure: a Keras model config ({class_name, config}, possibly under `model_config`) is a
 * layers model, a GraphDef ({node: [...]}) a graph model.
 */
export function detectTfjsFormat(json: unknown, path = 'model.json'): 'tfjs-layers' | 'tfjs-graph' {
  const model = (json ?? {}) as { format?: unknown; modelTopology?: Record<string, unknown> };
  if (model.format === 'layers-model') return 'tfjs-layers';
  if (model.format === 'graph-model') return 'tfjs-graph';
  const topology = model.modelTopology;
  if (topology && typeof topology === 'object') {
    const keras = (topology.model_config ?? topology) as Record<string, unknown>;
    if (typeof keras.class_name === 'string' && keras.config && typeof keras.config === 'object') return 'tfjs-layers';
    if (Array.isArray(topology.node)) return 'tfjs-graph';
  }
  throw new InferbenchError(
    'model-invalid',
    `${path} is not a TensorFlow.js model: no modelTopology with a Keras class_name/config (layers model) or a GraphDef node list (graph model)`,
    'pass the model.json written by tensorflowjs_converter or tf.LayersModel.save()',
  );
}

/** Reads what inferbench needs to know about a TensorFlow model path, with clear errors. */
export async function readTfModel(path: string): Promise<TfModelFiles> {
  const info = await statModel(
    path,
    `check the path; bundled TensorFlow.js models are in ${packagePath('fixtures/tf')} (e.g. ${packagePath('fixtures/tf/cnn/model.json')})`,
  );
  if (info.isDirectory()) {
    if (isFile(join(path, SAVED_MODEL_PB))) return readSavedModel(path);
    if (isFile(join(path, 'model.json'))) return readModelJson(join(path, 'model.json'));
    throw new InferbenchError('model-invalid', `${path} is a directory without saved_model.pb or model.json`, 'pass a SavedModel directory or a TensorFlow.js model.json');
  }
  if (basename(path) === SAVED_MODEL_PB) return readSavedModel(dirname(path));
  return readModelJson(path);
}

async function readModelJson(path: string): Promise<TfModelFiles> {
  const text = await readFile(path);
  let json: ModelJSON;
  try {
    json = JSON.parse(text.toString('utf8')) as ModelJSON;
  } catch (error) {
    throw new InferbenchError('model-invalid', `${path} is not valid JSON: ${messageOf(error)}`, 'pass the model.json written by tensorflowjs_converter');
  }
  const format = detectTfjsFormat(json, path);
  const shards = await readShards(path, json);
  const hash = createHash('sha256').update(text);
  for (const shard of shards) hash.update(shard);
  const topology = json.modelTopology as { node?: unknown[]; config?: { layers?: unknown[] }; model_config?: { config?: { layers?: unknown[] } } };
  const layers = topology.config?.layers ?? topology.model_config?.config?.layers;
  const weightSpecs: WeightsManifestEntry[] = (json.weightsManifest ?? []).flatMap((group) => group.weights);
  const weightData = concat(shards);
  return {
    format,
    path,
    sizeBytes: text.byteLength + weightData.byteLength,
    sha256: hash.digest('hex'),
    producer: [json.generatedBy, json.convertedBy].filter(Boolean).join('; ') || undefined,
    nodeCount: format === 'tfjs-graph' ? topology.node?.length : layers?.length,
    // tfjs decodes `quantization` (uint8/uint16/float16 at storage) from the weight specs itself.
    handler: (tf) => tf.io.fromMemory(tf.io.getModelArtifactsForJSONSync(json, weightSpecs, weightData)),
  };
}

/** Weight shards in manifest order (groups in order, paths in order), relative to model.json. */
async function readShards(modelJsonPath: string, json: ModelJSON): Promise<Buffer[]> {
  const dir = dirname(modelJsonPath);
  const paths = (json.weightsManifest ?? []).flatMap((group) => group.paths);
  return Promise.all(
    paths.map((shard) =>
      readFile(join(dir, shard)).catch((error: unknown) => {
        throw new InferbenchError('model-invalid', `${modelJsonPath}: weight shard '${shard}' cannot be read: ${messageOf(error)}`, 'keep the weight files next to model.json, as tensorflowjs_converter writes them');
      }),
    ),
  );
}

function concat(buffers: readonly Buffer[]): ArrayBuffer {
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(b, offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

async function readSavedModel(dir: string): Promise<TfModelFiles> {
  const pb = await readFile(join(dir, SAVED_MODEL_PB));
  return {
    format: 'saved-model',
    path: dir,
    sizeBytes: pb.byteLength,
    sha256: createHash('sha256').update(pb).digest('hex'),
  };
}

/** tfjs dtypes → inferbench element types; complex64 cannot be fed. */
export function elementTypeOf(dtype: string, name: string): ElementType {
  if (dtype === 'float32' || dtype === 'int32' || dtype === 'bool' || dtype === 'string') return dtype;
  // SavedModel signatures may declare wider integer types; tfjs-node feeds them as int32.
  if (dtype === 'int64' || dtype === 'int16' || dtype === 'int8' || dtype === 'uint8') return 'int32';
  throw new InferbenchError('model-invalid', `tensor '${name}' has dtype ${dtype}, which inferbench cannot feed`);
}

/**
 * A tfjs shape (null or -1 for unknown dims) as a TensorSpec. An input must declare its rank to
 * be fed; an output with no declared shape (a graph model without a signature) gets shape [].
 */
export function tensorSpec(name: string, dtype: string | undefined, shape: readonly (number | null)[] | undefined, role: 'input' | 'output'): TensorSpec {
  if (shape === undefined && role === 'input') {
    throw new InferbenchError('model-invalid', `input '${name}' declares no shape (unknown rank), so inferbench cannot build data for it`, 're-export the model with a fixed-rank input signature');
  }
  const dims: Dim[] = (shape ?? []).map((d) => (d === null || d < 0 ? null : d));
  return { name, type: elementTypeOf(dtype ?? 'float32', name), shape: dims };
}

interface SignatureEntry {
  name?: string;
  dtype?: string;
  tensorShape?: { dim?: { size?: string | number }[]; unknownRank?: boolean };
}

/** Shape of a graph model's tensor from its signature ('x:0' entries), when declared. */
export function signatureShape(signature: unknown, side: 'inputs' | 'outputs', node: string): number[] | undefined {
  const entries = ((signature ?? {}) as Record<string, Record<string, SignatureEntry> | undefined>)[side] ?? {};
  for (const [key, entry] of Object.entries(entries)) {
    const tensor = (entry.name ?? key).replace(/:0$/, '');
    if ((tensor === node || key === node) && entry.tensorShape && !entry.tensorShape.unknownRank) {
      return (entry.tensorShape.dim ?? []).map((d) => Number(d.size ?? -1));
    }
  }
  return undefined;
}
