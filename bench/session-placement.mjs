#!/usr/bin/env node
// Does where a session lands in memory move its speed? One model opened as two sessions, A and B,
// measured interleaved (blocks of 30 runs, the order drawn per block), then both reopened (the new
// ones opened before the old are dropped, so they land elsewhere), six times in one process. It
// prints B/A of the median per reopening: an A/A ratio that moves between reopenings by more than
// its noise is a placement effect, which one pair of sessions cannot show (compare's epochs,
// docs/compare-method.md). Bare onnxruntime-node, no inferbench code. Not a test: it prints.
//
//   taskset -c 0 node bench/session-placement.mjs [model.onnx] [--reopenings 6]
import ort from 'onnxruntime-node';
import { DT, Graph, rngFor } from '../scripts/make-fixtures.mjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--reopenings');
const reopenings = at >= 0 ? Number(args[at + 1]) : 6;
let model = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--reopenings');
if (model === undefined) {
  // The 4-layer chain of test/cli/compare-paired.test.ts: x[batch,128] → 4 × (MatMul + Relu).
  const rng = rngFor(1);
  const g = new Graph('chain4');
  let h = g.input('x', DT.FLOAT, ['batch', 128]);
  for (let i = 0; i < 4; i++) h = g.node('Relu', [g.node('MatMul', [h, g.weight(`w${i}`, [128, 128], rng.he(128 * 128, 128))])], {}, i === 3 ? 'y' : undefined);
  g.output('y', DT.FLOAT, ['batch', 128]);
  model = join(mkdtempSync(join(tmpdir(), 'inferbench-placement-')), 'chain4.onnx');
  writeFileSync(model, g.encode('4 layers'));
}

const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
const open = () => ort.InferenceSession.create(model, options);
const probe = await open();
const meta = probe.inputMetadata[0];
const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
const feeds = { [probe.inputNames[0]]: new ort.Tensor('float32', Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i)), dims) };
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];

async function ratio(a, b) {
  const times = { a: [], b: [] };
  for (let i = 0; i < 50; i++) (await a.run(feeds), await b.run(feeds)); // warm-up
  for (let block = 0; block < 300; block++) {
    const order = random() < 0.5 ? [['a', a], ['b', b]] : [['b', b], ['a', a]];
    for (const [name, session] of order) {
      for (let i = 0; i < 30; i++) {
        const t0 = process.hrtime.bigint();
        await session.run(feeds);
        times[name].push(Number(process.hrtime.bigint() - t0));
      }
    }
  }
  return median(times.b) / median(times.a);
}

const ratios = [];
let [a, b] = [await open(), await open()];
for (let r = 0; r < reopenings; r++) {
  ratios.push(await ratio(a, b));
  const [next1, next2] = [await open(), await open()];
  await a.release();
  await b.release();
  [a, b] = random() < 0.5 ? [next1, next2] : [next2, next1];
}
const spread = Math.max(...ratios) / Math.min(...ratios);
console.log(`${model}: B/A median per pair of sessions: ${ratios.map((r) => r.toFixed(4)).join(' ')} (max/min ${spread.toFixed(3)})`);
