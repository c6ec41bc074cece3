#!/usr/bin/env node
// Precision variants over the ONNX backend-test corpus (Debian/Ubuntu libonnx-testdata, see
// scripts/corpus.mjs), inferbench issue 21: every model that holds a Conv / ConvTranspose /
// MatMul / Gemm node or imports a default-domain opset below 11 is profiled by the real CLI with
// --precision fp32,fp16,int8,int8-static (its shipped inputs with --data when it has them), and
// each variant trial is counted as
//   ok             measured;
//   skipped        with its reason (nothing to convert, a declined conversion, ...), grouped;
//   failed-to-load the variant was made but the runtime refused it (phase open, model-invalid);
//   failed         another failure of the variant trial (its message);
//   crash / hang   the CLI died, printed a stack, or ran past the timeout.
// The goal is 0 failed-to-load and 0 crash/hang. Models whose fp32 trial does not run here (the
// runtime lacks a kernel, inputs it cannot feed) are counted apart: their variants say nothing.
// With --check, every ok variant file is also checked by Python's onnx.checker.check_model
// (/usr/bin/python3 with Debian's python3-onnx; a cross-check, not part of the test suite).
//
// Usage: node scripts/corpus-variants.mjs [--root DIR] [--list FILE] [--jobs N] [--timeout S] [--log FILE] [--check]
//   --list FILE: only the tests named in FILE (first word of each line), e.g. test/data/corpus-variants-sample.txt
//   --log FILE: append each model's result as a JSON line; models already in it are not run again.
// Needs `npm run build` first (it reads dist/). Exit 1 when a variant failed to load, or a run crashed or hung.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ROOT, listTests } from './corpus.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', 'bin', 'inferbench');
const VARIANTS = ['fp16', 'int8', 'int8-static'];
const COMPUTE = new Set(['Conv', 'ConvTranspose', 'MatMul', 'Gemm']);

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

