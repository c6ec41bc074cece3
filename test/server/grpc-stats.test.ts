// The statistics extension over gRPC (Triton's ModelStatistics): the field numbers of
// triton-inference-server/common protobuf/grpc_service.proto, byte by byte; `serve` answers it from
// the same counters as GET /v2/models/NAME/stats; the gRPC remote session reads it before and
// after, so its delta counts exactly the requests in between.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { remoteAdapter } from '../../src/adapters/remote.js';
import type { Session } from '../../src/adapters/adapter.js';
import { buildInputs } from '../../src/inputs/synthetic.js';
import { emptyPins } from '../../src/inputs/pins.js';
import { loadV2Grpc } from '../../src/protocols/kserve-v2/grpc.js';
import { emptyModelStats } from '../../src/protocols/kserve-v2/stats.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ model: 'fixtures/mlp.onnx', port: 0, grpcPort: 0, session: { intraOpThreads: 1 } });
}, 60_000);
afterAll(async () => server?.close());

type Call = (request: unknown, callback: (error: { code: number; details: string } | null, response: unknown) => void) => void;

async function grpcCall(method: string, request: unknown): Promise<unknown> {
  const { grpc, Client } = await loadV2Grpc();
  const client = new Client(server.grpcAddress!, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) => ((client as unknown as Record<string, Call>)[method]!.bind(client))(request, (e, r) => (e ? reject(e) : resolve(r))));
  } finally {
    client.close();
  }
}

test('ModelStatistics messages have the published field numbers', async () => {
  const { service } = await loadV2Grpc();
  const method = service.ModelStatistics!;
  // ModelStatisticsRequest: name = 1 (0x0a), version = 2 (0x12).
  expect(method.requestSerialize({ name: 'm', version: '1' }).toString('hex')).toBe('0a016d' + '120131');
  const record = emptyModelStats('m', '1');
  record.inference_count = 3;
  record.inference_stats.queue = { count: 3, ns: 300 };
  record.batch_stats = [{ batch_size: 1, compute_input: { count: 0, ns: 0 }, compute_infer: { count: 2, ns: 5 }, compute_output: { count: 0, ns: 0 } }];
  const bytes = method.responseSerialize({ model_stats: [record] });
  // model_stats = 1 (0x0a) holding: name = 1, version = 2, last_inference = 3 (0x18),
  // inference_count = 4 (0x20), execution_count = 5 (0x28), inference_stats = 6 (0x32: success = 1,
  // fail = 2, queue = 3 (0x1a: count = 1, ns = 2 = 300 as varint ac02), compute_input = 4,
  // compute_infer = 5, compute_output = 6), batch_stats = 7 (0x3a: batch_size = 1,
  // compute_input = 2, compute_infer = 3, compute_output = 4).
  const d0 = '04' + '0800' + '1000'; // an empty StatisticDuration, its zeros written
  const expected = '0a49' + '0a016d' + '120131' + '1800' + '2003' + '2800'
    + '3225' + '0a' + d0 + '12' + d0 + '1a05' + '0803' + '10ac02' + '22' + d0 + '2a' + d0 + '32' + d0
    + '3a14' + '0801' + '12' + d0 + '1a04' + '0802' + '1005' + '22' + d0;
  expect(bytes.toString('hex')).toBe(expected);
  expect(method.responseDeserialize(bytes)).toMatchObject({ model_stats: [{ name: 'm', inference_count: 3, inference_stats: { queue: { count: 3, ns: 300 } } }] });
});

test('serve answers ModelStatistics with the REST statistics record; another model is NOT_FOUND', async () => {
  const rest = (await (await fetch(`${server.httpUrl}/v2/models/mlp/stats`)).json()) as { model_stats: unknown[] };
  const overGrpc = (await grpcCall('ModelStatistics', { name: 'mlp', version: '' })) as { model_stats: unknown[] };
  // The same record (gRPC adds the unset cache_hit/cache_miss messages as null).
  expect(overGrpc.model_stats).toMatchObject(rest.model_stats);
  expect(overGrpc.model_stats).toHaveLength(1);
  const all = (await grpcCall('ModelStatistics', {})) as { model_stats: { name: string }[] };
  expect(all.model_stats.map((m) => m.name)).toEqual(['mlp']);
  const error = (await grpcCall('ModelStatistics', { name: 'other' }).catch((e: unknown) => e)) as { code: number; details: string };
  expect(error.code).toBe(5); // NOT_FOUND
  expect(error.details).toMatch(/unknown model 'other'/);
});

test('the gRPC remote session reads the statistics before and after: the delta counts the requests in between', async () => {
  const session: Session = await remoteAdapter.open(`grpc://${server.grpcAddress}/v2/models/mlp`, { device: 'cpu', intraOpThreads: null, interOpThreads: null, graphOptimization: 'all' });
  try {
    const inputs = buildInputs(session.info.inputs, new Map([['x', [1, 64]]]), emptyPins(), 1).tensors;
    const before = await session.serverStats!();
    for (let i = 0; i < 7; i++) session.collect(await session.run(session.prepare(inputs)));
    const after = await session.serverStats!();
    const delta = session.serverStatsDelta!(before, after);
    expect(delta).toMatchObject({ requests: 7, failed: 0, executions: 7 });
    expect(delta!.computeInferUs).toBeGreaterThan(0);
    expect(delta!.queueUs).toBeGreaterThanOrEqual(0);
  } finally {
    await session.close();
  }
}, 30_000);
