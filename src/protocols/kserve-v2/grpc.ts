// KServe v2 over gRPC: the service loaded from our .proto (grpc_service.proto beside this file's
// source) and the infer messages ↔ HostTensors. Tensors travel as raw_input_contents /
// raw_output_contents (row-major little-endian bytes, one per tensor, in order), as Triton's
// clients send them; typed `contents` are read too, for clients that send them.
import { fileURLToPath } from 'node:url';
import type { HostTensor, TensorSpec } from '../../model/spec.js';
import { checkDims, checkInputs } from '../check-inputs.js';
import { ProtocolError } from '../protocol-error.js';
import { elementCount, fromRawBytes, toRawBytes, valuesToData } from '../tensor-data.js';
import { fromV2Datatype, toV2Datatype } from './datatypes.js';

/** The .proto ships in the package (package.json "files"); dist/ and src/ sit at the same depth. */
export const PROTO_PATH = fileURLToPath(new URL('../../../src/protocols/kserve-v2/grpc_service.proto', import.meta.url));

export type GrpcModule = typeof import('@grpc/grpc-js');

export interface V2Grpc {
  grpc: GrpcModule;
  /** The service definition (server.addService) and the generated client class. */
  service: import('@grpc/grpc-js').ServiceDefinition;
  Client: import('@grpc/grpc-js').ServiceClientConstructor;
}

let loaded: Promise<V2Grpc> | undefined;

/** Loaded lazily: @grpc/grpc-js and the proto parser cost ~100 ms that HTTP-only runs never pay. */
export function loadV2Grpc(): Promise<V2Grpc> {
  loaded ??= (async () => {
    const [grpc, loader] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]);
    const definition = loader.loadSync(PROTO_PATH, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
    const Client = (grpc.loadPackageDefinition(definition).inference as Record<string, unknown>).GRPCInferenceService as import('@grpc/grpc-js').ServiceClientConstructor;
    return { grpc, service: Client.service, Client };
  })();
  return loaded;
}

export interface GrpcWireTensor {
  name: string;
  datatype: string;
  shape: (number | string)[];
  contents?: Record<string, unknown[]> | null;
}

export interface GrpcInferRequest {
  model_name: string;
  model_version: string;
  id: string;
  inputs: GrpcWireTensor[];
  outputs: { name: string }[];
  raw_input_contents: Buffer[];
}

export interface GrpcInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: GrpcWireTensor[];
  raw_output_contents: Buffer[];
}

/** Client: a ModelInferRequest with every input as raw bytes. */
export function toGrpcInferRequest(model: string, version: string, inputs: readonly HostTensor[], id = ''): GrpcInferRequest {
  return {
    model_name: model,
    model_version: version,
    id,
    inputs: inputs.map((t) => ({ name: t.name, datatype: toV2Datatype(t.type), shape: t.dims })),
    outputs: [],
    raw_input_contents: inputs.map(toRawBytes),
  };
}

/** Server: a response with every output as raw bytes. */
export function toGrpcInferResponse(model: string, version: string, id: string, outputs: readonly HostTensor[]): GrpcInferResponse {
  return {
    model_name: model,
    model_version: version,
    id,
    outputs: outputs.map((t) => ({ name: t.name, datatype: toV2Datatype(t.type), shape: t.dims })),
    raw_output_contents: outputs.map(toRawBytes),
  };
}

const CONTENTS_FIELD: Record<string, string> = {
  BOOL: 'bool_contents', INT8: 'int_contents', INT16: 'int_contents', INT32: 'int_contents', INT64: 'int64_contents',
  UINT8: 'uint_contents', UINT16: 'uint_contents', UINT32: 'uint_contents', UINT64: 'uint64_contents',
  FP32: 'fp32_contents', FP64: 'fp64_contents', BYTES: 'bytes_contents',
};

/** Wire tensors + raw contents → HostTensors; `specs` (server side) checks names, types and dims first. */
function decodeGrpcTensors(list: readonly GrpcWireTensor[], raw: readonly Uint8Array[], what: 'input' | 'output', specs: readonly TensorSpec[] | null): HostTensor[] {
  if (raw.length > 0 && raw.length !== list.length) throw new ProtocolError(400, `${raw.length} raw_${what}_contents for ${list.length} ${what}s`);
  return list.map((wire, i) => {
    const where = `${what} '${wire.name}'`;
    const type = fromV2Datatype(wire.datatype, where);
    const dims = wire.shape.map(Number);
    const spec = specs?.find((s) => s.name === wire.name);
    if (specs && !spec) throw new ProtocolError(400, `unknown ${what} '${wire.name}': the model's ${what}s are ${specs.map((s) => `'${s.name}'`).join(', ')}`);
    if (spec) {
      if (spec.type !== type) throw new ProtocolError(400, `${where}: datatype ${wire.datatype}, but the model takes ${toV2Datatype(spec.type)}`);
      checkDims(spec, dims);
    }
    if (raw.length > 0) return { name: wire.name, type, dims, data: fromRawBytes(wire.name, type, dims, raw[i]!) };
    const field = CONTENTS_FIELD[wire.datatype];
    const values: unknown[] = (field ? wire.contents?.[field] : undefined) ?? [];
    if (values.length !== elementCount(dims)) throw new ProtocolError(400, `${where}: ${values.length} elements in contents, but shape [${dims.join(', ')}] holds ${elementCount(dims)} (FP16 must come as raw contents)`);
    const plain = type === 'string' ? values.map((v) => Buffer.from(v as Uint8Array).toString('utf8')) : values;
    return { name: wire.name, type, dims, data: valuesToData(wire.name, type, plain) };
  });
}

/** Server: a request checked against the model. */
export function fromGrpcInferRequest(request: GrpcInferRequest, model: { inputs: readonly TensorSpec[]; outputs: readonly TensorSpec[] }): { inputs: HostTensor[]; outputs: string[] | null } {
  const inputs = checkInputs(decodeGrpcTensors(request.inputs ?? [], request.raw_input_contents ?? [], 'input', model.inputs), model.inputs);
  const asked = (request.outputs ?? []).map((o) => o.name);
  for (const name of asked) {
    if (!model.outputs.some((s) => s.name === name)) throw new ProtocolError(400, `unknown output '${name}': the model's outputs are ${model.outputs.map((s) => `'${s.name}'`).join(', ')}`);
  }
  return { inputs, outputs: asked.length > 0 ? asked : null };
}

/** Client: a response's outputs. */
export function fromGrpcInferResponse(response: GrpcInferResponse): HostTensor[] {
  return decodeGrpcTensors(response.outputs ?? [], response.raw_output_contents ?? [], 'output', null);
}
