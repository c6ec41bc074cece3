// TensorFlow Serving's REST predict API (tensorflow/serving tensorflow_serving/g3doc/api_rest.md):
// `POST /v1/models/NAME[/versions/V]:predict` with the row form `{"instances": [...]}` (every
// input shares dim 0; response `{"predictions": ...}`) or the columnar form `{"inputs": ...}`
// (response `{"outputs": ...}`), never both; metadata from `GET /v1/models/NAME[/versions/V]/metadata`.
// Tensors are nested JSON lists; NaN/Infinity tokens are allowed (parseJsonTolerant).
import type { Dim, ElementType, HostTensor, ModelInfo, TensorSpec } from '../../model/spec.js';
import { checkInputs } from '../check-inputs.js';
import { ProtocolError } from '../protocol-error.js';
import { dataToValues, elementCount, flattenNested, nestValues, parseJsonTolerant, valuesToData } from '../tensor-data.js';

export type PredictForm = 'instances' | 'inputs';

const TO_TF: Record<ElementType, string> = {
  float32: 'DT_FLOAT', float16: 'DT_HALF', float64: 'DT_DOUBLE', int8: 'DT_INT8', uint8: 'DT_UINT8', int16: 'DT_INT16',
  uint16: 'DT_UINT16', int32: 'DT_INT32', uint32: 'DT_UINT32', int64: 'DT_INT64', uint64: 'DT_UINT64', bool: 'DT_BOOL', string: 'DT_STRING',
};
const FROM_TF = new Map(Object.entries(TO_TF).map(([k, v]) => [v, k as ElementType]));

/** Rows of a tensor along dim 0, each as nested lists. */
function rowsOf(tensor: HostTensor): unknown[] {
  const values = dataToValues(tensor);
  const [rows = 1, ...rest] = tensor.dims;
  const stride = elementCount(rest);
  return Array.from({ length: rows }, (_, r) => nestValues(values.slice(r * stride, (r + 1) * stride), rest));
}

/** Client: a predict body in either form. */
export function encodePredictRequest(inputs: readonly HostTensor[], form: PredictForm): string {
  if (form === 'inputs') return JSON.stringify({ inputs: Object.fromEntries(inputs.map((t) => [t.name, nestValues(dataToValues(t), t.dims)])) });
  if (inputs.length === 1) return JSON.stringify({ instances: rowsOf(inputs[0]!) });
  const columns = inputs.map(rowsOf);
  const rows = columns[0]?.length ?? 0;
  if (columns.some((c) => c.length !== rows)) throw new ProtocolError(400, 'the row ("instances") form needs every input to share dim 0; use the columnar form');
  return JSON.stringify({ instances: Array.from({ length: rows }, (_, r) => Object.fromEntries(inputs.map((t, i) => [t.name, columns[i]![r]]))) });
}

function tensorOf(spec: TensorSpec, value: unknown): HostTensor {
  const { values, dims } = flattenNested(spec.name, value);
  return { name: spec.name, type: spec.type, dims, data: valuesToData(spec.name, spec.type, values) };
}

/** Server: a predict body → the model's inputs (checked), and which form to answer in. */
export function decodePredictRequest(body: Buffer, specs: readonly TensorSpec[]): { inputs: HostTensor[]; form: PredictForm } {
  let json: unknown;
  try {
    json = parseJsonTolerant(body.toString('utf8'));
  } catch (error) {
    throw new ProtocolError(400, `the body is not valid JSON: ${(error as Error).message}`);
  }
  const request = json as { instances?: unknown; inputs?: unknown } | null;
  if (!request || typeof request !== 'object' || Array.isArray(request)) throw new ProtocolError(400, 'the body is not a JSON object');
  if ((request.instances === undefined) === (request.inputs === undefined)) throw new ProtocolError(400, 'a predict request has exactly one of "instances" (row form) or "inputs" (columnar form)');
  if (request.inputs !== undefined) {
    const named = specs.length === 1 && !isPlainObject(request.inputs) ? { [specs[0]!.name]: request.inputs } : request.inputs;
    if (!isPlainObject(named)) throw new ProtocolError(400, '"inputs" is not an object of named tensors');
    const tensors = Object.entries(named).map(([name, value]) => {
      const spec = specs.find((s) => s.name === name);
      if (!spec) throw new ProtocolError(400, `unknown input '${name}': the model's inputs are ${specs.map((s) => `'${s.name}'`).join(', ')}`);
      return tensorOf(spec, value);
    });
    return { inputs: checkInputs(tensors, specs), form: 'inputs' };
  }
  if (!Array.isArray(request.instances) || request.instances.length === 0) throw new ProtocolError(400, '"instances" is not a non-empty list');
  const rows = request.instances;
  if (specs.length === 1 && !isPlainObject(rows[0])) return { inputs: checkInputs([tensorOf(specs[0]!, rows)], specs), form: 'instances' };
  const tensors = specs.map((spec) => tensorOf(spec, rows.map((row: unknown, r) => {
    if (!isPlainObject(row) || !(spec.name in row)) throw new ProtocolError(400, `instance ${r} has no input '${spec.name}' (the row form gives every input in every instance)`);
    return row[spec.name];
  })));
  return { inputs: checkInputs(tensors, specs), form: 'instances' };
}

