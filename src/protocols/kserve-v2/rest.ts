// KServe v2 REST inference bodies, both directions, JSON and the binary tensor data extension
// (triton-inference-server/server docs/protocol/extension_binary_data.md): the JSON object first,
// its byte length in the `Inference-Header-Content-Length` header, then each binary tensor's raw
// little-endian bytes in order, each sized by its `parameters.binary_data_size`.
import type { HostTensor, TensorSpec } from '../../model/spec.js';
import { checkDims, checkInputs } from '../check-inputs.js';
import { ProtocolError } from '../protocol-error.js';
import { elementCount, flattenNested, fromRawBytes, jsonArrayText, parseJsonTolerant, toRawBytes, valuesToData } from '../tensor-data.js';
import { fromV2Datatype, toV2Datatype } from './datatypes.js';

export const HEADER_LENGTH = 'inference-header-content-length';

/** A body to send: JSON alone (`jsonLength` null) or JSON followed by binary tensors. */
export interface EncodedBody {
  chunks: Buffer[];
  /** Bytes of the JSON part when binary tensors follow; null for a pure JSON body. */
  jsonLength: number | null;
}

export function bodyHeaders(body: EncodedBody): Record<string, string> {
  const length = body.chunks.reduce((n, c) => n + c.length, 0);
  return body.jsonLength === null
    ? { 'content-type': 'application/json', 'content-length': String(length) }
    : { 'content-type': 'application/octet-stream', 'content-length': String(length), [HEADER_LENGTH]: String(body.jsonLength) };
}

interface WireTensor {
  name: string;
  shape: number[];
  datatype: string;
  parameters?: Record<string, unknown>;
  data?: unknown;
}

/** Tensors as a v2 body: `key` is 'inputs' (request) or 'outputs' (response); `binary` says which go as raw bytes. */
function encodeTensors(head: Record<string, unknown>, key: 'inputs' | 'outputs', tensors: readonly HostTensor[], binary: (name: string) => boolean): EncodedBody {
  const raws: Buffer[] = [];
  const parts: string[] = [];
  for (const tensor of tensors) {
    const meta = `"name":${JSON.stringify(tensor.name)},"shape":${JSON.stringify(tensor.dims)},"datatype":"${toV2Datatype(tensor.type)}"`;
    if (binary(tensor.name)) {
      const raw = toRawBytes(tensor);
      raws.push(raw);
      parts.push(`{${meta},"parameters":{"binary_data_size":${raw.length}}}`);
    } else {
      parts.push(`{${meta},"data":${jsonArrayText(tensor)}}`);
    }
  }
  const headText = JSON.stringify(head);
  const json = Buffer.from(`${headText.slice(0, -1)}${headText.length > 2 ? ',' : ''}"${key}":[${parts.join(',')}]}`);
  return raws.length === 0 ? { chunks: [json], jsonLength: null } : { chunks: [json, ...raws], jsonLength: json.length };
}

/** Client: an infer request. `binary` sends inputs as raw bytes and asks for raw outputs. */
export function encodeInferRequest(inputs: readonly HostTensor[], options: { binary: boolean; id?: string }): EncodedBody {
  const head: Record<string, unknown> = {};
  if (options.id !== undefined) head.id = options.id;
  if (options.binary) head.parameters = { binary_data_output: true };
  return encodeTensors(head, 'inputs', inputs, () => options.binary);
}

/** Server: an infer response; outputs named in `binaryOutputs` go as raw bytes. */
export function encodeInferResponse(head: { model_name: string; model_version?: string; id?: string }, outputs: readonly HostTensor[], binaryOutputs: (name: string) => boolean): EncodedBody {
  return encodeTensors(head, 'outputs', outputs, binaryOutputs);
}

