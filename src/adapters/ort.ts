// Loads onnxruntime-node lazily (so that `--help` and report-only commands never pay for the native
// binding) and reads its tensor metadata: shared by the adapter, its per-operator profiler and the
// roofline calibration.
import { InferbenchError } from '../errors.js';
import type { Dim, ElementType, TensorSpec } from '../types.js';

export type Ort = typeof import('onnxruntime-node');

let ortModule: Promise<Ort> | undefined;
let ortVersion: string | undefined;
export function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node').then((m) => {
    const ort = ((m as { default?: Ort }).default ?? m) as Ort;
    ortVersion = ort.env.versions.node ?? ort.env.versions.common;
    return ort;
  });
  return ortModule;
}

/** The loaded binding's version; undefined before loadOrt() resolved. */
export function loadedOrtVersion(): string | undefined {
  return ortVersion;
}

const ONNX_TYPES = new Set<ElementType>([
  'float32', 'float16', 'float64', 'int8', 'uint8', 'int16', 'uint16',
  'int32', 'uint32', 'int64', 'uint64', 'bool', 'string',
]);

export function toTensorSpec(meta: import('onnxruntime-node').InferenceSession.ValueMetadata): TensorSpec {
  if (!meta.isTensor) {
    throw new InferbenchError('model-invalid', `input/output '${meta.name}' is not a tensor (sequences, maps and optionals are not supported)`, 'inferbench feeds and reads tensors only: export a variant of the model whose inputs and outputs are tensors (e.g. concatenate a sequence into one tensor)');
  }
  const type = meta.type as ElementType;
  if (!ONNX_TYPES.has(type)) {
    throw new InferbenchError('model-invalid', `tensor '${meta.name}' has element type ${meta.type}, which inferbench cannot feed`);
  }
  // ORT reports a symbolic dim as its name and an unnamed dynamic dim as '' (or -1).
  const shape: Dim[] = meta.shape.map((d) => (typeof d === 'number' ? (d < 0 ? null : d) : d === '' ? null : d));
  return { name: meta.name, type, shape };
}
