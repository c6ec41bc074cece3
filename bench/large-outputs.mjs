#!/usr/bin/env node
// What does a request with large outputs really cost, and does inferbench add to it? For each
// model and each output handling (--outputs), a bare onnxruntime-node loop with the SAME handling
// and inferbench's profile() run interleaved, round by round, in one process. Prints per pair:
// inference p50 ratio (goal ≤ 1.01), wall-per-request ratio (goal ≤ 1.02), minor page faults
// and kernel CPU per request on both sides; then the bare loops' run() p50 per handling against
// drop (what collect()'s handling does to the NEXT run()), and with --soak S, RSS growth over an
// S-second inferbench run on the 4 MiB-output model. Not a test: it prints.
//
//   npm run build && flock /tmp/inferbench-bench.lock taskset -c 0 node bench/large-outputs.mjs \
//     [--rounds 3] [--iterations 300] [--models a.onnx,b.onnx] [--outputs drop,reuse] [--soak 60]
//     [--per-round] (each round: p50, faults and GCs per request on both sides) [--no-op-profile]
import ort from 'onnxruntime-node';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { profile } from '../dist/index.js';
import { bareLoop, median } from './bare-loop.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    iterations: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '100' },
    models: { type: 'string', default: 'fixtures/cnn.onnx,fixtures/expand1m.onnx,fixtures/expand4m.onnx' },
    outputs: { type: 'string', default: 'drop,dispose,reuse,fetches' },
    soak: { type: 'string', default: '0' },
    'per-round': { type: 'boolean', default: false },
    'no-op-profile': { type: 'boolean', default: false },
  },
});
const rounds = Number(args.rounds);
const iterations = Number(args.iterations);
const warmup = Number(args.warmup);
const models = args.models.split(',');
const handlings = args.outputs.split(',');
const soakSeconds = Number(args.soak);
const THREADS = 1; // per-core cost: run under taskset -c 0

/** Every GC of this process (kind, start, duration), to count those inside the bare loop's measured window. */
const gcs = [];
new PerformanceObserver((list) => gcs.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
const gcIn = async (from, to) => {
  await new Promise((r) => setImmediate(r)); // entries are delivered asynchronously
  const inside = gcs.filter((e) => e.startTime >= from && e.startTime <= to);
  return { count: inside.length, ms: inside.reduce((a, e) => a + e.duration, 0) };
};

const usage = () => {
  const u = process.resourceUsage();
  return { faults: u.minorPageFault, systemUs: u.systemCPUTime };
};

/** The bare loop with one output handling (bench/bare-loop.mjs), timed as inferbench times run(). */
async function bare(model, handling) {
  const loop = await bareLoop(model, handling, THREADS);
  for (let i = 0; i < warmup; i++) loop.handle(await loop.run());
  const samples = new Float64Array(iterations);
  const before = usage();
  const start = process.hrtime.bigint();
  const from = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    const out = await loop.run();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    loop.handle(out);
  }
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const after = usage();
  const gc = await gcIn(from, performance.now());
  await loop.release();
  return { p50: median(samples), wall: wallMs / iterations, faults: (after.faults - before.faults) / iterations, kernelMs: (after.systemUs - before.systemUs) / 1000 / iterations, gcPerRequest: gc.count / iterations, gcMs: gc.ms / iterations };
}

async function inferbench(model, handling) {
  const report = await profile({
    model, threads: THREADS, outputs: handling, sample: false, opProfile: !args['no-op-profile'],
    warmup: { kind: 'count', iterations: warmup }, measure: { kind: 'count', iterations },
  });
  const t = report.trials[0];
  if (t?.status !== 'ok') throw new Error(`trial did not run: ${JSON.stringify(t)}`);
  return { p50: t.stages.inference.p50Ms, wall: t.accounting.wallPerIterationMs, faults: t.memory.minorFaultsPerIteration, kernelMs: t.memory.systemCpuPerIterationMs, unaccounted: t.accounting.unaccountedShare, gcMs: t.memory.gcPauseMs / t.measure.iterations, gcPerRequest: t.memory.gcCount / t.measure.iterations };
}

const f = (x, d = 3) => x.toFixed(d);

