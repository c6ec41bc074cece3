#!/usr/bin/env node
// Does a sweep name the same best configuration, and draw the same chart, as its paired speed-ups
// when another job loads the machine? Issue 24's sweep, R times, with a busy loop pinned to core 1
// for the whole benchmark (another job on a 2-core runner):
//
//   inferbench profile fixtures/cnn.onnx --batch 1,4,16 --precision fp32,fp16,int8-static
//     -n 150 -w 10 --threads 1 --budget "p99<=20ms" --no-op-profile
//
// (through the library's profile(), the same code path). Per run it counts:
//   paired    "best within budget" was chosen on the paired speed-up (not sequential items/s)
//   agree     the best is the highest paired speed-up within budget, or within noise of it
//   chart     every accuracy-chart point and the throughput chart's ring use the table's numbers
//   seq-best  the trial sequential items/s would have crowned (the old rule), and whether it
//             differs from the paired choice beyond noise
//   budgets   verdicts: pass / fail / inconclusive, and trials that measured on (extension)
//   busy      trials that said another process took the CPU
// Not a test: it prints a table and a summary line. Run it under the shared lock:
//
//   npm run build && flock /tmp/inferbench-bench.lock node bench/best-under-load.mjs [--runs 10] [--no-hog] [--cap 3s]
//     [--batch 1,4,16] [--precision fp32,fp16,int8-static] [--budget p99<=20ms]
import { spawn } from 'node:child_process';
import { exporterFor, profile } from '../dist/index.js';

const renderHtml = (report) => exporterFor('html').render(report, {});

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const runs = Number(flag('--runs', 10));
const hog = !args.includes('--no-hog');
const cap = flag('--cap', '3s');

const capMs = cap.endsWith('ms') ? Number(cap.slice(0, -2)) : Number(cap.replace(/s$/, '')) * 1000;
// The sweep by default; --batch/--precision/--budget shrink or move it (a shared VM whose
// p99s sit above 20 ms under the hog fails every trial, which tests nothing about "best").
const batch = flag('--batch', '1,4,16').split(',').map(Number);
const precision = flag('--precision', 'fp32,fp16,int8-static').split(',');
const budget = flag('--budget', 'p99<=20ms');
const options = {
  model: 'fixtures/cnn.onnx', batch, precision, threads: [1],
  measure: { kind: 'count', iterations: 150 }, warmup: { kind: 'count', iterations: 10 },
  budgets: [budget], opProfile: false, budgetTimeCap: capMs, argv: ['bench/best-under-load.mjs'],
};

function startHog() {
  // A busy loop pinned to core 1: another job's CPU, visible to the sampler, beside the sweep.
  const child = spawn('taskset', ['-c', '1', process.execPath, '-e', 'for(;;){}'], { stdio: 'ignore' });
  return () => child.kill('SIGKILL');
}

const overlaps = (a, b) => a[0] <= b[1] && b[0] <= a[1];

function judgeRun(report) {
  const ok = report.trials.filter((t) => t.status === 'ok');
  const baseline = ok[0];
  const best = report.budget.best;
  const within = ok.filter((t) => report.budget.checks.every((c) => c.trialId !== t.spec.id || c.verdict === 'pass'));
  const ratio = (t) => (t === baseline ? [1, [1, 1]] : [t.pairedSpeedUp?.ratio, t.pairedSpeedUp?.ci]);
  const top = within.reduce((a, t) => (a === null || ratio(t)[0] > ratio(a)[0] ? t : a), null);
  const bestTrial = ok.find((t) => t.spec.id === best?.trialId);
  const agree = best === null ? within.length === 0 : bestTrial !== undefined && (bestTrial === top || overlaps(ratio(bestTrial)[1], ratio(top)[1]));
  // The chart: each accuracy point's data-value is the table's speed-up (the paired ratio).
  const page = renderHtml(report);
  const values = [...page.matchAll(/<g class="point" data-trial="([^"]+)" data-value="([^"]+)">/g)].map((m) => [m[1].replace(/&#39;|&quot;/g, ''), Number(m[2])]);
  const accuracyPart = page.slice(page.indexOf('data-chart="accuracy"'));
  const accuracyValues = [...accuracyPart.matchAll(/<g class="point" data-trial="([^"]+)" data-value="([^"]+)">/g)].slice(0, ok.length).map((m) => [m[1], Number(m[2])]);
  const chartOk = accuracyValues.every(([id, v]) => {
    const t = ok.find((x) => x.spec.id === id);
    return t === undefined || t.pairedSpeedUp === undefined || Math.abs(t.pairedSpeedUp.ratio - v) < 1e-9;
  }) && (best === null || page.includes(`circle class="knee" data-trial="${best.trialId}"`));
  const seqTop = within.reduce((a, t) => (a === null || t.throughput.itemsPerSec > a.throughput.itemsPerSec ? t : a), null);
  const seqDiffers = seqTop !== null && top !== null && seqTop !== top && !overlaps(ratio(seqTop)[1], ratio(top)[1]);
  const verdicts = { pass: 0, fail: 0, inconclusive: 0 };
  for (const c of report.budget.checks) verdicts[c.verdict]++;
  return {
    best: best?.trialId.replace(/^cpu | threads=1$/g, '') ?? 'none',
    paired: best?.measuredBy === 'paired',
    agree,
    chart: chartOk && values.length > 0,
    seqBest: seqTop?.spec.id.replace(/^cpu | threads=1$/g, '') ?? 'none',
    seqDiffers,
    verdicts,
    extended: ok.filter((t) => t.measure.extension).length,
    busy: ok.filter((t) => t.warnings.some((w) => w.code === 'busy-machine')).length,
    disagrees: ok.filter((t) => t.warnings.some((w) => w.code === 'throughput-disagrees')).length,
  };
}

const stop = hog ? startHog() : () => {};
const rows = [];
try {
  for (let r = 0; r < runs; r++) {
    const started = Date.now();
    const report = await profile({ ...options, seed: r + 1 });
    const row = { run: r + 1, seconds: ((Date.now() - started) / 1000).toFixed(0), ...judgeRun(report) };
    rows.push(row);
    console.log(`${row.run}\t${row.seconds}s\tbest ${row.best}\tpaired ${row.paired}\tagree ${row.agree}\tchart ${row.chart}\tseq-best ${row.seqBest}${row.seqDiffers ? ' (differs beyond noise)' : ''}\tverdicts ${JSON.stringify(row.verdicts)}\textended ${row.extended}\tbusy ${row.busy}\tthroughput-disagrees ${row.disagrees}`);
  }
} finally {
  stop();
}
const count = (k) => rows.filter((r) => r[k]).length;
console.log(`summary: ${runs} runs of batch ${batch.join(',')} × ${precision.join(',')}, budget ${budget}${hog ? ', a busy loop on core 1' : ''}: best chosen on the paired speed-up ${count('paired')}/${runs}, agrees with the paired speed-ups ${count('agree')}/${runs}, chart matches the table ${count('chart')}/${runs}; sequential items/s would have named a different best beyond noise ${count('seqDiffers')}/${runs}`);
