// The protocol codecs against the protocols' published examples (kserve/kserve
// docs/predict-api/v2/required_api.md, tensorflow/serving g3doc/api_rest.md, Triton's
// extension_binary_data.md) and against themselves: what the client writes the server reads.
import { describe, expect, test } from 'vitest';
import type { HostTensor, TensorSpec } from '../../src/model/spec.js';
import { modelMetadataOf, tensorSpecsOf } from '../../src/protocols/kserve-v2/datatypes.js';
import { decodeInferRequest, decodeInferResponse, encodeInferRequest, encodeInferResponse } from '../../src/protocols/kserve-v2/rest.js';
import { fromGrpcInferRequest, fromGrpcInferResponse, loadV2Grpc, toGrpcInferRequest, toGrpcInferResponse } from '../../src/protocols/kserve-v2/grpc.js';
import { statsDelta, emptyModelStats } from '../../src/protocols/kserve-v2/stats.js';
import { isProtocolError } from '../../src/protocols/protocol-error.js';
import { jsonArrayText, parseJsonTolerant } from '../../src/protocols/tensor-data.js';
import { decodePredictRequest, decodePredictResponse, encodePredictRequest, encodePredictResponse, tfMetadataOf, tfSpecsOf } from '../../src/protocols/tfserving/rest.js';

const body = (chunks: Buffer[]): Buffer => Buffer.concat(chunks);
const fail = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (isProtocolError(error)) return `${error.status} ${error.message}`;
    throw error;
  }
  throw new Error('did not fail');
};

describe('KServe v2 REST, the published example (required_api.md "Inference Request Examples")', () => {
  // The spec's request, verbatim except input1: its shape [3] with one element is inconsistent
  // in the published text (a strict server must refuse it; the test below checks that we do).
  const example = { id: '42', inputs: [{ name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] }, { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, false, true] }], outputs: [{ name: 'output0' }] };
  const model = { inputs: [{ name: 'input0', type: 'uint32', shape: [2, 2] }, { name: 'input1', type: 'bool', shape: [3] }] as TensorSpec[], outputs: [{ name: 'output0', type: 'float32', shape: [3, 2] }] as TensorSpec[] };

  test('the request decodes to typed tensors, the id and the outputs asked for', () => {
    const decoded = decodeInferRequest(Buffer.from(JSON.stringify(example)), undefined, model);
    expect(decoded.id).toBe('42');
    expect(decoded.inputs[0]).toEqual({ name: 'input0', type: 'uint32', dims: [2, 2], data: new Uint32Array([1, 2, 3, 4]) });
    expect(decoded.inputs[1]).toEqual({ name: 'input1', type: 'bool', dims: [3], data: new Uint8Array([1, 0, 1]) });
    expect(decoded.outputs).toEqual([{ name: 'output0', binary: false }]);
  });

  test("the published input1 (shape [3], one element) is refused with what is wrong", () => {
    const published = { ...example, inputs: [example.inputs[0], { name: 'input1', shape: [3], datatype: 'BOOL', data: [true] }] };
    expect(fail(() => decodeInferRequest(Buffer.from(JSON.stringify(published)), undefined, model))).toBe("400 input 'input1': 1 elements of data, but shape [3] holds 3");
  });

  test('the published response (its missing comma after "id" restored) decodes; data may be nested', () => {
    const response = '{ "id" : "42", "outputs" : [ { "name" : "output0", "shape" : [ 3, 2 ], "datatype" : "FP32", "data" : [ 1.0, 1.1, 2.0, 2.1, 3.0, 3.1 ] } ] }';
    const [output] = decodeInferResponse(Buffer.from(response), undefined);
    expect(output).toEqual({ name: 'output0', type: 'float32', dims: [3, 2], data: new Float32Array([1.0, 1.1, 2.0, 2.1, 3.0, 3.1]) });
    const nested = decodeInferResponse(Buffer.from(response.replace('[ 1.0, 1.1, 2.0, 2.1, 3.0, 3.1 ]', '[[1.0, 1.1], [2.0, 2.1], [3.0, 3.1]]')), undefined);
    expect(nested[0]!.data).toEqual(output!.data);
  });

  test('an error body is a ProtocolError with the server message', () => {
    expect(fail(() => decodeInferResponse(Buffer.from('{"error": "no such model"}'), undefined, 404))).toBe('404 no such model');
  });
});

