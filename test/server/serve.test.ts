// `inferbench serve` on 127.0.0.1 with the fixtures: every protocol's answer equals the model run
// in process (float32 bit-exact: JSON floats are written with the shortest text that reads back
// as the same number; binary and gRPC carry the bytes), metadata, stats, errors, port in use.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import type { HostTensor, Session } from '../../src/adapters/adapter.js';
import { buildInputs } from '../../src/inputs/synthetic.js';
import { emptyPins } from '../../src/inputs/pins.js';
import { bodyHeaders, decodeInferResponse, encodeInferRequest, HEADER_LENGTH } from '../../src/protocols/kserve-v2/rest.js';
import { fromGrpcInferResponse, loadV2Grpc, toGrpcInferRequest } from '../../src/protocols/kserve-v2/grpc.js';
import { decodePredictResponse, encodePredictRequest } from '../../src/protocols/tfserving/rest.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { isInferbenchError } from '../../src/errors.js';

const CPU = { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all' as const };

let server: RunningServer;
let local: Session;
let inputs: HostTensor[];
let expected: HostTensor[];

beforeAll(async () => {
  server = await startServer({ model: 'fixtures/cnn.onnx', port: 0, grpcPort: 0, session: { intraOpThreads: 1 } });
  local = await onnxAdapter.open('fixtures/cnn.onnx', CPU);
  inputs = buildInputs(local.info.inputs, new Map([['image', [2, 3, 64, 64]]]), emptyPins(), 7).tensors;
  expected = local.collect(await local.run(local.prepare(inputs)));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await local?.close();
});

async function post(path: string, body: { chunks: Buffer[]; jsonLength: number | null }): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const response = await fetch(`${server.httpUrl}${path}`, { method: 'POST', headers: bodyHeaders(body), body: Buffer.concat(body.chunks) });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

const bits = (t: HostTensor): Buffer => Buffer.from((t.data as Float32Array).buffer, (t.data as Float32Array).byteOffset, (t.data as Float32Array).byteLength);

describe('serve fixtures/cnn.onnx', () => {
  test('is named after the file stem and publishes v2 metadata', async () => {
    expect(server.name).toBe('cnn');
    const meta = await (await fetch(`${server.httpUrl}/v2/models/cnn`)).json();
    expect(meta).toEqual({ name: 'cnn', versions: ['1'], platform: 'onnx_onnxv1', inputs: [{ name: 'image', datatype: 'FP32', shape: [-1, 3, 64, 64] }], outputs: [{ name: 'scores', datatype: 'FP32', shape: [-1, 10] }] });
    expect((await fetch(`${server.httpUrl}/v2/health/ready`)).status).toBe(200);
    expect((await (await fetch(`${server.httpUrl}/v2`)).json()).extensions).toEqual(['binary_tensor_data', 'statistics']);
  });

  test.each([['JSON', false], ['binary', true]])('%s infer equals the in-process outputs bit for bit', async (_label, binary) => {
    const answer = await post('/v2/models/cnn/infer', encodeInferRequest(inputs, { binary, id: 'r1' }));
    expect(answer.status).toBe(200);
    const header = answer.headers.get(HEADER_LENGTH) ?? undefined;
    expect(header !== undefined).toBe(binary);
    const outputs = decodeInferResponse(answer.body, header);
    expect(outputs.map((o) => [o.name, o.type, o.dims])).toEqual([['scores', 'float32', [2, 10]]]);
    expect(bits(outputs[0]!).equals(bits(expected[0]!))).toBe(true);
  });

  test('gRPC ModelInfer with raw contents equals the in-process outputs bit for bit', async () => {
    const { grpc, Client } = await loadV2Grpc();
    const client = new Client(server.grpcAddress!, grpc.credentials.createInsecure());
    try {
      const response = await new Promise((resolve, reject) => (client as unknown as Record<string, Function>).ModelInfer(toGrpcInferRequest('cnn', '', inputs), (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r))));
      const outputs = fromGrpcInferResponse(response as never);
      expect(bits(outputs[0]!).equals(bits(expected[0]!))).toBe(true);
    } finally {
      client.close();
    }
  });

  test.each([['instances'], ['inputs']] as const)('TF Serving predict (%s form) equals the in-process outputs', async (form) => {
    const response = await fetch(`${server.httpUrl}/v1/models/cnn:predict`, { method: 'POST', body: encodePredictRequest(inputs, form) });
    expect(response.status).toBe(200);
    const outputs = decodePredictResponse(await response.text(), form, local.info.outputs.map((o) => ({ ...o })));
    expect(outputs[0]!.dims).toEqual([2, 10]);
    expect(Buffer.from(new Float32Array(outputs[0]!.data as Float64Array).buffer).equals(bits(expected[0]!))).toBe(true);
  });

  test('the statistics extension counts requests with queue and compute times', async () => {
    const stats = await (await fetch(`${server.httpUrl}/v2/models/cnn/stats`)).json();
    const record = stats.model_stats[0];
    expect(record.name).toBe('cnn');
    expect(record.inference_stats.success.count).toBeGreaterThanOrEqual(4);
    expect(record.inference_stats.compute_infer.ns).toBeGreaterThan(0);
    expect(record.execution_count).toBe(record.inference_stats.success.count);
  });

  test('errors are JSON with a 4xx: unknown model, wrong shape, wrong method', async () => {
    const unknown = await fetch(`${server.httpUrl}/v2/models/nope/infer`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatch(/unknown model 'nope'.*serves 'cnn'/);
    const shape = await fetch(`${server.httpUrl}/v2/models/cnn/infer`, { method: 'POST', body: JSON.stringify({ inputs: [{ name: 'image', shape: [1, 3, 32, 32], datatype: 'FP32', data: [] }] }) });
    expect(shape.status).toBe(400);
    expect((await shape.json()).error).toMatch(/dim 2 is 32, but the model fixes it at 64/);
    const method = await fetch(`${server.httpUrl}/v2/models/cnn/infer`);
    expect(method.status).toBe(405);
  });

  test('a second server on the same port fails with the port named', async () => {
    const port = Number(new URL(server.httpUrl).port);
    const error = await startServer({ model: 'fixtures/mlp.onnx', port, grpcPort: null }).then(() => null, (e: unknown) => e);
    expect(isInferbenchError(error) && error.exitCode).toBe(2);
    expect((error as Error).message).toBe(`HTTP port ${port} on 127.0.0.1 is in use`);
  });
});
