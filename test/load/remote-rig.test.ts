// Open-loop load against an endpoint (`profile URL --rate R`): the real `inferbench serve` in its
// own process on 127.0.0.1 (port 0), driven through profile() by the same probe as in-process
// service trials. Behaviour only, never wall-clock numbers: every request of a low rate is served
// and timed from its intended arrival; a rate far above capacity is overloaded and ends early; a
// pool of one connection at a rate that needs more says the client limited it; a server killed
// mid-probe fails that trial in its phase and the sweep goes on; --rate auto finds a knee; the
// flags of the in-process server are refused for a URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareModelsUnderLoad } from '../../src/compare.js';
import { profile, type ProfileOptions } from '../../src/profile.js';
import { clientWarnings } from '../../src/sweep/service-spec.js';
import { renderConsole } from '../../src/report/console.js';
import { validateReport } from '../../src/report/validate.js';
import type { Report, TrialOk } from '../../src/types.js';
import { startServe, type Served } from '../helpers/serve.js';
import { rejection } from '../helpers/errors.js';

/**
 * A KServe v2 server with model 'm' (x: FP32 [-1, 4]) whose n-th infer request (1-based) gets
 * `answer(n)`: 'ok' (an output), 'hang' (never answered) or an HTTP error status. Closed with close().
 */