describe('KServe v2 REST, client ⇄ server round trips', () => {
  const floats: HostTensor = { name: 'x', type: 'float32', dims: [2, 3], data: new Float32Array([0.1, -1e-30, 3.4e38, 1 / 3, NaN, -Infinity]) };
  const ids: HostTensor = { name: 'ids', type: 'int64', dims: [3], data: new BigInt64Array([1n, -2n, 9007199254740991n]) };
  const words: HostTensor = { name: 'w', type: 'string', dims: [2], data: ['héllo', ''] };
  const model = { inputs: [{ name: 'x', type: 'float32', shape: ['batch', 3] }, { name: 'ids', type: 'int64', shape: [3] }, { name: 'w', type: 'string', shape: [2] }] as TensorSpec[], outputs: [] };

  test.each([['JSON', false], ['binary', true]])('%s: float32 bit-exact (NaN and ±Infinity included), int64 and strings kept', (_label, binary) => {
    const encoded = encodeInferRequest([floats, ids, words], { binary });
    expect(encoded.jsonLength !== null).toBe(binary);
    const decoded = decodeInferRequest(body(encoded.chunks), encoded.jsonLength === null ? undefined : String(encoded.jsonLength), model);
    expect(Buffer.from((decoded.inputs[0]!.data as Float32Array).buffer).equals(Buffer.from((floats.data as Float32Array).buffer))).toBe(true);
    expect(decoded.inputs[1]!.data).toEqual(ids.data);
    expect(decoded.inputs[2]!.data).toEqual(words.data);
    expect(decoded.binaryOutput).toBe(binary);
  });

  test('binary layout: the JSON header then raw little-endian bytes, sized by binary_data_size', () => {
    const encoded = encodeInferRequest([{ name: 'x', type: 'float32', dims: [1], data: new Float32Array([1]) }], { binary: true });
    const json = JSON.parse(encoded.chunks[0]!.toString());
    expect(json).toEqual({ parameters: { binary_data_output: true }, inputs: [{ name: 'x', shape: [1], datatype: 'FP32', parameters: { binary_data_size: 4 } }] });
    expect(encoded.chunks[1]).toEqual(Buffer.from([0, 0, 0x80, 0x3f]));
    expect(encoded.jsonLength).toBe(encoded.chunks[0]!.length);
  });

  test('a response with one binary and one JSON output decodes both', () => {
    const out = encodeInferResponse({ model_name: 'm', id: '7' }, [floats, words], (name) => name === 'x');
    const decoded = decodeInferResponse(body(out.chunks), String(out.jsonLength));
    expect(decoded.map((t) => [t.name, t.dims])).toEqual([['x', [2, 3]], ['w', [2]]]);
    expect(Buffer.from((decoded[0]!.data as Float32Array).buffer).equals(Buffer.from((floats.data as Float32Array).buffer))).toBe(true);
  });

  test.each([
    ['a truncated binary body', (b: Buffer, h: number) => [b.subarray(0, b.length - 3), String(h)] as const, /binary_data_size 24 runs past the 21 bytes/],
    ['a header length past the body', (b: Buffer) => [b, String(b.length + 1)] as const, /not a byte count within/],
    ['a header length that is not a number', (b: Buffer) => [b, '12x'] as const, /not a byte count/],
    ['extra bytes after the tensors', (b: Buffer, h: number) => [Buffer.concat([b, Buffer.from([1])]), String(h)] as const, /1 bytes of binary data after the last binary tensor/],
  ])('binary: %s is a 400', (_label, mangle, message) => {
    const encoded = encodeInferRequest([floats], { binary: true });
    const [b, h] = mangle(body(encoded.chunks), encoded.jsonLength!);
    expect(fail(() => decodeInferRequest(b, h, { inputs: [model.inputs[0]!], outputs: [] }))).toMatch(message);
  });

  test('JSON floats are written as the shortest text that reads back the same; non-finite as tokens', () => {
    expect(jsonArrayText({ name: 'x', type: 'float32', dims: [4], data: new Float32Array([0.1, NaN, Infinity, -Infinity]) })).toBe('[0.10000000149011612,NaN,Infinity,-Infinity]');
    expect(parseJsonTolerant('{"a":[NaN, -Infinity,1]}')).toEqual({ a: [null, -Infinity, 1] });
  });
});