/** The JSON part of a body and the binary part after it. */
function splitBody(body: Buffer, headerLength: string | undefined): { json: unknown; binary: Buffer } {
  let jsonEnd = body.length;
  if (headerLength !== undefined) {
    jsonEnd = Number(headerLength);
    if (!/^\d+$/.test(headerLength.trim()) || jsonEnd > body.length) {
      throw new ProtocolError(400, `Inference-Header-Content-Length ${JSON.stringify(headerLength)} is not a byte count within the ${body.length}-byte body`);
    }
  }
  let json: unknown;
  try {
    json = parseJsonTolerant(body.toString('utf8', 0, jsonEnd));
  } catch (error) {
    throw new ProtocolError(400, `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ProtocolError(400, 'the body is not a JSON object');
  return { json, binary: body.subarray(jsonEnd) };
}

/** Each wire tensor → a HostTensor, its data from `data` or from the next binary_data_size bytes. */
function decodeTensors(list: unknown, what: 'input' | 'output', binary: Buffer, specs: readonly TensorSpec[] | null): HostTensor[] {
  if (!Array.isArray(list)) throw new ProtocolError(400, `"${what}s" is not a list`);
  let offset = 0;
  const tensors = list.map((item: unknown, i): HostTensor => {
    const wire = item as Partial<WireTensor> | null;
    if (!wire || typeof wire !== 'object' || typeof wire.name !== 'string') throw new ProtocolError(400, `${what} ${i} has no "name"`);
    const where = `${what} '${wire.name}'`;
    const type = fromV2Datatype(wire.datatype, where);
    if (!Array.isArray(wire.shape)) throw new ProtocolError(400, `${where} has no "shape" list`);
    const dims = wire.shape as number[];
    const spec = specs?.find((s) => s.name === wire.name);
    if (spec) {
      if (spec.type !== type) throw new ProtocolError(400, `${where}: datatype ${wire.datatype}, but the model takes ${toV2Datatype(spec.type)}`);
      checkDims(spec, dims);
    } else if (specs) {
      throw new ProtocolError(400, `unknown ${what} '${wire.name}': the model's ${what}s are ${specs.map((s) => `'${s.name}'`).join(', ')}`);
    } else if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new ProtocolError(502, `${where}: shape ${JSON.stringify(dims)} is not a list of sizes`);
    }
    const size = (wire.parameters as { binary_data_size?: unknown } | undefined)?.binary_data_size;
    if (size !== undefined) {
      if (!Number.isSafeInteger(size) || (size as number) < 0 || offset + (size as number) > binary.length) {
        throw new ProtocolError(400, `${where}: binary_data_size ${JSON.stringify(size)} runs past the ${binary.length} bytes of binary data`);
      }
      const bytes = binary.subarray(offset, offset + (size as number));
      offset += size as number;
      return { name: wire.name, type, dims, data: fromRawBytes(wire.name, type, dims, bytes) };
    }
    if (wire.data === undefined) throw new ProtocolError(400, `${where} has neither "data" nor parameters.binary_data_size`);
    const { values } = flattenNested(wire.name, wire.data);
    if (values.length !== elementCount(dims)) throw new ProtocolError(400, `${where}: ${values.length} elements of data, but shape [${dims.join(', ')}] holds ${elementCount(dims)}`);
    return { name: wire.name, type, dims, data: valuesToData(wire.name, type, values) };
  });
  if (offset !== binary.length) throw new ProtocolError(400, `${binary.length - offset} bytes of binary data after the last binary tensor`);
  return tensors;
}

export interface DecodedInferRequest {
  id?: string;
  /** In the model's input order, checked against it. */
  inputs: HostTensor[];
  /** Outputs asked for (null: all), each with whether it goes back as binary. */
  outputs: { name: string; binary: boolean }[] | null;
  /** Request-level `binary_data_output`: every output not asked otherwise goes back as binary. */
  binaryOutput: boolean;
}

/** Server: a request body (JSON, or JSON + binary with the header length), checked against the model. */
export function decodeInferRequest(body: Buffer, headerLength: string | undefined, model: { inputs: readonly TensorSpec[]; outputs: readonly TensorSpec[] }): DecodedInferRequest {
  const { json, binary } = splitBody(body, headerLength);
  const request = json as { id?: unknown; parameters?: { binary_data_output?: unknown }; inputs?: unknown; outputs?: unknown };
  if (request.id !== undefined && typeof request.id !== 'string') throw new ProtocolError(400, '"id" is not a string');
  const inputs = checkInputs(decodeTensors(request.inputs, 'input', binary, model.inputs), model.inputs);
  const binaryOutput = request.parameters?.binary_data_output === true;
  let outputs: DecodedInferRequest['outputs'] = null;
  if (request.outputs !== undefined) {
    if (!Array.isArray(request.outputs)) throw new ProtocolError(400, '"outputs" is not a list');
    outputs = request.outputs.map((o: unknown, i) => {
      const out = o as { name?: unknown; parameters?: { binary_data?: unknown } } | null;
      if (!out || typeof out.name !== 'string') throw new ProtocolError(400, `requested output ${i} has no "name"`);
      if (!model.outputs.some((s) => s.name === out.name)) throw new ProtocolError(400, `unknown output '${out.name}': the model's outputs are ${model.outputs.map((s) => `'${s.name}'`).join(', ')}`);
      const flag = out.parameters?.binary_data;
      return { name: out.name, binary: typeof flag === 'boolean' ? flag : binaryOutput };
    });
  }
  return { ...(request.id !== undefined && { id: request.id as string }), inputs, outputs, binaryOutput };
}

/** Client: a response body → its output tensors. A v2 error body (`{"error": ...}`) is a ProtocolError. */
export function decodeInferResponse(body: Buffer, headerLength: string | undefined, status = 200): HostTensor[] {
  const { json, binary } = splitBody(body, headerLength);
  const response = json as { error?: unknown; outputs?: unknown };
  if (typeof response.error === 'string' || status >= 400) throw new ProtocolError(status >= 400 ? status : 502, String(response.error ?? `HTTP ${status}`));
  return decodeTensors(response.outputs, 'output', binary, null);
}
