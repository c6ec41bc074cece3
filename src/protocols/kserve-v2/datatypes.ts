// KServe v2 / Open Inference Protocol datatypes ↔ the element types of a HostTensor
// (kserve/kserve docs/predict-api/v2/required_api.md, "Tensor Data Types").
import type { Dim, ElementType, ModelInfo, TensorSpec } from '../../model/spec.js';
import { ProtocolError } from '../protocol-error.js';

const TO_V2: Record<ElementType, string> = {
  bool: 'BOOL', uint8: 'UINT8', uint16: 'UINT16', uint32: 'UINT32', uint64: 'UINT64',
  int8: 'INT8', int16: 'INT16', int32: 'INT32', int64: 'INT64',
  float16: 'FP16', float32: 'FP32', float64: 'FP64', string: 'BYTES',
};
const FROM_V2 = new Map(Object.entries(TO_V2).map(([k, v]) => [v, k as ElementType]));

export function toV2Datatype(type: ElementType): string {
  return TO_V2[type];
}

/** A v2 datatype's element type; BF16 and unknown names are a ProtocolError (no HostTensor holds them). */
export function fromV2Datatype(datatype: unknown, where: string): ElementType {
  const type = typeof datatype === 'string' ? FROM_V2.get(datatype) : undefined;
  if (!type) throw new ProtocolError(400, `${where}: datatype ${JSON.stringify(datatype)} is not one of ${[...FROM_V2.keys()].join(', ')}`);
  return type;
}

/** Tensor metadata as v2 lists it: `{name, datatype, shape}` with -1 for a variable dim. */
export interface V2TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

/** `GET v2/models/{name}` → this. */
export interface V2ModelMetadata {
  name: string;
  versions?: string[];
  platform: string;
  inputs: V2TensorMetadata[];
  outputs: V2TensorMetadata[];
}

export function toV2Tensor(spec: TensorSpec): V2TensorMetadata {
  return { name: spec.name, datatype: toV2Datatype(spec.type), shape: spec.shape.map((d) => (typeof d === 'number' ? d : -1)) };
}

/** The metadata a server publishes for a model it runs in process. */
export function modelMetadataOf(name: string, version: string, info: ModelInfo): V2ModelMetadata {
  const platform = info.format === 'onnx' ? 'onnx_onnxv1' : info.format === 'saved-model' ? 'tensorflow_savedmodel' : 'tensorflow_js';
  return { name, versions: [version], platform, inputs: info.inputs.map(toV2Tensor), outputs: info.outputs.map(toV2Tensor) };
}

/**
 * A remote model's tensors as TensorSpecs, so inputs are built as for a model file. v2 metadata
 * has no dim names: a variable leading dim becomes `batch` (what --batch sets, as Triton's
 * max_batch_size models list it), any other variable dim is unnamed (--dim/--shape, or guessed).
 */
export function tensorSpecsOf(tensors: unknown, where: string): TensorSpec[] {
  if (!Array.isArray(tensors)) throw new ProtocolError(502, `${where} is not a list`);
  return tensors.map((t: unknown, i) => {
    const tensor = t as Partial<V2TensorMetadata> | null;
    if (!tensor || typeof tensor.name !== 'string' || !Array.isArray(tensor.shape)) throw new ProtocolError(502, `${where}[${i}] has no name or shape`);
    const shape: Dim[] = tensor.shape.map((d, axis) => (typeof d === 'number' && d >= 0 ? d : axis === 0 ? 'batch' : null));
    return { name: tensor.name, type: fromV2Datatype(tensor.datatype, `${where}[${i}] '${tensor.name}'`), shape };
  });
}
