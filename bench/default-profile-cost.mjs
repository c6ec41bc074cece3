#!/usr/bin/env node
// What does the default "why is it slow?" analysis (per-operator profile + roofline) add to the
// wall time of `inferbench profile MODEL`? Three variants of the same command, interleaved round
// by round so that machine drift hits all alike (run under the bench lock: other benchmarks would
// be that drift):
//   without   --no-op-profile: the measurement alone (the default before the analysis was)
//   cached    the default, with this machine's calibration already cached
//   first     the default on a machine that has never calibrated (a fresh XDG_CACHE_HOME)
// Goals (issue 12): cached ≤ without + 2 s, first ≤ without + 6 s on the CNN fixture.
// Not a test: it prints medians and the differences.
//
//   npm run build && flock /tmp/inferbench-bench.lock node bench/default-profile-cost.mjs [model] [rounds]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const model = process.argv[2] ?? 'fixtures/cnn.onnx';
const rounds = Number(process.argv[3] ?? 5);
const bin = join(import.meta.dirname, '..', 'bin', 'inferbench');
const warmCache = mkdtempSync(join(tmpdir(), 'inferbench-bench-cache-'));

function wallSeconds(extra, cacheHome) {
  const t0 = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, 'profile', model, '--no-save', '-q', ...extra], {
    env: { ...process.env, XDG_CACHE_HOME: cacheHome },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (run.status !== 0) throw new Error(`inferbench exited ${run.status}: ${run.stderr}`);
  return seconds;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// Fill the warm cache once (its cost is what `first` measures).
wallSeconds([], warmCache);
const times = { without: [], cached: [], first: [] };
for (let round = 0; round < rounds; round++) {
  times.without.push(wallSeconds(['--no-op-profile'], warmCache));
  times.cached.push(wallSeconds([], warmCache));
  const fresh = mkdtempSync(join(tmpdir(), 'inferbench-bench-fresh-'));
  times.first.push(wallSeconds([], fresh));
  rmSync(fresh, { recursive: true, force: true });
  const last = Object.entries(times).map(([k, v]) => `${k} ${v.at(-1).toFixed(2)} s`).join(', ');
  console.log(`round ${round + 1}/${rounds}: ${last}`);
}
rmSync(warmCache, { recursive: true, force: true });

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
console.log(`\n${model}, ${rounds} interleaved rounds, median wall time of \`inferbench profile ${model} --no-save -q\`:`);
console.log(`  --no-op-profile (measurement only)  ${m.without.toFixed(2)} s`);
console.log(`  default, calibration cached         ${m.cached.toFixed(2)} s  (+${(m.cached - m.without).toFixed(2)} s; goal ≤ +2 s)`);
console.log(`  default, first run (calibrates)     ${m.first.toFixed(2)} s  (+${(m.first - m.without).toFixed(2)} s; goal ≤ +6 s)`);
// Per-round differences: each pair ran back to back, so drift between rounds cancels.
const diff = (a, b) => median(times[a].map((t, i) => t - times[b][i]));
console.log(`  median of per-round differences: cached +${diff('cached', 'without').toFixed(2)} s, first +${diff('first', 'without').toFixed(2)} s`);
