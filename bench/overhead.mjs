#!/usr/bin/env node
// How much does inferbench's harness add to what it measures? Ratio of inferbench's inference p50
// (the public profile() API, end to end) to the p50 of a bare `await session.run(feeds)` loop on
// the same model, same inputs and same session options, interleaved round by round so that
// machine drift hits both sides alike. Target: ≤ 1.01 on the CNN fixture. Not a test: it prints.
//
//   npm run build && node bench/overhead.mjs [model.onnx] [rounds] [iterations]
import ort from 'onnxruntime-node';
import { profile } from '../dist/index.js';

const model = process.argv[2] ?? 'fixtures/cnn.onnx';
const rounds = Number(process.argv[3] ?? 7);
const iterations = Number(process.argv[4] ?? 2000);
const warmup = 200;

async function bareP50() {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all' });
  const meta = session.inputMetadata[0];
  const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i));
  const feeds = { [meta.name]: new ort.Tensor('float32', data, dims) };
  const samples = new Float64Array(iterations);
  for (let i = 0; i < warmup; i++) await session.run(feeds);
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1e3;
  }
  await session.release();
  return median(samples);
}

async function inferbenchP50() {
  const report = await profile({ model, warmup: { kind: 'count', iterations: warmup }, measure: { kind: 'count', iterations } });
  const trial = report.trials[0];
  if (trial?.status !== 'ok') throw new Error(`trial did not run: ${JSON.stringify(trial)}`);
  return { p50Us: trial.stages.inference.p50Ms * 1000, overheadUs: trial.overhead.perIterationUs };
}

function median(values) {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const ratios = [];
console.log(`model ${model}, ${rounds} interleaved rounds of ${iterations} iterations (warm-up ${warmup})`);
for (let round = 0; round < rounds; round++) {
  // Alternate which side goes first so that neither always runs on a warmer machine.
  const first = round % 2 === 0;
  const a = first ? await inferbenchP50() : null;
  const bare = await bareP50();
  const b = a ?? (await inferbenchP50());
  ratios.push(b.p50Us / bare);
  console.log(`round ${round + 1}: inferbench p50 ${b.p50Us.toFixed(1)} µs, bare session.run p50 ${bare.toFixed(1)} µs, ratio ${(b.p50Us / bare).toFixed(4)}, harness ${b.overheadUs.toFixed(2)} µs/iteration`);
}
console.log(`median ratio inferbench/bare inference p50: ${median(ratios).toFixed(4)} (target ≤ 1.01)`);
