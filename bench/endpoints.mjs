// What serving adds, and whether our client keeps up (issue 23's goals), on fixtures/cnn.onnx:
//   1. serving overhead per protocol: total p50 of `profile URL` (serialize + request +
//      deserialize) minus total p50 of `profile fixtures/cnn.onnx` in process, one stream each;
//   2. closed-loop throughput at 4 streams: `profile URL --concurrency 4` against `hey -c 4` on
//      the same endpoint with the same binary body (goal: within 20%);
//   3. open loop: `profile URL --rate R` at half the 4-stream closed-loop capacity (binary) and at
//      half of one JSON stream's, timed from the intended arrival: offered vs achieved, p50/p99
//      total and uncorrected, the generator's lag, the client pool's verdict, and what serialising
//      one body costs (sent prepared: bodies are serialised once per connection).
// The server runs in its own process (`inferbench serve`), one instance, as a user would start it.
// Run under the shared lock, after `npm run build`:
//   flock /tmp/inferbench-bench.lock node bench/endpoints.mjs [-n 300]
// Ratios within one run are what to read: the machine is shared and noisy.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeInferRequest } from '../dist/protocols/kserve-v2/rest.js';

const BIN = new URL('../bin/inferbench', import.meta.url).pathname;
const n = Number(process.argv[process.argv.indexOf('-n') + 1] || 300) || 300;
const THREADS = '1';

function profile(target, extra = []) {
  const out = execFileSync(process.execPath, [BIN, 'profile', target, '-n', String(n), '-w', '30', '--no-save', '--json', '--no-sample', '--no-op-profile', '--no-paired-speedup', ...extra], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const trial = JSON.parse(out.toString()).trials[0];
  if (trial.status !== 'ok') throw new Error(`${target}: ${JSON.stringify(trial.error)}`);
  return trial;
}

async function startServe() {
  const child = spawn(process.execPath, [BIN, 'serve', 'fixtures/cnn.onnx', '--port', '0', '--grpc-port', '0', '--threads', THREADS], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  for await (const chunk of child.stdout) {
    text += chunk;
    if (text.includes('TF Serving REST')) break;
  }
  const urls = text.trim().split('\n').map((l) => l.split(/\s+/).pop());
  return { child, rest: urls[0], grpc: urls[1], tf: urls[2] };
}

function hey(url, body, jsonLength) {
  const dir = mkdtempSync(join(tmpdir(), 'endpoints-bench-'));
  const file = join(dir, 'body.bin');
  writeFileSync(file, body);
  const out = execFileSync('hey', ['-n', String(n * 2), '-c', '4', '-m', 'POST', '-T', 'application/octet-stream', '-H', `Inference-Header-Content-Length: ${jsonLength}`, '-D', file, url]).toString();
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const errors = /Status code distribution:\s+\[(\d+)\]/.exec(out)?.[1];
  if (errors !== '200') throw new Error(`hey: not every answer was 200:\n${out}`);
  return rate;
}

const ms = (us) => `${(us / 1000).toFixed(3)} ms`;
const local = profile('fixtures/cnn.onnx', ['--threads', THREADS]);
const server = await startServe();
try {
  const rows = [];
  const cases = [
    ['KServe REST, JSON', server.rest, ['--encoding', 'json']],
    ['KServe REST, binary', server.rest, ['--encoding', 'binary']],
    ['KServe gRPC, raw', server.grpc, []],
    ['TF Serving REST, rows', server.tf, []],
  ];
  const base = local.stages.total.p50Ms * 1000;
  console.log(`in process: total p50 ${ms(base)} (inference p50 ${ms(local.stages.inference.p50Ms * 1000)}), n=${n}, --threads ${THREADS}`);
  for (const [label, url, extra] of cases) {
    const t = profile(url, extra);
    const total = t.stages.total.p50Ms * 1000;
    const s = t.endpoint.server;
    rows.push(`${label.padEnd(22)} total p50 ${ms(total)}  overhead ${ms(total - base)}  (serialize ${ms(t.stages.preprocess.p50Ms * 1000)}, request ${ms(t.stages.inference.p50Ms * 1000)}, deserialize ${ms(t.stages.postprocess.p50Ms * 1000)})${s ? `  server avg: queue ${ms(s.queueUs)}, infer ${ms(s.computeInferUs)}` : ''}`);
  }
  console.log(rows.join('\n'));
  const ours = profile(server.rest, ['--encoding', 'binary', '--concurrency', '4']).throughput.inferencesPerSec;
  const image = { name: 'image', type: 'float32', dims: [1, 3, 64, 64], data: Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => Math.sin(i)) };
  const body = encodeInferRequest([image], { binary: true });
  const theirs = hey(`${server.rest}/infer`, Buffer.concat(body.chunks), body.jsonLength);
  const ratio = ours / theirs;
  console.log(`4 streams, binary: inferbench ${ours.toFixed(1)} req/s, hey ${theirs.toFixed(1)} req/s, ratio ${ratio.toFixed(3)} (goal ≥ 0.8: ${ratio >= 0.8 ? 'met' : 'NOT met'})`);
  const jsonStream = 1000 / (profile(server.rest, ['--encoding', 'json']).stages.total.p50Ms);
  for (const [label, encoding, rate] of [['binary', 'binary', ours / 2], ['JSON', 'json', jsonStream / 2]]) {
    const r = Math.max(1, Math.round(rate));
    const t = profile(server.rest, ['--encoding', encoding, '--rate', String(r), '--arrivals', 'poisson']);
    const s = t.service;
    const st = t.stages;
    console.log(`open loop, ${label.padEnd(6)} at ${r} req/s: offered ${s.offeredRate.toFixed(1)}, achieved ${s.achievedRate.toFixed(1)} req/s (${s.overload.verdict}); total p50 ${ms(st.total.p50Ms * 1000)} p99 ${ms(st.total.p99Ms * 1000)} from the intended arrival, uncorrected p50 ${ms(st.uncorrected.p50Ms * 1000)} p99 ${ms(st.uncorrected.p99Ms * 1000)}; lag p99 ${ms(st.lag.p99Ms * 1000)} (generator ${s.generator.verdict}, ${(s.generator.lateShare * 100).toFixed(1)}% late); client ${s.client.connections} connections ${s.client.verdict}, body serialised once ${ms(s.client.serializeMs * 1000)}`);
  }
} finally {
  server.child.kill('SIGTERM');
}
