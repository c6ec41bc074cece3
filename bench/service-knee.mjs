#!/usr/bin/env node
// What the knee search promises (issue 22), measured — not a test: it prints a table.
//   1. Two runs of `--rate auto --budget` on the same model agree within ±15%.
//   2. The knee is below the measured capacity (instances ÷ E[S], the search's own capacity probe).
//   3. On a MatMul-heavy MLP (3 × 512×512 MatMul+Relu, generated here), --max-batch 8 with a small
//      delay gives a higher knee than no batching, and the report shows the achieved mean batch.
//   4. --advise-batching on that model: S(b), predicted vs replayed knee, the recommendation.
// Runs the CLI (bin/inferbench, so `npm run build` first) with --threads 1 and one instance.
// Timing: run it alone, under the shared lock:
//
//   npm run build && flock /tmp/inferbench-bench.lock node bench/service-knee.mjs [--cases repeat,batching,advice]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DT, Graph, rngFor } from '../scripts/make-fixtures.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const cases = flag('--cases', 'repeat,batching,advice').split(',');
const dir = mkdtempSync(join(tmpdir(), 'inferbench-knee-'));
const WIDTH = 512;

/** x[batch,512] → 3 × (MatMul W_i + Relu) → y[batch,512]: a batch of 8 reads each weight once. */
function matmulMlp() {
  const rng = rngFor(7);
  const g = new Graph('matmul-mlp');
  let h = g.input('x', DT.FLOAT, ['batch', WIDTH]);
  for (let i = 0; i < 3; i++) h = g.node('Relu', [g.node('MatMul', [h, g.weight(`w${i}`, [WIDTH, WIDTH], rng.he(WIDTH * WIDTH, WIDTH))])], {}, i === 2 ? 'y' : undefined);
  g.output('y', DT.FLOAT, ['batch', WIDTH]);
  const path = join(dir, 'matmul-mlp.onnx');
  writeFileSync(path, g.encode('3 × (MatMul 512x512 + Relu)'));
  return path;
}

let runs = 0;
/** One `inferbench profile … --format json`; returns the report. */
function profile(model, extra) {
  const out = join(dir, `run-${++runs}`);
  const started = Date.now();
  try {
    execFileSync(process.execPath, ['bin/inferbench', '--quiet', 'profile', model, '-t', '1', '--format', 'json', '-o', out, ...extra], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    // exit 1 = a budget failed somewhere: the report is still there.
    if (error.status !== 1) throw error;
  }
  const file = readdirSync(out).find((f) => f.endsWith('.json'));
  const report = JSON.parse(readFileSync(join(out, file), 'utf8'));
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

const fmt = (x, digits = 0) => (x === null || x === undefined ? '—' : Number(x).toFixed(digits));
const kneeOf = (report) => report.knee?.[0] ?? null;

if (cases.includes('repeat')) {
  const budget = flag('--mlp-budget', 'p99<=20ms');
  console.log(`\n1–2. fixtures/mlp.onnx, --rate auto --budget "${budget}", twice`);
  const knees = [];
  for (let r = 0; r < 2; r++) {
    const report = profile('fixtures/mlp.onnx', ['--rate', 'auto', '--budget', budget]);
    const k = kneeOf(report);
    knees.push(k);
    const atKnee = report.trials.find((t) => t.spec.id === k.probes.find((p) => p.rate === k.kneeRate)?.trialId);
    console.log(`  run ${r + 1}: knee ${fmt(k.kneeRate)} req/s (failed at ${fmt(k.failedRate)}, precision ${fmt(100 * (k.precision ?? NaN), 1)}%), burst capacity ${fmt(k.capacity?.rate)} req/s (S = ${fmt(k.capacity?.serviceTimeMs, 3)} ms), ρ at the knee ${fmt(atKnee?.service?.utilisation, 2)}, ${k.probes.length} probes, ${fmt(report.seconds)} s`);
  }
  const [a, b] = knees.map((k) => k.kneeRate);
  if (a === null || b === null) {
    console.log('  agreement: a run found no knee (the budget was missed at an eighth of the capacity): goals NOT met; try a larger --mlp-budget');
  } else {
    const spread = Math.abs(a - b) / ((a + b) / 2);
    console.log(`  agreement: ${fmt(100 * spread, 1)}% apart (goal ≤ 15%: ${spread <= 0.15 ? 'met' : 'NOT met'})`);
    console.log(`  knee / capacity: ${knees.map((k) => fmt(k.kneeRate / k.capacity.rate, 2)).join(', ')} (goal < 1: ${knees.every((k) => k.kneeRate < k.capacity.rate) ? 'met' : 'NOT met'})`);
  }
}

const mlp = cases.includes('batching') || cases.includes('advice') ? matmulMlp() : null;
const mlpBudget = flag('--matmul-budget', 'p99<=50ms');

if (cases.includes('batching')) {
  console.log(`\n3. matmul-mlp (3 × 512×512), --rate auto --budget "${mlpBudget}": no batching vs --max-batch 8 --max-delay 1ms`);
  const noneReport = profile(mlp, ['--rate', 'auto', '--budget', mlpBudget]);
  const batchedReport = profile(mlp, ['--rate', 'auto', '--budget', mlpBudget, '--max-batch', '8', '--max-delay', '1ms']);
  const [none, batched] = [kneeOf(noneReport), kneeOf(batchedReport)];
  for (const [name, k, report] of [['no batching', none, noneReport], ['max batch 8, 1 ms', batched, batchedReport]]) {
    const top = k.probes.filter((p) => p.verdict === 'pass').sort((x, y) => y.rate - x.rate)[0];
    const atKnee = report.trials.find((t) => t.spec.id === top?.trialId);
    console.log(`  ${name.padEnd(18)} knee ${fmt(k.kneeRate)} req/s, burst capacity ${fmt(k.capacity?.rate)} req/s, ρ at the knee ${fmt(atKnee?.service?.utilisation, 2)} (E[S] there ${fmt(atKnee?.service?.serviceTime.meanMs, 3)} ms), mean batch at the knee ${fmt(top?.meanBatch, 2)}, ${k.probes.length} probes`);
  }
  const ratio = batched.kneeRate / none.kneeRate;
  console.log(`  batched / none: ${fmt(ratio, 2)}× (goal > 1: ${ratio > 1 ? 'met' : 'NOT met'})`);
}

if (cases.includes('advice')) {
  console.log(`\n4. matmul-mlp, --rate auto --budget "${mlpBudget}" --max-batch 8 --advise-batching`);
  const report = profile(mlp, ['--rate', 'auto', '--budget', mlpBudget, '--max-batch', '8', '--advise-batching']);
  const a = report.batchingAdvice;
  console.log(`  S(b): ${a.serviceTimes.map((p) => `b=${p.batch} ${fmt(p.meanMs, 3)} ms (${fmt(p.meanMs / p.batch, 3)}/item)`).join(', ')}`);
  for (const r of a.replays) console.log(`  replay max batch ${r.maxBatch}, delay ${fmt(r.maxDelayMs, 3)} ms: predicted ${fmt(r.predictedKneeRate)} req/s, replayed ${fmt(r.kneeRate)} req/s (${fmt(r.kneeRate / r.predictedKneeRate, 2)}×), mean batch ${fmt(r.meanBatch, 2)}`);
  console.log(`  ${a.recommendation ? `recommended: max batch ${a.recommendation.maxBatch}, delay ${fmt(a.recommendation.maxDelayMs, 3)} ms` : 'no recommendation'} — ${a.reason} (${fmt(report.seconds)} s)`);
}
