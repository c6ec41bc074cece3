#!/usr/bin/env node
// Reliability corpus: every model of the ONNX backend-test data (Debian/Ubuntu: apt-get install
// libonnx-testdata → /usr/share/libonnx-testdata/data/{node,simple,pytorch-*,real}/<test>/) is
// profiled by the real CLI with its shipped inputs (--data <test dir>) and --check-outputs, and
// run by bare onnxruntime-node (scripts/corpus-bare.mjs) for comparison. Each CLI run is
// classified ok / mismatch / clean-error (one `error:` line, documented exit code) / crash
// (stack, internal error, signal, undocumented code) / hang (past the timeout).
//
// Usage: node scripts/corpus.mjs [--root DIR] [--list FILE] [--jobs N] [--timeout S] [--json FILE] [--log FILE]
//   --list FILE: only the tests named in FILE (one `kind/test_name` a line, first word), e.g. the CI sample.
//   --log FILE: append each result as a JSON line as it finishes; tests already in FILE are not
//               run again (a long run survives being stopped), and count in the summary.
// Prints a summary table; --json writes every result. Exit 1 when any run crashed or hung.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', 'bin', 'inferbench');
const BARE = join(HERE, 'corpus-bare.mjs');
export const DEFAULT_ROOT = '/usr/share/libonnx-testdata/data';
/** Exit codes the README documents for a profile run (130/143/129 need a signal, not seen here). */
const DOCUMENTED = new Set([0, 1, 2, 3, 4, 5, 6]);

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

export function listTests(root, listFile) {
  if (listFile) return readFileSync(listFile, 'utf8').split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((l) => l && !l.startsWith('#'));
  return readdirSync(root).flatMap((kind) => readdirSync(join(root, kind)).filter((t) => existsSync(join(root, kind, t, 'model.onnx'))).map((t) => `${kind}/${t}`)).sort();
}

function run(args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
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

export function classify(r) {
  if (r.timedOut) return 'hang';
  if (r.signal || !DOCUMENTED.has(r.code)) return 'crash';
  if (/internal error|\n\s+at .+:\d+:\d+\)?$/m.test(r.stderr)) return 'crash';
  if (r.code === 0) return 'ok';
  if (r.code === 1 && /--check-outputs: the outputs do not match/.test(r.stderr)) return 'mismatch';
  return 'clean-error';
}

export async function runOne(root, test, timeoutMs) {
  const dir = join(root, test);
  const hasInputs = existsSync(join(dir, 'test_data_set_0')) && readdirSync(join(dir, 'test_data_set_0')).some((n) => /^input_\d+\.pb$/.test(n));
  const hasSets = existsSync(join(dir, 'test_data_set_0'));
  const args = [BIN, 'profile', join(dir, 'model.onnx'), '-n', '5', '-w', '1', '-t', '1', '--no-sample', '--no-save', '-q'];
  if (hasInputs) args.push('--data', dir, '--pipeline', 'tensors');
  if (hasSets) args.push('--check-outputs', dir);
  const [cli, bare] = await Promise.all([run(args, timeoutMs), run([BARE, dir], timeoutMs)]);
  const bareResult = bare.timedOut ? { status: 'hang' } : bare.code !== 0 && !bare.stdout ? { status: 'crash', error: `exit ${bare.code ?? bare.signal}` } : JSON.parse(bare.stdout.trim().split('\n').pop() || '{"status":"crash"}');
  const error = cli.stderr.split('\n').find((l) => l.startsWith('error:')) ?? null;
  return { test, class: classify(cli), code: cli.code, error, bare: bareResult.status, bareError: bareResult.error ?? null, bareOutputs: bareResult.outputs ?? null };
}

async function main() {
  const root = arg('--root', DEFAULT_ROOT);
  if (!existsSync(root)) {
    console.error(`no corpus at ${root}: apt-get install libonnx-testdata (Debian/Ubuntu), or pass --root`);
    process.exit(2);
  }
  const log = arg('--log');
  const results = log && existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  const done = new Set(results.map((r) => r.test));
  const tests = listTests(root, arg('--list')).filter((t) => !done.has(t));
  const jobs = Number(arg('--jobs', '2'));
  const timeoutMs = Number(arg('--timeout', '120')) * 1000;
  let next = 0;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < tests.length) {
      const test = tests[next++];
      const result = await runOne(root, test, timeoutMs);
      results.push(result);
      if (log) appendFileSync(log, `${JSON.stringify(result)}\n`);
      if (process.stderr.isTTY) process.stderr.write(`\r${results.length}/${tests.length} ${test.padEnd(60)}`);
    }
  }));
  results.sort((a, b) => a.test.localeCompare(b.test));
  const json = arg('--json');
  if (json) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  const count = (f) => results.filter(f).length;
  const classes = ['ok', 'mismatch', 'clean-error', 'crash', 'hang'];
  console.log(`\n${results.length} models from ${root}${done.size > 0 ? ` (${done.size} from ${log})` : ''}`);
  console.log('inferbench      total  bare ORT ok  bare ORT error/crash/hang');
  for (const c of classes) console.log(`${c.padEnd(14)} ${String(count((r) => r.class === c)).padStart(6)}  ${String(count((r) => r.class === c && r.bare === 'ok')).padStart(11)}  ${String(count((r) => r.class === c && r.bare !== 'ok')).padStart(11)}`);
  // --check-outputs against the same comparison done without inferbench (scripts/corpus-bare.mjs).
  const compared = results.filter((r) => r.bareOutputs && (r.class === 'ok' || r.class === 'mismatch'));
  if (compared.length > 0) {
    const disagree = compared.filter((r) => (r.class === 'mismatch') !== (r.bareOutputs === 'mismatch'));
    console.log(`outputs compared with output_*.pb by both: ${compared.length}; inferbench's --check-outputs agrees with the bare comparison on ${compared.length - disagree.length}`);
    for (const r of disagree) console.log(`  disagree: ${r.test} (inferbench ${r.class}, bare ${r.bareOutputs})`);
  }
  for (const r of results.filter((r) => r.class === 'crash' || r.class === 'hang')) console.log(`${r.class}: ${r.test} (exit ${r.code}) ${r.error ?? ''}`);
  process.exit(count((r) => r.class === 'crash' || r.class === 'hang') > 0 ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
