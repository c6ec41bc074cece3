#!/usr/bin/env node
// What does the system sampler cost the measurement? 1) The per-call cost of every source the
// sampler could use (/proc reads, Node calls, systeminformation), so the choice of sources rests on
// numbers. 2) Inference p50 of a bare `await session.run(feeds)` loop with the sampler off vs on
// (100 ms, and 10 ms as a stress point), interleaved round by round with the order rotated so that
// machine drift hits every side alike. Target: median ratio on/off ≤ 1.02 on the CNN fixture.
// Not a test: it prints.
//
//   npx tsc -p tsconfig.json && node bench/sampler-overhead.mjs [model.onnx] [rounds] [iterations]
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { MessageChannel } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import si from 'systeminformation';
import { startSampler } from '../dist/sample/sampler.js';

const model = process.argv[2] ?? 'fixtures/cnn.onnx';
const rounds = Number(process.argv[3] ?? 15);
const iterations = Number(process.argv[4] ?? 1000);
const warmup = 200;

function median(values) {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median over rounds of the mean per-call time, in µs. */
async function cost(name, fn, calls = 200, costRounds = 7) {
  await fn();
  const perRound = [];
  for (let r = 0; r < costRounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await fn();
    perRound.push(Number(process.hrtime.bigint() - t0) / calls / 1e3);
  }
  const us = median(perRound);
  console.log(`  ${name.padEnd(44)} ${us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(2)} µs`}`);
}

/** Calls spaced beyond systeminformation's result caches (200 ms for currentLoad), timed one by one. */
async function spacedCost(name, fn, calls = 7, gapMs = 250) {
  const perCall = [];
  for (let i = 0; i < calls; i++) {
    await new Promise((r) => setTimeout(r, gapMs));
    const t0 = process.hrtime.bigint();
    await fn();
    perCall.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  console.log(`  ${name.padEnd(44)} ${median(perCall).toFixed(2)} µs`);
}

async function sourceCosts() {
  console.log('per-call cost of each source (median of 7 rounds):');
  const pid = process.pid;
  for (const f of ['/proc/stat', `/proc/${pid}/stat`, `/proc/${pid}/status`, `/proc/${pid}/io`, '/proc/meminfo', '/proc/vmstat', '/proc/diskstats']) {
    await cost(`readFileSync ${f.replace(String(pid), '<pid>')}`, () => readFileSync(f, 'utf8'));
  }
  await cost('process.cpuUsage()', () => process.cpuUsage(), 5000);
  await cost('process.memoryUsage()', () => process.memoryUsage(), 5000);
  await cost('process.memoryUsage.rss()', () => process.memoryUsage.rss(), 5000);
  await cost('performance.eventLoopUtilization()', () => performance.eventLoopUtilization(), 5000);
  const { port1, port2 } = new MessageChannel();
  port2.unref();
  const heap = { heapUsedBytes: 1, heapTotalBytes: 2, externalBytes: 3, arrayBuffersBytes: 4 };
  await cost('postMessage(main report)', () => port1.postMessage({ type: 'main', heap, elu: { idle: 1, active: 2 } }), 5000);
  port1.close();
  await cost('os.cpus()', () => os.cpus(), 2000);
  await cost('os.freemem()', () => os.freemem(), 2000);
  await cost('si.currentLoad() (cached < 200 ms)', () => si.currentLoad(), 50);
  await spacedCost('si.currentLoad() (fresh, 250 ms apart)', () => si.currentLoad());
  await cost('si.mem()', () => si.mem(), 50);
  // systeminformation caches disksIO/fsStats between calls made less than ~1 s apart: the
  // figure below is the cache's, a real read costs what /proc/diskstats does at best.
  await cost('si.disksIO() (cached)', () => si.disksIO(), 50);
  await cost('si.processLoad("node") (spawns ps)', () => si.processLoad('node'), 3, 3);
  await cost('si.graphics() (spawns nvidia-smi, lspci)', () => si.graphics(), 3, 3);
}

async function openSession() {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all' });
  const meta = session.inputMetadata[0];
  const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i));
  return { session, feeds: { [meta.name]: new ort.Tensor('float32', data, dims) } };
}

/** Inference p50 (µs) of a bare loop, with the sampler running at `intervalMs` (or off: null). */
async function p50Us({ session, feeds }, intervalMs) {
  const sampler = intervalMs === null ? null : startSampler({ intervalMs });
  await sampler?.ready();
  sampler?.setTag('bench', 'measure');
  const samples = new Float64Array(iterations);
  for (let i = 0; i < warmup; i++) await session.run(feeds);
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1e3;
  }
  const series = await sampler?.stop();
  return { p50: median(samples), samples: series?.samples.length ?? 0 };
}

await sourceCosts();
const target = await openSession();
const sides = [null, 100, 10];
const ratios = { 100: [], 10: [] };
console.log(`\nmodel ${model}: ${rounds} interleaved rounds of ${iterations} iterations per side (warm-up ${warmup})`);
for (let round = 0; round < rounds; round++) {
  const order = sides.map((_, i) => sides[(i + round) % sides.length]);
  const result = new Map();
  for (const side of order) result.set(side, await p50Us(target, side));
  const off = result.get(null).p50;
  for (const side of [100, 10]) ratios[side].push(result.get(side).p50 / off);
  const on = (side) => `${side} ms ${result.get(side).p50.toFixed(1)} µs (${result.get(side).samples} samples, ×${(result.get(side).p50 / off).toFixed(4)})`;
  console.log(`round ${round + 1}: off ${off.toFixed(1)} µs · on ${on(100)} · on ${on(10)}`);
}
await target.session.release();
console.log(`median ratio on/off inference p50: 100 ms ${median(ratios[100]).toFixed(4)}, 10 ms ${median(ratios[10]).toFixed(4)} (target ≤ 1.02 at 100 ms)`);
