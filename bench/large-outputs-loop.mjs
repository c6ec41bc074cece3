#!/usr/bin/env node
// Does inferbench's timed loop add anything to a request, for each output handling? Two sessions
// of the same model stay open side by side in one process: a bare onnxruntime-node loop with the
// handling written out by hand, and inferbench's timedLoop() (prepare → run → collect, recorded
// into the same StageRecorder as a trial) on an adapter session opened with `--outputs` set to it.
// They alternate in short blocks (default 40 blocks × 50 requests, the order flipped every block),
// so VM drift and the garbage collector's state, which decide most of a sub-millisecond request's
// wall time with MiB outputs (docs/large-outputs.md), hit both alike. Prints per model and
// handling: run() p50 ratio (goal ≤ 1.01) and wall-per-request ratio (goal ≤ 1.02) over all
// blocks, the spread of the per-block-pair wall ratios, and faults and GC pauses per request on
// each side. Not a test: it prints.
//
// profile() adds nothing around this loop while it measures (the environment is read before the
// first trial, the sampler is off with --no-sample); bench/large-outputs.mjs compares profile()
// end to end, round by round.
//
//   npm run build && flock /tmp/inferbench-bench.lock taskset -c 0 node bench/large-outputs-loop.mjs \
//     [--models a.onnx,b.onnx] [--outputs drop,dispose,reuse,fetches] [--blocks 40] [--block 50]
import ort from 'onnxruntime-node';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { onnxAdapter } from '../dist/adapters/onnx.js';
import { StageRecorder } from '../dist/measure/recorder.js';
import { timedLoop } from '../dist/measure/timed-loop.js';
import { bareLoop, median, syntheticInput } from './bare-loop.mjs';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: 'fixtures/cnn.onnx,fixtures/expand1m.onnx,fixtures/expand4m.onnx' },
    outputs: { type: 'string', default: 'drop,dispose,reuse,fetches' },
    blocks: { type: 'string', default: '40' },
    block: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '200' },
  },
});
const BLOCKS = Number(args.blocks);
const BLOCK = Number(args.block);
const WARMUP = Number(args.warmup);