/** Whether a model is in scope: a Conv/ConvTranspose/MatMul/Gemm node anywhere, or a default opset below 11. */
export async function inScope(modelPath) {
  const { decodeModel } = await import('../dist/variants/onnx-graph.js');
  const model = decodeModel(new Uint8Array(readFileSync(modelPath)));
  const opset = Number((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
  const walk = (graph) => (graph.node ?? []).some((n) => COMPUTE.has(n.opType) || (n.attribute ?? []).some((a) => (a.g && walk(a.g)) || (a.graphs ?? []).some(walk)));
  return { opset, inScope: opset < 11 || walk(model.graph) };
}

function run(args, env, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** One variant trial's class and detail. */
export function classifyTrial(trial) {
  if (!trial) return { class: 'failed', detail: 'no trial in the report' };
  if (trial.status === 'ok') return { class: 'ok', path: trial.variant?.source === 'generated' ? trial.variant.path : undefined };
  if (trial.status === 'skipped') return { class: 'skipped', detail: trial.reason };
  const load = trial.phase === 'open' && trial.error?.code === 'model-invalid';
  return { class: load ? 'failed-to-load' : 'failed', detail: `${trial.phase}: [${trial.error?.code}] ${trial.error?.message}` };
}

/** A skip reason without its model-specific parts, to group by. */
export function reasonKey(reason) {
  return reason
    .replace(/\(eligible: [^;)]*/g, '(eligible: …')
    .replace(/'[^'\s]*'/g, "'…'")
    .replace(/\(.*invalid model \((.{0,60}).*$/, '(invalid model ($1…')
    .replace(/ at opset \d+ cannot be raised to \d+ \(.*$/, ' at opset N cannot be raised (…)')
    .replace(/(?<![A-Za-z0-9])\d+(\.\d+)?/g, 'N')
    .slice(0, 140);
}

/** Profiles one corpus model with every precision; returns its variants' classes. */
export async function runModel(root, test, timeoutMs) {
  const dir = join(root, test);
  const model = join(dir, 'model.onnx');
  const scope = await inScope(model);
  if (!scope.inScope) return { test, opset: scope.opset, inScope: false };
  const set = join(dir, 'test_data_set_0');
  const hasInputs = existsSync(set) && readdirSync(set).some((n) => /^input_\d+\.pb$/.test(n));
  const cache = mkdtempSync(join(tmpdir(), 'inferbench-corpus-variants-'));
  const args = [BIN, 'profile', model, '--precision', ['fp32', ...VARIANTS].join(','), '-n', '3', '-w', '1', '-t', '1', '--no-sample', '--no-save', '--no-op-profile', '--no-paired-speedup', '--json'];
  if (hasInputs) args.push('--data', dir, '--pipeline', 'tensors');
  const r = await run(args, { XDG_CACHE_HOME: cache }, timeoutMs);
  const base = { test, opset: scope.opset, inScope: true, cache, code: r.code };
  if (r.timedOut) return { ...base, cli: 'hang' };
  const stack = /internal error|\n\s+at .+:\d+:\d+\)?$/m.test(r.stderr);
  if (r.signal || stack || ![0, 1, 2, 3, 4, 5, 6].includes(r.code)) return { ...base, cli: 'crash', error: r.stderr.split('\n').slice(0, 3).join(' ') };
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    return { ...base, cli: 'error', error: r.stderr.split('\n').find((l) => l.startsWith('error:')) ?? r.stderr.slice(0, 200) };
  }
  const byPrecision = new Map(report.trials.map((t) => [t.spec.precision, t]));
  const fp32 = byPrecision.get('fp32');
  const variants = Object.fromEntries(VARIANTS.map((p) => [p, classifyTrial(byPrecision.get(p))]));
  return { ...base, cli: 'ok', fp32: fp32?.status ?? 'missing', variants };
}

/** onnx.checker.check_model on each path, in one Python process: path → null or the first line of its error. */
export function pythonCheck(paths) {
  if (paths.length === 0 || !existsSync('/usr/bin/python3')) return new Map();
  const script = `
import json, sys, onnx
out = {}
for p in json.load(sys.stdin):
    try:
        onnx.checker.check_model(onnx.load(p))
        out[p] = None
    except Exception as e:
        out[p] = str(e).strip().split('\\n')[0][:300]
print(json.dumps(out))`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(paths), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) return new Map(paths.map((p) => [p, `python failed: ${r.stderr.split('\n').filter(Boolean).pop()}`]));
  return new Map(Object.entries(JSON.parse(r.stdout)));
}

function summarize(results, root, check) {
  const models = results.filter((r) => r.inScope);
  const measured = models.filter((r) => r.cli === 'ok' && r.fp32 === 'ok');
  console.log(`\n${models.length} models in scope (Conv/ConvTranspose/MatMul/Gemm, or opset < 11) of ${results.length} in ${root}`);
  console.log(`fp32 ran on ${measured.length}; its trial failed on ${models.filter((r) => r.cli === 'ok' && r.fp32 !== 'ok').length}; the CLI stopped with one error line (the fp32 model does not load, inputs it cannot feed) on ${models.filter((r) => r.cli === 'error').length}; crash ${models.filter((r) => r.cli === 'crash').length}; hang ${models.filter((r) => r.cli === 'hang').length}`);
  console.log('\nvariant       ok  skipped  failed-to-load  failed   (models whose fp32 trial ran)');
  for (const p of VARIANTS) {
    const n = (c) => measured.filter((r) => r.variants[p].class === c).length;
    console.log(`${p.padEnd(12)} ${String(n('ok')).padStart(3)}  ${String(n('skipped')).padStart(7)}  ${String(n('failed-to-load')).padStart(14)}  ${String(n('failed')).padStart(6)}`);
  }
  const reasons = new Map();
  for (const r of measured) {
    for (const p of VARIANTS) {
      const v = r.variants[p];
      if (v.class === 'ok') continue;
      const key = `${p} ${v.class}: ${v.class === 'skipped' ? reasonKey(v.detail) : v.detail.slice(0, 120)}`;
      reasons.set(key, [...(reasons.get(key) ?? []), r.test]);
    }
  }
  console.log('\nwhy not ok (count, reason, first model):');
  for (const [key, tests] of [...reasons].sort((a, b) => b[1].length - a[1].length)) console.log(`${String(tests.length).padStart(4)}  ${key}  [${tests[0]}]`);
  for (const r of models.filter((r) => r.cli === 'crash' || r.cli === 'hang')) console.log(`${r.cli}: ${r.test} ${r.error ?? ''}`);
  if (check) {
    const paths = measured.flatMap((r) => VARIANTS.map((p) => r.variants[p].path).filter((x) => x && existsSync(x)));
    const checked = pythonCheck(paths);
    const bad = [...checked].filter(([, e]) => e !== null);
    console.log(`\nonnx.checker (python3-onnx) on ${checked.size} ok variant files: ${checked.size - bad.length} pass, ${bad.length} fail`);
    for (const [p, e] of bad.slice(0, 20)) console.log(`  ${p.split('/').pop()}: ${e}`);
  }
  const loadFailures = measured.reduce((n, r) => n + VARIANTS.filter((p) => r.variants[p].class === 'failed-to-load').length, 0);
  return loadFailures > 0 || models.some((r) => r.cli === 'crash' || r.cli === 'hang') ? 1 : 0;
}

async function main() {
  const root = arg('--root', DEFAULT_ROOT);
  if (!existsSync(root)) {
    console.error(`no corpus at ${root}: apt-get install libonnx-testdata (Debian/Ubuntu), or pass --root`);
    process.exit(2);
  }
  const log = arg('--log');
  const check = process.argv.includes('--check');
  const results = log && existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  const done = new Set(results.map((r) => r.test));
  const tests = listTests(root, arg('--list')).filter((t) => !done.has(t));
  const jobs = Number(arg('--jobs', '1'));
  const timeoutMs = Number(arg('--timeout', '300')) * 1000;
  let next = 0;
  let finished = 0;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < tests.length) {
      const test = tests[next++];
      const result = await runModel(root, test, timeoutMs);
      // Keep the variant files for the checker; drop the cache of models without an ok variant.
      if (result.cache && !(check && result.variants && Object.values(result.variants).some((v) => v.class === 'ok'))) rmSync(result.cache, { recursive: true, force: true });
      results.push(result);
      finished += 1;
      if (log) appendFileSync(log, `${JSON.stringify(result)}\n`);
      if (process.stderr.isTTY) process.stderr.write(`\r${finished}/${tests.length} ${test.padEnd(60)}`);
    }
  }));
  results.sort((a, b) => a.test.localeCompare(b.test));
  const json = arg('--json');
  if (json) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  process.exit(summarize(results, root, check));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
