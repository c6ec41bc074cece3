#!/usr/bin/env node
// What each precision variant buys on the CPU, and what it costs in accuracy: fp32, fp16, dynamic
// int8 and static int8 (QDQ) of the CNN and transformer fixtures, one thread, the four trials
// interleaved round by round (--repeat) so machine drift hits them alike. The speed-ups are
// medians over rounds of each round's ratio to fp32's in the same round: of throughput, and of
// fp32's inference p50 to the variant's (the p50 ignores stalls the throughput counts). Not a test:
// it prints (docs/precision-variants.md quotes its output).
//
//   npm run build && flock /tmp/inferbench-bench.lock taskset -c 0 node bench/precision-variants.mjs [rounds] [iterations]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profile } from '../dist/index.js';

const rounds = Number(process.argv[2] ?? 5);
const iterations = Number(process.argv[3] ?? 300);
const cache = mkdtempSync(join(tmpdir(), 'inferbench-precision-bench-'));
const models = [
  { model: 'fixtures/cnn.onnx' },
  { model: 'fixtures/transformer.onnx', dims: { sequence: 128 } },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const pad = (s, n) => String(s).padEnd(n);

for (const { model, dims } of models) {
  const report = await profile({
    model, ...(dims && { dims }), precision: ['fp32', 'fp16', 'int8', 'int8-static'], threads: 1, repeat: rounds,
    warmup: { kind: 'count', iterations: 30 }, measure: { kind: 'count', iterations }, sample: false, variantCacheDir: cache,
  });
  const fp32 = report.trials.find((t) => t.spec.precision === 'fp32' && t.status === 'ok');
  console.log(`\n${model} (batch 1, 1 thread, ${rounds} interleaved rounds × ${iterations} iterations)`);
  console.log(['precision', 'infer p50', 'speed-up', 'p50 ratio', 'cosine', 'max |err|', 'rel err', 'drift on', 'converted', 'weights'].map((h, i) => pad(h, [12, 10, 9, 9, 9, 10, 8, 9, 22, 0][i])).join(' '));
  for (const t of report.trials) {
    if (t.status !== 'ok') {
      console.log(`${pad(t.spec.precision, 12)} ${t.status}: ${t.reason ?? t.error?.message}`);
      continue;
    }
    const ratios = (t.repetitions ?? []).map((r, i) => r.throughput.inferencesPerSec / (fp32.repetitions?.[i]?.throughput.inferencesPerSec ?? NaN));
    const p50Ratios = (t.repetitions ?? []).map((r, i) => (fp32.repetitions?.[i]?.stages.inference.p50Ms ?? NaN) / r.stages.inference.p50Ms);
    const a = t.accuracy;
    const c = t.variant?.coverage;
    // fp16 lists every op type that touches float32: show the total there.
    const total = (k) => c.ops.reduce((n, o) => n + o[k], 0);
    const converted = !c ? '' : t.spec.precision === 'fp16' ? `${total('converted')}/${total('eligible')} nodes` : c.ops.map((o) => `${o.opType} ${o.converted}/${o.eligible}`).join(', ');
    const weights = c ? `${(c.weightBytes.before / 1024).toFixed(0)} → ${(c.weightBytes.after / 1024).toFixed(0)} KiB` : '';
    console.log([
      pad(t.spec.precision, 12), pad(`${(t.stages.inference.p50Ms * 1000).toFixed(0)} µs`, 10), pad(`${median(ratios).toFixed(2)}×`, 9), pad(`${median(p50Ratios).toFixed(2)}×`, 9),
      pad(a ? a.overall.cosineSimilarity.toFixed(5) : 'ref', 9), pad(a ? a.overall.maxAbsError.toPrecision(3) : '', 10),
      pad(a ? `${(a.overall.meanRelativeError * 100).toFixed(2)}%` : '', 8), pad(a ? `${a.inputSets} sets` : '', 9), pad(converted, 22), weights,
    ].join(' '));
  }
}