describe('KServe v2 metadata and statistics', () => {
  test('metadata lists -1 for variable dims; read back, a variable leading dim is the batch', () => {
    const info = { path: 'm.onnx', format: 'onnx' as const, sizeBytes: 1, sha256: '', inputs: [{ name: 'image', type: 'float32' as const, shape: ['N', 3, null, 64] }], outputs: [{ name: 'scores', type: 'float32' as const, shape: ['N', 10] }] };
    const meta = modelMetadataOf('cnn', '1', info);
    expect(meta.inputs).toEqual([{ name: 'image', datatype: 'FP32', shape: [-1, 3, -1, 64] }]);
    expect(tensorSpecsOf(meta.inputs, 'inputs')).toEqual([{ name: 'image', type: 'float32', shape: ['batch', 3, null, 64] }]);
  });

  test('two snapshots give per-request averages', () => {
    const before = emptyModelStats('m', '1');
    const after = structuredClone(before);
    after.inference_stats.success = { count: 4, ns: 40_000_000 };
    after.inference_stats.queue = { count: 4, ns: 4_000_000 };
    after.inference_stats.compute_infer = { count: 4, ns: 20_000_000 };
    after.execution_count = 2;
    expect(statsDelta(before, after)).toEqual({ requests: 4, failed: 0, executions: 2, queueUs: 1000, computeInputUs: 0, computeInferUs: 5000, computeOutputUs: 0 });
    expect(statsDelta(before, before)).toBeNull();
  });
});

describe('KServe v2 gRPC messages (our .proto: the published field numbers)', () => {
  test('the .proto has the field numbers of kserve grpc_predict_v2.proto', async () => {
    const { service } = await loadV2Grpc();
    const request = toGrpcInferRequest('m', '', [{ name: 'x', type: 'float32', dims: [1], data: new Float32Array([2]) }], 'id1');
    const bytes = service.ModelInfer!.requestSerialize(request);
    // model_name = 1 (0x0a), model_version = 2 (0x12), id = 3 (0x1a), inputs = 5 (0x2a: name = 1,
    // datatype = 2, shape = 3 packed), raw_input_contents = 7 (0x3a: float32 2.0 little-endian).
    const expected = '0a016d' + '1200' + '1a03696431' + '2a0c' + '0a0178' + '120446503332' + '1a0101' + '3a0400000040';
    expect(bytes.toString('hex')).toBe(expected);
    const back = service.ModelInfer!.requestDeserialize(bytes) as never;
    expect(fromGrpcInferRequest(back, { inputs: [{ name: 'x', type: 'float32', shape: [1] }], outputs: [] }).inputs[0]!.data).toEqual(new Float32Array([2]));
  });

  test('a response round-trips through the wire with raw_output_contents', async () => {
    const { service } = await loadV2Grpc();
    const tensor: HostTensor = { name: 'y', type: 'int32', dims: [2], data: new Int32Array([-1, 7]) };
    const wire = service.ModelInfer!.responseSerialize(toGrpcInferResponse('m', '1', '', [tensor]));
    expect(fromGrpcInferResponse(service.ModelInfer!.responseDeserialize(wire) as never)).toEqual([tensor]);
  });

  test('typed contents are read too, and a count that does not fit the shape is refused', () => {
    const request = { model_name: 'm', model_version: '', id: '', outputs: [], raw_input_contents: [], inputs: [{ name: 'x', datatype: 'FP32', shape: [2], contents: { fp32_contents: [1.5, 2.5] } }] };
    const model = { inputs: [{ name: 'x', type: 'float32', shape: [2] }] as TensorSpec[], outputs: [] };
    expect(fromGrpcInferRequest(request, model).inputs[0]!.data).toEqual(new Float32Array([1.5, 2.5]));
    const short = { ...request, inputs: [{ ...request.inputs[0]!, contents: { fp32_contents: [1.5] } }] };
    expect(fail(() => fromGrpcInferRequest(short, model))).toMatch(/1 elements in contents, but shape \[2\] holds 2/);
  });
});

