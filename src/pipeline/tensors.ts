// The built-in `tensors` pipeline: samples stored as tensors. An item is one `.npy` file or ONNX
// `TensorProto` `.pb` file (single-input models), or a directory of them per sample, as ONNX's
// conformance test data lays them out: test_data_set_0/input_0.pb, input_1.pb, ...
//   decode      parse the files (npy.ts, tensor-proto.ts) — cached by --data-cache
//   preprocess  map each sample's tensors to the model's inputs and stack the batch
// Mapping: by name when every input is named by a tensor (TensorProto.name, else the file stem),
// else by order (input_0, input_1, ... sorted naturally). A sample tensor is one item of the batch:
// its dims are the input's resolved dims without the batch axis, or with a batch axis of 1.
import { basename, extname } from 'node:path';
import type { HostTensor, TypedArray } from '../adapters/adapter.js';
import { InferbenchError } from '../errors.js';
import { parseNpy } from '../inputs/npy.js';
import { batchDimOf } from '../inputs/shapes.js';
import { parseTensorProto } from '../inputs/tensor-proto.js';
import type { TensorSpec } from '../types.js';
import { TENSOR_EXTENSIONS } from './formats.js';
import { checkKeys } from './options.js';
import type { PipelineContext, PipelineModule, RawItem, RawPart } from './types.js';

/** A decoded sample: its tensors, each with the file it came from. */
export type TensorSample = (HostTensor & { path: string })[];

function stem(path: string): string {
  return basename(path, extname(path));
}

/** Parses one .npy or .pb file; the tensor is named by TensorProto.name, else the file stem. */
export function readTensorFile(part: RawPart): HostTensor & { path: string } {
  const ext = extname(part.path).toLowerCase();
  if (ext === '.npy') return { name: stem(part.path), ...parseNpy(part.bytes, part.path), path: part.path };
  if (ext === '.pb') {
    const t = parseTensorProto(part.bytes, part.path);
    return { ...t, name: t.name || stem(part.path), path: part.path };
  }
  throw new InferbenchError('input-invalid', `${part.path}: not a .npy or .pb tensor file`, 'the tensors pipeline reads numpy.save files (.npy) and ONNX TensorProto files (.pb)');
}

export function decodeSample(item: RawItem): TensorSample {
  return (item.parts ?? [{ path: item.path, bytes: item.bytes }]).map(readTensorFile);
}

/** The sample's tensors in the order of the model's inputs. */
export function matchInputs(sample: TensorSample, inputs: readonly TensorSpec[]): TensorSample {
  const byName = inputs.map((spec) => sample.find((t) => t.name === spec.name));
  if (byName.every((t) => t !== undefined)) return byName as TensorSample;
  if (sample.length === inputs.length) return sample;
  const where = sample.map((t) => t.path).join(', ');
  throw new InferbenchError(
    'input-invalid',
    `${where}: ${sample.length} tensor(s) (${sample.map((t) => t.name).join(', ')}) for ${inputs.length} input(s) (${inputs.map((s) => s.name).join(', ')})`,
    'name each tensor after its input, or give one file per input in each sample directory (input_0.pb, input_1.pb, ...)',
  );
}

/** The dims one sample of `spec` has: its resolved dims without the batch axis (axis 0). */
function itemDims(spec: TensorSpec, dims: number[]): { axis0: boolean; rest: number[] } {
  return batchDimOf(spec) === 0 ? { axis0: true, rest: dims.slice(1) } : { axis0: false, rest: dims };
}

/** `--dim name=value` for each named (symbolic) dim the file disagrees on, or null when a fixed dim differs. */
function dimHint(spec: TensorSpec, axis0: boolean, rest: number[], file: number[]): string | null {
  if (file.length !== rest.length) return null;
  const pins: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (file[i] === rest[i]) continue;
    const dim = spec.shape[axis0 ? i + 1 : i];
    if (typeof dim !== 'string' || dim === '') return null;
    pins.push(`--dim ${dim}=${file[i]}`);
  }
  return pins.length > 0 ? `pass ${pins.join(' ')} so the shapes match` : null;
}

function checkTensor(t: HostTensor & { path: string }, spec: TensorSpec, axis0: boolean, rest: number[]): void {
  const fmt = (d: number[]): string => `[${d.join(', ')}]`;
  if (t.type !== spec.type) {
    throw new InferbenchError('input-invalid', `${t.path}: input '${spec.name}' is ${spec.type} but the file holds ${t.type}`, 'write the file with the input\'s element type');
  }
  const same = (d: number[]): boolean => d.length === rest.length && d.every((v, i) => v === rest[i]);
  if (!same(t.dims) && !(t.dims[0] === 1 && same(t.dims.slice(1)))) {
    const sample = t.dims.length === rest.length + 1 && t.dims[0] === 1 ? t.dims.slice(1) : t.dims;
    // No per-sample shape fits: the file most likely holds the whole input (an ONNX test data set
    // does), which --input-file feeds as it is, taking its shape from the file.
    const hint = dimHint(spec, axis0, rest, sample) ?? `the file holds a whole input, not one sample: feed it as it is with --input-file ${spec.name}=${t.path} instead of --data`;
    throw new InferbenchError('shape-invalid', `${t.path}: input '${spec.name}' takes ${fmt(rest)} per sample (or ${fmt([1, ...rest])}) but the file holds ${fmt(t.dims)}`, hint);
  }
}

/** Stacks per-sample tensors of one input along a new (or the size-1) batch axis. */
export function stack(name: string, parts: HostTensor[], rest: number[]): HostTensor {
  const first = parts[0] as HostTensor;
  const dims = [parts.length, ...rest];
  if (Array.isArray(first.data)) return { name, type: first.type, dims, data: parts.flatMap((p) => p.data as string[]) };
  const size = first.data.length;
  const Ctor = first.data.constructor as new (n: number) => TypedArray;
  const out = new Ctor(size * parts.length);
  parts.forEach((p, i) => (out as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(p.data as TypedArray, i * size));
  return { name, type: first.type, dims, data: out };
}

function preprocess(samples: TensorSample[], ctx: PipelineContext): HostTensor[] {
  const ordered = samples.map((s) => matchInputs(s, ctx.inputs));
  return ctx.inputs.map((spec, k) => {
    const { axis0, rest } = itemDims(spec, ctx.shapes.get(spec.name) ?? []);
    const parts = ordered.map((s) => s[k] as HostTensor & { path: string });
    for (const t of parts) checkTensor(t, spec, axis0, rest);
    if (!axis0) {
      if (parts.length !== 1) throw new InferbenchError('usage', `input '${spec.name}' has no batch dim, so a batch holds one sample, not ${parts.length}`, 'drop --batch');
      return { name: spec.name, type: spec.type, dims: rest, data: (parts[0] as HostTensor).data };
    }
    return stack(spec.name, parts, rest);
  });
}

/** The `tensors` pipeline (no options). */
export function createTensorsPipeline(options: Record<string, string> = {}): PipelineModule<TensorSample> {
  checkKeys('tensors', options, []);
  return { name: 'tensors', extensions: TENSOR_EXTENSIONS, unit: 'directory', decode: decodeSample, preprocess };
}