/** Server: outputs in the form the request used; one output drops its name, as TF Serving does. */
export function encodePredictResponse(outputs: readonly HostTensor[], form: PredictForm): string {
  if (form === 'inputs') {
    return JSON.stringify({ outputs: outputs.length === 1 ? nestValues(dataToValues(outputs[0]!), outputs[0]!.dims) : Object.fromEntries(outputs.map((t) => [t.name, nestValues(dataToValues(t), t.dims)])) });
  }
  if (outputs.length === 1) return JSON.stringify({ predictions: rowsOf(outputs[0]!) });
  const columns = outputs.map(rowsOf);
  return JSON.stringify({ predictions: Array.from({ length: columns[0]?.length ?? 0 }, (_, r) => Object.fromEntries(outputs.map((t, i) => [t.name, columns[i]![r]]))) });
}

/** Client: a predict response → output tensors typed as the metadata says. */
export function decodePredictResponse(text: string, form: PredictForm, specs: readonly TensorSpec[]): HostTensor[] {
  const json = parseJsonTolerant(text) as { predictions?: unknown; outputs?: unknown; error?: unknown } | null;
  if (typeof json?.error === 'string') throw new ProtocolError(502, json.error);
  const key = form === 'instances' ? 'predictions' : 'outputs';
  const value = json?.[key];
  if (value === undefined) throw new ProtocolError(502, `the response has no "${key}"`);
  if (specs.length === 1) return [tensorOf(specs[0]!, value)];
  if (form === 'inputs') {
    if (!isPlainObject(value)) throw new ProtocolError(502, '"outputs" of a multi-output model is not an object');
    return specs.map((spec) => tensorOf(spec, value[spec.name]));
  }
  if (!Array.isArray(value)) throw new ProtocolError(502, '"predictions" is not a list');
  return specs.map((spec) => tensorOf(spec, value.map((row: Record<string, unknown>) => row?.[spec.name])));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

interface TfTensorInfo {
  dtype: string;
  tensor_shape: { dim: { size: string; name: string }[]; unknown_rank: boolean };
  name: string;
}

/** `GET …/metadata` for a model served in process: one `serving_default` predict signature. */
export function tfMetadataOf(name: string, version: string, info: ModelInfo): unknown {
  const tensors = (list: readonly TensorSpec[]): Record<string, TfTensorInfo> => Object.fromEntries(list.map((t) => [t.name, {
    dtype: TO_TF[t.type],
    tensor_shape: { dim: t.shape.map((d) => ({ size: typeof d === 'number' ? String(d) : '-1', name: '' })), unknown_rank: false },
    name: `${t.name}:0`,
  }]));
  return {
    model_spec: { name, signature_name: '', version },
    metadata: { signature_def: { signature_def: { serving_default: { inputs: tensors(info.inputs), outputs: tensors(info.outputs), method_name: 'tensorflow/serving/predict' } } } },
  };
}

/** `GET /v1/models/NAME` for a model that is loaded. */
export function tfStatusOf(version: string): unknown {
  return { model_version_status: [{ version, state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }] };
}

/** A metadata body → the serving_default signature's inputs and outputs as TensorSpecs (variable dim 0 → `batch`). */
export function tfSpecsOf(body: unknown, signature = 'serving_default'): { inputs: TensorSpec[]; outputs: TensorSpec[] } {
  const defs = (body as { metadata?: { signature_def?: { signature_def?: Record<string, { inputs?: Record<string, TfTensorInfo>; outputs?: Record<string, TfTensorInfo> }> } } } | null)?.metadata?.signature_def?.signature_def;
  const def = defs?.[signature];
  if (!def?.inputs || !def.outputs) throw new ProtocolError(502, `the metadata has no signature '${signature}'${defs ? ` (it has ${Object.keys(defs).join(', ')})` : ''}`);
  const specs = (tensors: Record<string, TfTensorInfo>): TensorSpec[] => Object.entries(tensors).map(([name, t]) => {
    const type = FROM_TF.get(t.dtype);
    if (!type) throw new ProtocolError(502, `tensor '${name}': dtype ${t.dtype} is not one inferbench can build`);
    const shape: Dim[] = (t.tensor_shape?.dim ?? []).map((d, axis) => (Number(d.size) >= 0 ? Number(d.size) : axis === 0 ? 'batch' : d.name || null));
    return { name, type, shape };
  });
  return { inputs: specs(def.inputs), outputs: specs(def.outputs) };
}
