// profile(URL): the remote adapter against `serve` on 127.0.0.1 (every protocol, the server's
// statistics, --reference), and against servers that fail (closed port, 404, not KServe, a server
// that dies mid-run): one clear error each, or a failed trial with its phase.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseRemoteTarget } from '../../src/adapters/remote-url.js';
import { profile, type ProfileOptions } from '../../src/profile.js';
import { validateReport } from '../../src/report/validate.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import type { Report, TrialOk } from '../../src/types.js';
import { rejection } from '../helpers/errors.js';
import { clientSaturation } from '../../src/sweep/remote-streams.js';

let served: RunningServer;
const quick = (model: string, extra: Partial<ProfileOptions> = {}): ProfileOptions => ({
  model,
  warmup: { kind: 'count', iterations: 3 },
  measure: { kind: 'count', iterations: 20 },
  opProfile: false,
  sample: false,
  pairedSpeedUp: false,
  ...extra,
});
const ok = (report: Report): TrialOk => {
  const trial = report.trials[0]!;
  if (trial.status !== 'ok') throw new Error(JSON.stringify(trial));
  return trial;
};

beforeAll(async () => {
  served = await startServer({ model: 'fixtures/mlp.onnx', port: 0, grpcPort: 0, session: { intraOpThreads: 1 } });
}, 60_000);
afterAll(async () => served?.close());

describe('URLs', () => {
  test.each([
    ['http://h:8000/v2/models/cnn', { protocol: 'kserve-v2', origin: 'http://h:8000', model: 'cnn', version: null }],
    ['https://h/v2/models/cnn/versions/3/infer', { protocol: 'kserve-v2', origin: 'https://h', model: 'cnn', version: '3', tls: true }],
    ['grpc://h:8001/cnn', { protocol: 'kserve-v2-grpc', origin: 'h:8001', model: 'cnn' }],
    ['grpcs://h:8001/v2/models/cnn/versions/2', { protocol: 'kserve-v2-grpc', model: 'cnn', version: '2', tls: true }],
    ['http://h:8501/v1/models/half:predict', { protocol: 'tfserving', model: 'half', version: null }],
  ])('%s', (url, expected) => {
    expect(parseRemoteTarget(url)).toMatchObject(expected);
  });

  test('credentials in the URL are refused (they would land in the report)', () => {
    expect(() => parseRemoteTarget('http://u:p@h/v2/models/m')).toThrow(/credentials in the URL/);
  });
});

describe('profile URL against serve', () => {
  test.each([
    ['v2/models/mlp', 'json', 'kserve-v2', 'json'],
    ['v2/models/mlp', 'binary', 'kserve-v2', 'binary'],
    ['v1/models/mlp', 'columnar', 'tfserving', 'columnar'],
    ['v1/models/mlp', 'auto', 'tfserving', 'row'],
  ] as const)('%s with --encoding %s: stages, endpoint section, schema-valid report', async (path, encoding, protocol, shown) => {
    const report = await profile(quick(`${served.httpUrl}/${path}`, { encoding, batch: 2 }));
    expect(validateReport(report).valid).toBe(true);
    const trial = ok(report);
    expect(report.model.format).toBe('remote');
    expect(trial.endpoint).toMatchObject({ protocol, encoding: shown });
    expect(trial.inputs[0]!.dims).toEqual([2, 64]);
    expect(trial.stages.inference.count).toBe(20);
    if (protocol === 'kserve-v2') {
      // The measured phase's 20 requests (and the untimed passes after it) as the server saw them.
      expect(trial.endpoint!.server!.requests).toBeGreaterThanOrEqual(20);
      expect(trial.endpoint!.server!.computeInferUs).toBeGreaterThan(0);
    }
  }, 60_000);

  // Closed loop with streams (--concurrency) is the CLI test's: worker threads start slowly from source.
  test('gRPC: raw contents, and the server\'s statistics over ModelStatistics', async () => {
    const trial = ok(await profile(quick(`grpc://${served.grpcAddress}/v2/models/mlp`)));
    expect(trial.endpoint).toMatchObject({ protocol: 'kserve-v2-grpc', url: `grpc://${served.grpcAddress}/v2/models/mlp`, encoding: 'raw' });
    expect(trial.measure.iterations).toBe(20);
    // ModelStatistics (the statistics extension over gRPC), read before and after as over REST.
    expect(trial.endpoint!.server!.requests).toBeGreaterThanOrEqual(20);
    expect(trial.endpoint!.server!.computeInferUs).toBeGreaterThan(0);
  }, 60_000);

  test('--reference: the endpoint computes what the model file computes', async () => {
    const report = await profile(quick(`${served.httpUrl}/v2/models/mlp`, { reference: 'fixtures/mlp.onnx', measure: { kind: 'count', iterations: 5 } }));
    expect(report.outputCheck?.status).toBe('match');
    const wrong = await profile(quick(`${served.httpUrl}/v2/models/mlp`, { reference: 'fixtures/constweights.onnx', measure: { kind: 'count', iterations: 5 } })).catch((e: Error) => e);
    // Another model: the inputs do not fit it, or its outputs differ — never a match.
    expect(wrong instanceof Error || wrong.outputCheck?.status !== 'match').toBe(true);
  }, 60_000);

  test('a token never appears in the report', async () => {
    const report = await profile(quick(`${served.httpUrl}/v2/models/mlp`, { token: 's3cret', headers: { 'X-Key': 'k3y' }, argv: ['profile', 'URL', '--token', 's3cret', '--header', 'X-Key: k3y'], measure: { kind: 'count', iterations: 3 } }));
    const text = JSON.stringify(report);
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('k3y');
    expect(report.command.argv).toEqual(['profile', 'URL', '--token', '(redacted)', '--header', 'X-Key: (redacted)']);
  }, 60_000);
});