const gcs = [];
new PerformanceObserver((list) => gcs.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
const faults = () => process.resourceUsage().minorPageFault;
const settle = () => new Promise((r) => setImmediate(r)); // GC entries arrive asynchronously
const f = (x, d = 3) => x.toFixed(d);

/** The bare loop (bench/bare-loop.mjs), timed in blocks of `count` requests. */
async function bareSide(model, handling) {
  const loop = await bareLoop(model, handling);
  const samples = new Float64Array(BLOCKS * BLOCK);
  let n = 0;
  const block = async (count, record) => {
    for (let i = 0; i < count; i++) {
      const t0 = process.hrtime.bigint();
      const out = await loop.run();
      if (record) samples[n++] = Number(process.hrtime.bigint() - t0) / 1e3;
      loop.handle(out);
    }
  };
  return { block, p50Us: () => median(samples.subarray(0, n)), close: () => loop.release() };
}

/** inferbench's timed loop on an adapter session, recording as a trial does. */
async function loopSide(model, handling) {
  const session = await onnxAdapter.open(model, { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all', outputs: handling });
  const meta = session.info.inputs[0];
  const { dims, data } = syntheticInput(meta);
  const inputs = [{ name: meta.name, type: 'float32', dims, data }];
  const recorder = new StageRecorder(BLOCKS * BLOCK, false);
  const idle = { record() {} };
  const block = (count, record) => timedLoop(session, inputs, record ? recorder : idle, { stop: (k) => (k >= count ? 'iterations' : null) });
  return { block, p50Us: () => median(recorder.samplesOf('inference').subarray(0, recorder.count)), close: () => session.close() };
}

/** One timed block on one side: wall, faults and GC pauses inside it. */
async function timedBlock(side) {
  await settle();
  const g0 = gcs.length;
  const f0 = faults();
  const from = performance.now();
  const t0 = process.hrtime.bigint();
  await side.block(BLOCK, true);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const f1 = faults();
  await settle();
  const gcMs = gcs.slice(g0).filter((e) => e.startTime >= from).reduce((a, e) => a + e.duration, 0);
  return { wallMs, faults: f1 - f0, gcMs };
}

console.log(`node ${process.version}, onnxruntime-node ${ort.env.versions.node}; ${BLOCKS} blocks × ${BLOCK} requests a side, alternating, order flipped each block; 1 intra-op thread`);
console.log(`MALLOC_MMAP_THRESHOLD_=${process.env.MALLOC_MMAP_THRESHOLD_ ?? 'unset'} MALLOC_TRIM_THRESHOLD_=${process.env.MALLOC_TRIM_THRESHOLD_ ?? 'unset'}\n`);
console.log('| model | --outputs | run() p50 ratio | wall ratio | per-block wall ratios p25 / median / p75 | bare p50 / wall ms | faults/request bare / loop | GC ms/request bare / loop |');
console.log('|---|---|---|---|---|---|---|---|');
for (const model of args.models.split(',')) {
  for (const handling of args.outputs.split(',')) {
    const bare = await bareSide(model, handling);
    const loop = await loopSide(model, handling);
    for (const side of [bare, loop]) await side.block(WARMUP, false);
    const totals = { bare: { wallMs: 0, faults: 0, gcMs: 0 }, loop: { wallMs: 0, faults: 0, gcMs: 0 } };
    const blockRatios = [];
    for (let b = 0; b < BLOCKS; b++) {
      const order = b % 2 ? ['loop', 'bare'] : ['bare', 'loop'];
      const got = {};
      for (const name of order) got[name] = await timedBlock(name === 'bare' ? bare : loop);
      for (const name of order) for (const k of ['wallMs', 'faults', 'gcMs']) totals[name][k] += got[name][k];
      blockRatios.push(got.loop.wallMs / got.bare.wallMs);
    }
    const requests = BLOCKS * BLOCK;
    const sorted = Float64Array.from(blockRatios).sort();
    const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    const bareP50 = bare.p50Us() / 1000;
    console.log(`| ${model.replace(/^.*\//, '')} | ${handling} | ${f(loop.p50Us() / bare.p50Us())} | ${f(totals.loop.wallMs / totals.bare.wallMs)} | ${f(q(0.25), 2)} / ${f(median(blockRatios), 2)} / ${f(q(0.75), 2)} | ${f(bareP50)} / ${f(totals.bare.wallMs / requests)} | ${f(totals.bare.faults / requests, 1)} / ${f(totals.loop.faults / requests, 1)} | ${f(totals.bare.gcMs / requests)} / ${f(totals.loop.gcMs / requests)} |`);
    await bare.close();
    await loop.close();
  }
}

// What the loop itself does per request besides run(), timed in isolation: prepare() (input
// tensors wrapped for ORT, reused while the inputs are the same), consume() (the synthetic loop's
// postprocess: outputs read and handled), collect() (the same into host tensors, what a pipeline's
// postprocess gets), and one clock read (the loop makes two more than the bare loop).
// Median of 5 × 100,000 calls on the last outputs.
console.log('\nthe timed loop\'s own work per request (--outputs drop), ns: prepare / consume / collect / clock read');
const perCall = (fn) => {
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 100_000; i++) fn();
    rounds.push(Number(process.hrtime.bigint() - t0) / 100_000);
  }
  return median(rounds);
};
for (const model of args.models.split(',')) {
  const session = await onnxAdapter.open(model, { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all', outputs: 'drop' });
  const meta = session.info.inputs[0];
  const { dims, data } = syntheticInput(meta);
  const inputs = [{ name: meta.name, type: 'float32', dims, data }];
  const outputs = await session.run(session.prepare(inputs));
  const costs = [() => session.prepare(inputs), () => session.consume(outputs), () => session.collect(outputs), () => process.hrtime.bigint()].map((fn) => f(perCall(fn), 0));
  console.log(`  ${model.replace(/^.*\//, '')}: ${costs.join(' / ')}`);
  await session.close();
}