console.log(`node ${process.version}, onnxruntime-node ${ort.env.versions.node}, ${rounds} interleaved rounds × ${iterations} requests (warm-up ${warmup}), intra-op threads ${THREADS}`);
const summary = [];
for (const model of models) {
  for (const handling of handlings) {
    const pairs = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate which side goes first so that neither always runs on a warmer machine.
      const ib1 = round % 2 === 0 ? await inferbench(model, handling) : null;
      const b = await bare(model, handling);
      const ib = ib1 ?? (await inferbench(model, handling));
      pairs.push({ b, ib });
      // --per-round: is the mode (fast / fault-heavy) decided by GCs between requests?
      if (args['per-round']) console.log(`  round ${round + 1}: bare p50 ${f(b.p50)} ms, ${f(b.faults, 0)} faults, ${f(b.gcPerRequest, 2)} GCs (${f(b.gcMs)} ms) per request | inferbench p50 ${f(ib.p50)} ms, ${f(ib.faults, 0)} faults, ${f(ib.gcPerRequest, 2)} GCs (${f(ib.gcMs)} ms) per request`);
    }
    const row = {
      model, handling,
      p50Ratio: median(pairs.map((p) => p.ib.p50 / p.b.p50)),
      wallRatio: median(pairs.map((p) => p.ib.wall / p.b.wall)),
      bareP50: median(pairs.map((p) => p.b.p50)), ibP50: median(pairs.map((p) => p.ib.p50)),
      bareWall: median(pairs.map((p) => p.b.wall)), ibWall: median(pairs.map((p) => p.ib.wall)),
      bareFaults: median(pairs.map((p) => p.b.faults)), ibFaults: median(pairs.map((p) => p.ib.faults)),
      bareKernel: median(pairs.map((p) => p.b.kernelMs)), ibKernel: median(pairs.map((p) => p.ib.kernelMs)),
      unaccounted: median(pairs.map((p) => p.ib.unaccounted)), gcMs: median(pairs.map((p) => p.ib.gcMs)),
      perRound: pairs.map((p) => f(p.ib.p50 / p.b.p50, 2)).join(' '),
    };
    summary.push(row);
    console.log(`${model} --outputs ${handling}: p50 ratio ${f(row.p50Ratio)} (rounds ${row.perRound}), wall ratio ${f(row.wallRatio)} | bare run p50 ${f(row.bareP50)} ms wall ${f(row.bareWall)} ms faults ${f(row.bareFaults, 0)} kernel ${f(row.bareKernel)} ms | inferbench p50 ${f(row.ibP50)} ms wall ${f(row.ibWall)} ms faults ${f(row.ibFaults, 0)} kernel ${f(row.ibKernel)} ms GC ${f(row.gcMs)} ms unaccounted ${f(row.unaccounted * 100, 1)}%`);
  }
}

console.log('\n| model | --outputs | p50 ratio | wall ratio | bare run() p50 ms | bare wall/request ms | faults/request bare / inferbench | kernel ms/request bare / inferbench |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of summary) {
  console.log(`| ${r.model.replace(/^.*\//, '')} | ${r.handling} | ${f(r.p50Ratio)} | ${f(r.wallRatio)} | ${f(r.bareP50)} | ${f(r.bareWall)} | ${f(r.bareFaults, 0)} / ${f(r.ibFaults, 0)} | ${f(r.bareKernel)} / ${f(r.ibKernel)} |`);
}
console.log('\nbare run() p50 per handling against drop (what the handling of one request\'s outputs does to the next run()):');
for (const model of models) {
  const drop = summary.find((r) => r.model === model && r.handling === 'drop');
  if (!drop) continue;
  console.log(`  ${model}: ${summary.filter((r) => r.model === model).map((r) => `${r.handling} ${f(r.bareP50 / drop.bareP50, 2)}×`).join(', ')}`);
}

if (soakSeconds > 0) {
  // RSS every 5 s while inferbench measures (the loop yields in every run(), so the timer fires):
  // flat means the last third's mean is within a few output buffers of the middle third's.
  const model = models.find((m) => m.includes('expand4m')) ?? 'fixtures/expand4m.onnx';
  const series = [];
  const timer = setInterval(() => series.push(process.memoryUsage.rss() / 2 ** 20), 5000);
  const report = await profile({ model, threads: THREADS, sample: false, warmup: { kind: 'count', iterations: warmup }, measure: { kind: 'time', ms: soakSeconds * 1000 } });
  clearInterval(timer);
  const t = report.trials[0];
  const m = t.memory;
  const third = Math.max(1, Math.floor(series.length / 3));
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const middle = mean(series.slice(third, 2 * third));
  const last = mean(series.slice(-third));
  console.log(`\nsoak: ${model} --outputs ${m.outputs} for ${soakSeconds} s, ${t.measure.iterations} requests: RSS ${f(m.rssStartBytes / 2 ** 20, 1)} → ${f(m.rssEndBytes / 2 ** 20, 1)} MiB (report's rssGrowthBytes ${f(m.rssGrowthBytes / 2 ** 20, 1)} MiB), peak RSS ${f(t.peakRssBytes / 2 ** 20, 1)} MiB, ${f(m.minorFaultsPerIteration, 0)} faults/request`);
  console.log(`  RSS every 5 s (MiB): ${series.map((x) => f(x, 0)).join(' ')}`);
  console.log(`  middle third mean ${f(middle, 1)} MiB, last third ${f(last, 1)} MiB: drift ${f(last - middle, 1)} MiB (${f(Math.abs(last - middle) / 4, 1)} output buffers of 4 MiB)`);
}