test('--threads with a URL is refused: the threads are the server\'s', async () => {
  const error = await rejection(profile(quick(`${served.httpUrl}/v2/models/mlp`, { threads: [2] })));
  expect(error.message).toMatch(/an endpoint runs with the threads its server was given/);
});

test('the client warns when its event loop was busy 90% of the phase or more', () => {
  expect(clientSaturation(0.89, { user: 500_000, system: 0 }, 1000, 4)).toEqual([]);
  const [warning] = clientSaturation(0.95, { user: 800_000, system: 100_000 }, 1000, 4);
  expect(warning).toEqual({ code: 'generator-saturated', message: expect.stringContaining('busy 95% of the measured phase (process CPU 90% of a core) driving 4 streams') });
});

describe('endpoints that fail', () => {
  let fake: Server;
  let fakeUrl: string;
  let infers = 0;
  beforeAll(async () => {
    // Says it is a v2 server with model 'm', answers 3 infer requests, then hangs up on each.
    fake = createServer((req, res) => {
      if (req.url === '/v2/models/m') return res.end(JSON.stringify({ name: 'm', platform: 'x', inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 4] }] }));
      if (req.url === '/v2/models/m/infer') {
        if (++infers > 3) return req.socket.destroy();
        return res.end(JSON.stringify({ outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] }));
      }
      if (req.url === '/v2/models/html') return res.end('<html>hello</html>');
      res.statusCode = 404;
      res.end(JSON.stringify({ error: 'no such model' }));
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  afterAll(() => fake?.close());

  test('a closed port: one line that says so, exit 3', async () => {
    const error = await rejection(profile(quick('http://127.0.0.1:1/v2/models/m')));
    expect(error).toMatchObject({ code: 'model-not-found' });
    expect(error.message).toBe('GET http://127.0.0.1:1/v2/models/m: connection refused: is the server running, on this port?');
  });

  test('a model the server does not have: 404 with its message', async () => {
    const error = await rejection(profile(quick(`${fakeUrl}/v2/models/other`)));
    expect(error.message).toBe(`${fakeUrl}/v2/models/other: no model 'other' on this server (HTTP 404: no such model)`);
  });

  test('not a KServe server', async () => {
    const error = await rejection(profile(quick(`${fakeUrl}/v2/models/html`)));
    expect(error).toMatchObject({ code: 'model-invalid' });
    expect(error.message).toMatch(/not a KServe v2 endpoint: GET \/v2\/models\/html did not answer JSON/);
  });

  test('a server that dies mid-run: the trial fails in its phase with the reason', async () => {
    infers = 0;
    const report = await profile(quick(`${fakeUrl}/v2/models/m`, { warmup: { kind: 'count', iterations: 1 } }));
    const trial = report.trials[0]!;
    expect(trial.status).toBe('failed');
    if (trial.status !== 'failed') return;
    expect(trial.phase).toBe('measure');
    expect(trial.error.message).toMatch(/POST .*\/v2\/models\/m\/infer: the server closed the connection/);
  }, 30_000);
});
