// The CLI end to end: `inferbench serve` in its own process, `inferbench profile URL` against it
// (closed loop, 2 streams, binary tensors; a budget they measure on to decide), SIGTERM while a request is in flight, and a port in
// use (exit 2, the port named).
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, test } from 'vitest';
import { problemsWithOneLineError, runCli } from '../helpers/cli.js';
import { startServe } from '../helpers/serve.js';

describe('inferbench serve + profile URL', () => {
  test('profile measures the served model; SIGTERM lets the request in flight finish', async () => {
    const serve = await startServe(['fixtures/cnn.onnx', '--port', '0', '--grpc-port', '0', '--max-batch', '4', '--max-delay', '2ms']);
    try {
      const [rest, grpc] = serve.urls;
      expect(rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/models\/cnn$/);
      expect(grpc).toMatch(/^grpc:\/\/127\.0\.0\.1:\d+\/v2\/models\/cnn$/);
      const run = await runCli(['profile', rest!, '-n', '40', '-w', '5', '--concurrency', '2', '--encoding', 'binary', '--no-save', '--json', '--no-sample', '--no-op-profile'], { timeoutMs: 120_000 });
      expect(run.stderr).not.toMatch(/internal error/);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      const trial = report.trials[0];
      expect(trial.endpoint).toMatchObject({ protocol: 'kserve-v2', encoding: 'binary' });
      expect(trial.measure.iterations).toBe(40);
      expect(trial.spec.concurrency).toBe(2);
      // A budget 40 samples cannot decide (a p99 needs 459 within the limit): the streams measure on until it can.
      const extended = await runCli(['profile', rest!, '-n', '40', '-w', '5', '--concurrency', '2', '--encoding', 'binary', '--budget', 'p99<=60s', '--no-save', '--json', '--no-sample', '--no-op-profile'], { timeoutMs: 120_000 });
      expect(extended.code).toBe(0);
      const measured = JSON.parse(extended.stdout).trials[0];
      expect(measured.measure.extension).toMatchObject({ outcome: 'decided' });
      expect(measured.measure.iterations).toBeGreaterThanOrEqual(459);
      expect(measured.stages.total.count).toBe(measured.measure.iterations);
      expect(JSON.parse(extended.stdout).budget.checks[0]).toMatchObject({ verdict: 'pass' });
      // A request whose body is still arriving when SIGTERM comes is answered; the process then exits 143.
      const body = JSON.stringify({ inputs: [{ name: 'image', shape: [1, 3, 64, 64], datatype: 'FP32', data: new Array(3 * 64 * 64).fill(0.5) }] });
      const { port } = new URL(rest!);
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.write(`POST /v2/models/cnn/infer HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 1000)}`);
      await new Promise((r) => setTimeout(r, 300));
      serve.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      socket.write(body.slice(1000)); // not end(): a half-closed client gets no answer from node:http
      const [code] = await once(serve.child, 'exit');
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect(code).toBe(143);
      expect(serve.stderr()).toMatch(/interrupted by SIGTERM/);
    } finally {
      serve.child.kill('SIGKILL');
    }
  }, 180_000);

  test('a port in use: exit 2, the port named', async () => {
    const serve = await startServe(['fixtures/mlp.onnx', '--port', '0', '--no-grpc']);
    try {
      const port = new URL(serve.urls[0]!).port;
      const run = await runCli(['serve', 'fixtures/mlp.onnx', '--port', port, '--no-grpc'], { timeoutMs: 60_000 });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`error: HTTP port ${port} on 127.0.0.1 is in use`);
      expect(problemsWithOneLineError(run)).toEqual([]);
    } finally {
      serve.child.kill('SIGTERM');
    }
  }, 120_000);

  test('profile of an unreachable URL: one line, exit 3', async () => {
    const run = await runCli(['profile', 'http://127.0.0.1:1/v2/models/x', '--no-save'], { timeoutMs: 60_000 });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('error: GET http://127.0.0.1:1/v2/models/x: connection refused: is the server running, on this port?');
    expect(problemsWithOneLineError(run)).toEqual([]);
  }, 60_000);
});
