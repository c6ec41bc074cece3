#!/usr/bin/env node
// Is it inferbench's timed loop, or the process around it? On the 4 MiB-output fixture with
// --outputs drop, runs in one process, interleaved round by round: a bare `await session.run(feeds)`
// loop; inferbench's timedLoop() on an adapter session (prepare/run/collect each iteration); the
// same with the feeds built once; the same with collect() doing nothing. Prints each loop's run()
// p50 and minor faults per request per round. Not a test: it prints.
//
//   npm run build && flock /tmp/inferbench-bench.lock taskset -c 0 node bench/large-outputs-loop.mjs [rounds]
import ort from 'onnxruntime-node';
import { onnxAdapter } from '../dist/adapters/onnx.js';
import { timedLoop } from '../dist/measure/timed-loop.js';
const model = 'fixtures/expand4m.onnx', N = 300, W = 100, rounds = Number(process.argv[2] ?? 6);
const median = (a) => { const s = Float64Array.from(a).sort(); return s[s.length >> 1]; };
const faults = () => process.resourceUsage().minorPageFault;
async function bare() {
  const s = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const feeds = { x: new ort.Tensor('float32', new Float32Array(1024).map((_, i) => Math.sin(i)), [1, 1024]) };
  for (let i = 0; i < W; i++) await s.run(feeds);
  const ms = []; const f0 = faults();
  for (let i = 0; i < N; i++) { const t0 = process.hrtime.bigint(); await s.run(feeds); ms.push(Number(process.hrtime.bigint() - t0) / 1e6); }
  const r = { p50: median(ms), faults: (faults() - f0) / N }; await s.release(); return r;
}
async function harness(variant) {
  const session = await onnxAdapter.open(model, { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all', outputs: 'drop' });
  const inputs = [{ name: 'x', type: 'float32', dims: [1, 1024], data: new Float32Array(1024).map((_, i) => Math.sin(i)) }];
  const ms = [];
  const sink = { record: (a, inf) => ms.push(inf / 1e6) };
  if (variant === 'sameFeeds') { const feeds = session.prepare(inputs); session.prepare = () => feeds; }
  if (variant === 'noCollect') session.collect = () => [];
  await timedLoop(session, inputs, { record() {} }, { stop: (n) => (n >= W ? 'iterations' : null) });
  const f0 = faults();
  await timedLoop(session, inputs, sink, { stop: (n) => (n >= N ? 'iterations' : null) });
  const r = { p50: median(ms), faults: (faults() - f0) / N }; await session.close(); return r;
}
for (let r = 0; r < rounds; r++) {
  const out = [];
  for (const [name, fn] of [['bare', bare], ['loop', () => harness('plain')], ['loop sameFeeds', () => harness('sameFeeds')], ['loop noCollect', () => harness('noCollect')]]) {
    const x = await fn(); out.push(`${name} ${x.p50.toFixed(2)}ms/${x.faults.toFixed(0)}f`);
  }
  console.log(`round ${r + 1}: ${out.join(' | ')}`);
}
