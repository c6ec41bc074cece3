#!/usr/bin/env node
// Can the paired compare catch a small regression on a noisy machine, without false alarms?
// Generates chains of N identical 512×512 MatMul+Relu layers (batch 64), then runs
// `compareModels()` (the library form of `inferbench compare BASE HEAD`) R times per case:
//   A/B 10%   10 vs 11 layers at the default 5% threshold   goal: regressed in ≥ 19 of 20
//   A/B 4.5%  20 vs 21 layers at --threshold 2%             goal: regressed in ≥ 16 of 20
//   A/A       10 vs 10 layers with other weights, 5% and 2%  goal: 0 of 20 regressed or improved
// Each comparison uses the default auto bound (≤ 10 s of measuring) with --threads 1. With
// `--busy` a busy loop runs on core 1 for the whole benchmark (a neighbour on the runner).
// Not a test: it prints a table. Pin it for per-core numbers:
//
//   npm run build && taskset -c 0 node bench/paired-compare.mjs [--runs 20] [--busy] [--cases ab10,ab45,aa5,aa2]
//   node bench/paired-compare.mjs --mode duet      (both sides at once, one process and core each; not pinned)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { compareModels } from '../dist/index.js';
import { DT, Graph, rngFor } from '../scripts/make-fixtures.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const runs = Number(flag('--runs', 20));
const busy = args.includes('--busy');
const cases = flag('--cases', 'ab10,ab45,aa5,aa2').split(',');
const mode = flag('--mode', 'in-process'); // in-process (alternating), child-processes, duet
const WIDTH = 512;

/** x[batch,512] → N × (MatMul W_i + Relu) → y[batch,512]; He-initialised so values stay O(1). */
function chain(layers, seed) {
  const rng = rngFor(seed);
  const g = new Graph(`chain${layers}`);
  let h = g.input('x', DT.FLOAT, ['batch', WIDTH]);
  for (let i = 0; i < layers; i++) {
    const w = g.weight(`w${i}`, [WIDTH, WIDTH], rng.he(WIDTH * WIDTH, WIDTH));
    h = g.node('Relu', [g.node('MatMul', [h, w])], {}, i === layers - 1 ? 'y' : undefined);
  }
  g.output('y', DT.FLOAT, ['batch', WIDTH]);
  return g.encode(`${layers} × (MatMul ${WIDTH}x${WIDTH} + Relu)`);
}

const dir = mkdtempSync(join(tmpdir(), 'inferbench-paired-'));
const model = (layers, seed) => {
  const path = join(dir, `chain${layers}-${seed}.onnx`);
  writeFileSync(path, chain(layers, seed));
  return path;
};
const CASES = {
  ab10: { base: model(10, 1), head: model(11, 1), threshold: 0.05, expect: 'regressed', goal: 19, what: '10 vs 11 layers (+10%), threshold 5%' },
  ab45: { base: model(20, 1), head: model(21, 1), threshold: 0.02, expect: 'regressed', goal: 16, what: '20 vs 21 layers (+5%), threshold 2%' },
  aa5: { base: model(10, 1), head: model(10, 2), threshold: 0.05, expect: 'no-alarm', goal: runs, what: 'A/A 10 vs 10 layers (other weights), threshold 5%' },
  aa2: { base: model(10, 1), head: model(10, 2), threshold: 0.02, expect: 'no-alarm', goal: runs, what: 'A/A 10 vs 10 layers (other weights), threshold 2%' },
};

// A neighbour: a busy loop in its own process on core 1 (this process is meant to run on core 0).
const neighbour = busy ? spawn('taskset', ['-c', '1', process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' }) : null;

const rows = [];
for (const name of cases) {
  const c = CASES[name];
  if (!c) throw new Error(`unknown case ${name}; use ${Object.keys(CASES).join(',')}`);
  let hits = 0;
  const ratios = [];
  const widths = [];
  const seconds = [];
  for (let r = 0; r < runs; r++) {
    const result = await compareModels({ base: c.base, head: c.head, threads: 1, batch: 64, mode, seed: 1000 + r, thresholds: { default: c.threshold, overrides: {} } });
    const trial = result.trials[0];
    const p50 = trial?.stages.find((s) => s.stage === 'inference')?.metrics.find((m) => m.metric === 'p50');
    if (!p50 || !trial.paired) throw new Error(`no paired result: ${trial?.note ?? 'no trial'}`);
    const alarm = result.verdict === 'regressed' || result.verdict === 'improved';
    hits += c.expect === 'regressed' ? Number(result.verdict === 'regressed') : Number(!alarm);
    ratios.push(1 + p50.change);
    widths.push((p50.ci[1] - p50.ci[0]) / 2);
    seconds.push(trial.paired.durationMs / 1000);
    const decisive = trial.stages.flatMap((st) => st.metrics.filter((m) => m.verdict === 'regressed' || m.verdict === 'improved').map((m) => `${st.stage}.${m.metric} ${m.verdict} ${(100 * m.change).toFixed(1)}% [${(100 * m.ci[0]).toFixed(1)}, ${(100 * m.ci[1]).toFixed(1)}]`));
    if (trial.throughput && (trial.throughput.verdict === 'regressed' || trial.throughput.verdict === 'improved')) decisive.push(`throughput ${trial.throughput.verdict} ${(100 * trial.throughput.change).toFixed(1)}%`);
    process.stderr.write(`${name} ${r + 1}/${runs}: ${result.verdict}${alarm && c.expect !== 'regressed' ? ` (${decisive.join('; ')})` : ''}, p50 ratio ${(1 + p50.change).toFixed(4)} (CI ${(1 + p50.ci[0]).toFixed(4)}–${(1 + p50.ci[1]).toFixed(4)}), ${trial.paired.blocks} blocks × ${trial.paired.iterationsPerBlock}, ${(trial.paired.durationMs / 1000).toFixed(1)} s\n`);
  }
  const range = (xs, digits) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
  rows.push([c.what, c.expect === 'regressed' ? `${hits}/${runs} regressed` : `${runs - hits}/${runs} false alarms`, c.expect === 'regressed' ? `≥ ${c.goal}/${runs}` : `0/${runs}`, range(ratios, 3), `±${range(widths.map((w) => w * 100), 2)}%`, range(seconds, 1)]);
}
neighbour?.kill();

console.log(`\npaired compare (${mode}), ${runs} comparisons per case, threads 1, batch 64${busy ? ', busy loop on another core' : ''}\n`);
console.log('| case | result | goal | inference p50 ratio | CI half-width | measured s |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