async function fakeV2(answer: (n: number) => 'ok' | 'hang' | number): Promise<{ url: string; close: () => void }> {
  let infers = 0;
  const fake = createServer((req, res) => {
    if (req.url === '/v2/models/m') return res.end(JSON.stringify({ name: 'm', platform: 'x', inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 4] }] }));
    if (req.url !== '/v2/models/m/infer') {
      res.statusCode = 404;
      return res.end(JSON.stringify({ error: 'no such thing' }));
    }
    const what = answer(++infers);
    req.resume();
    req.on('end', () => {
      if (what === 'hang') return;
      if (what !== 'ok') {
        res.statusCode = what;
        return res.end(JSON.stringify({ error: 'the queue is full' }));
      }
      res.end(JSON.stringify({ outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] }));
    });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v2/models/m`,
    close: () => {
      fake.closeAllConnections();
      fake.close();
    },
  };
}

const run = (model: string, extra: Partial<ProfileOptions>): ProfileOptions => ({
  model,
  warmup: { kind: 'count', iterations: 5 },
  measure: { kind: 'count', iterations: 60 },
  opProfile: false,
  sample: false,
  pairedSpeedUp: false,
  ...extra,
});

const okTrials = (report: Report): TrialOk[] => report.trials.map((t) => {
  if (t.status !== 'ok') throw new Error(JSON.stringify(t));
  return t;
});

let served: Served;
beforeAll(async () => {
  served = await startServe(['fixtures/mlp.onnx', '--port', '0', '--grpc-port', '0']);
}, 60_000);
afterAll(() => {
  served?.child.kill('SIGKILL');
});

describe('profile URL --rate', () => {
  test.each(['rest', 'grpc'] as const)('%s: a low rate is offered and served whole, timed from the intended arrival, with the server statistics', async (kind) => {
    const url = kind === 'rest' ? served.rest : served.grpc;
    const report = await profile(run(url, { rate: [50], arrivals: 'constant', connections: 4 }));
    expect(validateReport(report).valid).toBe(true);
    const [trial] = okTrials(report);
    const s = trial!.service!;
    expect(s.requests).toEqual({ scheduled: 60, sent: 60, completed: 60, dropped: 0, unfinished: 0 });
    // A constant schedule of 60 arrivals at 50/s: the offered rate is the schedule's, exactly.
    expect(s.offeredRate).toBeCloseTo(50, 6);
    expect(s.sentRate).toBeGreaterThan(0);
    expect(s.overload.verdict).toBe('stable');
    // Every request: completion − intended ≥ completion − sent, and sent ≥ intended.
    const { total, uncorrected, lag, inference } = trial!.stages as Record<string, TrialOk['stages']['total']>;
    expect(total!.count).toBe(60);
    expect(total!.minMs).toBeGreaterThanOrEqual(uncorrected!.minMs);
    expect(total!.p50Ms).toBeGreaterThanOrEqual(uncorrected!.p50Ms);
    expect(total!.maxMs).toBeGreaterThanOrEqual(uncorrected!.maxMs);
    expect(lag!.minMs).toBeGreaterThanOrEqual(0);
    expect(inference!.count).toBe(60);
    // The client's pool, its prepared bodies, the client's settings (the server batches).
    expect(s.client).toMatchObject({ connections: 4, body: 'prepared' });
    expect(s.client!.serializeMs).toBeGreaterThan(0);
    expect(s.settings).toMatchObject({ maxBatch: 1, instances: 1, rate: 50 });
    expect(trial!.endpoint).toMatchObject({ protocol: kind === 'rest' ? 'kserve-v2' : 'kserve-v2-grpc' });
    // The statistics extension, read around the probe: the 60 requests as the server saw them.
    expect(trial!.endpoint!.server!.requests).toBe(60);
    // The console names the client's queue and pool, not an in-process batcher.
    const text = renderConsole(report);
    expect(text).toMatch(/queue \(lag \+ wait for a connection\)/);
    expect(text).toMatch(/Client +4 connections, one request at a time each \(the server batches\)/);
    expect(text).not.toMatch(/Batching +none/);
  }, 60_000);

  test('a rate far above capacity is overloaded and ends early, never reported as a stable latency', async () => {
    const report = await profile(run(served.rest, { rate: [20_000], measure: { kind: 'count', iterations: 100_000 }, connections: 8 }));
    const [trial] = okTrials(report);
    const s = trial!.service!;
    expect(s.overload.verdict).toBe('overloaded');
    expect(s.overload.endedEarly).toBe(true);
    expect(trial!.measure.stopReason).toBe('overloaded');
    expect(s.requests.sent).toBeLessThan(s.requests.scheduled);
    expect(trial!.warnings.map((w) => w.code)).toContain('overloaded');
  }, 60_000);

  test('one connection at a rate that needs more: the client pool is named as the limit', async () => {
    const report = await profile(run(served.rest, { rate: [3_000], measure: { kind: 'count', iterations: 600 }, connections: 1 }));
    const [trial] = okTrials(report);
    const client = trial!.service!.client!;
    expect(client.connections).toBe(1);
    expect(client.verdict).toBe('pool-limited');
    expect(client.waited.requests).toBeGreaterThan(0);
    const warning = trial!.warnings.find((w) => w.code === 'client-pool-limited');
    expect(warning?.message).toMatch(/client's 1 connection was all busy: .* waited over 1 ms .*raise --connections/);
  }, 60_000);

  test('--rate auto finds a knee against the endpoint', async () => {
    const report = await profile(run(served.rest, { rate: 'auto', budgets: ['p50<=20ms'], connections: 8 }));
    expect(report.knee).toHaveLength(1);
    const knee = report.knee![0]!;
    expect(knee.capacity?.rate).toBeGreaterThan(0);
    expect(knee.probes.length).toBeGreaterThan(1);
    // Every probe is a trial of the report, measured through the client pool.
    for (const probe of knee.probes) {
      const trial = report.trials.find((t) => t.spec.id === probe.trialId);
      expect(trial?.status).toBe('ok');
      expect((trial as TrialOk).service?.client?.connections).toBe(8);
    }
    expect(knee.probes.some((p) => p.verdict === 'pass')).toBe(true);
  }, 90_000);
});

describe('compare under load with URLs', () => {
  test('base and head endpoints offered the same arrivals, judged per rate', async () => {
    const { base: _b, head: _h, ...options } = { ...run(served.rest, {}), base: '', head: '' };
    const comparison = await compareModelsUnderLoad({ ...options, base: served.rest, head: served.grpc, rate: [50], measure: { kind: 'count', iterations: 40 } });
    expect(comparison.underLoad?.rates).toEqual([50]);
    expect(comparison.underLoad?.arrivals.base).toEqual(comparison.underLoad?.arrivals.head);
    // One pair per rate, judged on its stages (total among them).
    expect(comparison.trials).toHaveLength(1);
    expect(comparison.trials[0]!.stages.map((st) => st.stage)).toContain('total');
  }, 60_000);
});

describe('the client-pool warning says whose limit it was', () => {
  const service = (requestP50Ms: number, verdict: 'ok' | 'pool-limited') => ({
    overload: { verdict: 'stable', evidence: [], endedEarly: false },
    serviceTime: { stats: { p50Ms: requestP50Ms } },
    client: { connections: 2, body: 'prepared', serializeMs: 0.1, unloadedRequestMs: 1, waited: { requests: 30, share: 0.3, p99Ms: 4 }, neededConnections: 3.2, verdict },
  }) as never;

  test('an endpoint answering as fast as unloaded: the pool alone limited the rate', () => {
    const [w] = clientWarnings(service(1.2, 'pool-limited'));
    expect(w?.code).toBe('client-pool-limited');
    expect(w?.message).toMatch(/the client's pool, not the endpoint, limited the rate; on average this rate kept 3\.2 busy \(rate × request time\) and its bursts more than 2 — raise --connections/);
  });

  test('an endpoint whose request time grew: it was queueing too', () => {
    expect(clientWarnings(service(5, 'pool-limited'))[0]?.message).toMatch(/grew from 1\.00 ms unloaded to a p50 of 5\.00 ms, so the endpoint was queueing too/);
  });

  test('no warning when the pool kept up', () => {
    expect(clientWarnings(service(5, 'ok'))).toEqual([]);
  });
});

describe('a server that dies mid-probe', () => {
  // gRPC too: its UNAVAILABLE is a counted drop only over a live connection, so a dead server still fails the trial.
  test.each(['rest', 'grpc'] as const)('%s: the trial fails in its phase and the sweep goes on', async (kind) => {
    const victim = await startServe(['fixtures/mlp.onnx', '--port', '0', '--grpc-port', '0']);
    let killed = false;
    const report = await profile(run(kind === 'rest' ? victim.rest : victim.grpc, {
      rate: [100, 200],
      measure: { kind: 'count', iterations: 400 },
      connections: 2,
    }), {
      onPhase: (_spec, phase, completed) => {
        if (phase === 'measure' && completed > 20 && !killed) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    expect(report.trials).toHaveLength(2);
    const [first, second] = report.trials;
    expect(first).toMatchObject({ status: 'failed', phase: 'measure' });
    if (first!.status === 'failed') expect(first!.error.message).toMatch(kind === 'rest' ? /POST .*\/v2\/models\/mlp\/infer: (the server closed the connection|connection refused)/ : /ModelInfer failed: unavailable .*is the server running/);
    // The next rate's trial could not reach it: its own failure, not the end of the run.
    expect(second).toMatchObject({ status: 'failed', phase: 'open' });
  }, 60_000);
});

describe('a server that stops answering', () => {
  test('requests time out: the trial fails in its phase with the reason, the next one too, and the sweep ends normally', async () => {
    // It answers the first 6 infer requests (the pool's warm-up) and then never again.
    const fake = await fakeV2((n) => (n <= 6 ? 'ok' : 'hang'));
    try {
      const url = fake.url;
      const report = await profile(run(url, { rate: [50, 100], connections: 2, warmup: { kind: 'count', iterations: 2 }, requestTimeout: 300 }));
      const [first, second] = report.trials;
      expect(first).toMatchObject({ status: 'failed', phase: 'measure' });
      if (first!.status === 'failed') expect(first!.error.message).toMatch(/POST .*\/v2\/models\/m\/infer: timed out/);
      // The next rate's pool cannot warm up: that trial's failure too.
      expect(second).toMatchObject({ status: 'failed', phase: 'warmup' });
      expect(report.interrupted).toBeUndefined();
    } finally {
      fake.close();
    }
  }, 60_000);
});

describe('a server that turns requests away', () => {
  test('HTTP 503 answers are dropped requests, counted, never in the percentiles: the probe is overloaded, the trial ok', async () => {
    // After the pool's warm-up (6 requests) it refuses every other request with 503 (a full queue).
    const fake = await fakeV2((n) => (n > 6 && n % 2 === 0 ? 503 : 'ok'));
    try {
      const url = fake.url;
      const [trial] = okTrials(await profile(run(url, { rate: [50], arrivals: 'constant', connections: 2, warmup: { kind: 'count', iterations: 2 } })));
      const s = trial!.service!;
      expect(s.requests).toEqual({ scheduled: 60, sent: 60, completed: 30, dropped: 30, unfinished: 0 });
      expect(trial!.stages.total.count).toBe(30);
      expect(s.overload.verdict).toBe('overloaded');
      expect(s.overload.evidence.map((e) => e.metric)).toContain('dropped share');
      expect(trial!.warnings.find((w) => w.code === 'overloaded')?.message).toMatch(/the server refused 30 requests with HTTP 429\/503/);
    } finally {
      fake.close();
    }
  }, 60_000);
});

describe('a gRPC server whose queue is full', () => {
  test('UNAVAILABLE answered over a live connection is a dropped request, as HTTP 503 is', async () => {
    // One instance, room for one waiting request, 16 connections at a rate far past the CNN's capacity.
    const full = await startServe(['fixtures/cnn.onnx', '--port', '0', '--grpc-port', '0', '--threads', '1', '--queue-limit', '1']);
    try {
      const [trial] = okTrials(await profile(run(full.grpc, { rate: [4000], measure: { kind: 'count', iterations: 800 }, connections: 16, warmup: { kind: 'count', iterations: 2 } })));
      const s = trial!.service!;
      expect(s.requests.dropped).toBeGreaterThan(0);
      expect(s.requests.completed).toBeGreaterThan(0);
      expect(trial!.stages.total.count).toBe(s.requests.completed);
      expect(trial!.warnings.find((w) => w.code === 'overloaded')?.message).toMatch(/gRPC RESOURCE_EXHAUSTED\/UNAVAILABLE/);
    } finally {
      full.child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('refusals', () => {
  test.each([
    [{ instances: 2 }, /--instances configures the server that --rate runs in process; an endpoint is served by its own server/, /inferbench serve MODEL --instances …/],
    [{ maxBatch: 8, maxDelayMs: 2 }, /--max-batch, --max-delay configure the server/, /inferbench serve MODEL --max-batch … --max-delay …/],
    [{ queueLimit: 10 }, /--queue-limit configures/, /server's own config/],
  ] as const)('%o with a URL: exit 2 naming where it goes', async (flags, message, hint) => {
    const error = await rejection(profile(run(served.rest, { rate: [100], ...flags })));
    expect(error.code).toBe('usage');
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });

  test('--advise-batching with a URL, --connections with a model file, --connections without --rate', async () => {
    const advice = await rejection(profile(run(served.rest, { rate: 'auto', budgets: ['p99<=50ms'], maxBatch: 8, adviseBatching: true })));
    expect(advice.message).toMatch(/--advise-batching replays batching settings on a server it runs in process/);
    const file = await rejection(profile(run('fixtures/mlp.onnx', { rate: [100], connections: 4 })));
    expect(file.message).toMatch(/--connections is the client pool of an endpoint URL/);
    const closed = await rejection(profile(run(served.rest, { connections: 4 })));
    expect(closed.message).toMatch(/--connections needs --rate/);
  });
});