describe('TF Serving REST (api_rest.md examples)', () => {
  const three: TensorSpec[] = [{ name: 'tag', type: 'string', shape: [-1] as never }, { name: 'signal', type: 'int32', shape: ['batch', 5] }, { name: 'sensor', type: 'int32', shape: ['batch', 2, 2] }];
  test('the row-form example with three named inputs (its stray bracket removed) decodes', () => {
    const published = '{"instances": [{"tag": "foo", "signal": [1, 2, 3, 4, 5], "sensor": [[1, 2], [3, 4]]}, {"tag": "bar", "signal": [3, 4, 1, 2, 5], "sensor": [[4, 5], [6, 8]]}]}';
    const { inputs, form } = decodePredictRequest(Buffer.from(published), three.map((s) => (s.name === 'tag' ? { ...s, shape: ['batch'] } : s)));
    expect(form).toBe('instances');
    expect(inputs.map((t) => [t.name, t.dims])).toEqual([['tag', [2]], ['signal', [2, 5]], ['sensor', [2, 2, 2]]]);
    expect(inputs[2]!.data).toEqual(new Int32Array([1, 2, 3, 4, 4, 5, 6, 8]));
  });

  test('the columnar example decodes to the same tensors', () => {
    const published = '{"inputs": {"tag": ["foo", "bar"], "signal": [[1, 2, 3, 4, 5], [3, 4, 1, 2, 5]], "sensor": [[[1, 2], [3, 4]], [[4, 5], [6, 8]]]}}';
    const { inputs, form } = decodePredictRequest(Buffer.from(published), three.map((s) => (s.name === 'tag' ? { ...s, shape: ['batch'] } : s)));
    expect(form).toBe('inputs');
    expect(inputs[0]!.data).toEqual(['foo', 'bar']);
  });

  test('half_plus_three: {"instances": [1.0, 2.0, 5.0]} → {"predictions": [3.5, 4.0, 5.5]}', () => {
    const spec: TensorSpec[] = [{ name: 'x', type: 'float32', shape: ['batch'] }];
    const { inputs } = decodePredictRequest(Buffer.from('{"instances": [1.0,2.0,5.0]}'), spec);
    const y: HostTensor = { name: 'y', type: 'float32', dims: [3], data: (inputs[0]!.data as Float32Array).map((v) => v / 2 + 3) };
    expect(JSON.parse(encodePredictResponse([y], 'instances'))).toEqual({ predictions: [3.5, 4.0, 5.5] });
    expect(decodePredictResponse('{"predictions": [3.5, 4.0, 5.5]}', 'instances', [{ name: 'y', type: 'float32', shape: ['batch'] }])[0]!.data).toEqual(new Float32Array([3.5, 4, 5.5]));
  });

  test('both forms, or neither, are refused; the client encodes what the server decodes', () => {
    const spec: TensorSpec[] = [{ name: 'x', type: 'float32', shape: ['batch', 2] }];
    expect(fail(() => decodePredictRequest(Buffer.from('{"instances": [[1,2]], "inputs": [[1,2]]}'), spec))).toMatch(/exactly one of/);
    const x: HostTensor = { name: 'x', type: 'float32', dims: [2, 2], data: new Float32Array([1, 2, 3, 4]) };
    for (const form of ['instances', 'inputs'] as const) expect(decodePredictRequest(Buffer.from(encodePredictRequest([x], form)), spec).inputs).toEqual([x]);
  });

  test('metadata: the serving_default signature read back as TensorSpecs', () => {
    const info = { path: 'm', format: 'onnx' as const, sizeBytes: 0, sha256: '', inputs: [{ name: 'x', type: 'float32' as const, shape: ['batch', 64] }], outputs: [{ name: 'y', type: 'int64' as const, shape: ['batch'] }] };
    expect(tfSpecsOf(tfMetadataOf('m', '1', info))).toEqual({ inputs: [{ name: 'x', type: 'float32', shape: ['batch', 64] }], outputs: [{ name: 'y', type: 'int64', shape: ['batch'] }] });
  });
});
