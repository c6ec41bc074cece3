#!/usr/bin/env node
// Start-up cost of the CLI: wall time of `inferbench --help`, `--version` and `compare --help`
// against `node -e 0` (the floor every Node CLI pays), in interleaved rounds — each round runs
// every command once, in a rotated order, so that machine drift hits all alike — and the median of
// the per-round ratios. Goal (issue 14): --help and --version ≤ 2× `node -e 0`. Not a test: it prints.
//
//   npm run build && taskset -c 0 node bench/startup.mjs [rounds]
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const rounds = Number(process.argv[2] ?? 15);
const bin = new URL('../bin/inferbench', import.meta.url).pathname;
const commands = {
  'node -e 0': ['-e', '0'],
  'inferbench --help': [bin, '--help'],
  'inferbench --version': [bin, '--version'],
  'inferbench profile --help': [bin, 'profile', '--help'],
  'inferbench compare --help': [bin, 'compare', '--help'],
};
const names = Object.keys(commands);

function wallMs(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

for (const name of names) wallMs(commands[name]); // warm the file cache
const times = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(r + k) % names.length];
    times[name].push(wallMs(commands[name]));
  }
}
console.log(`${rounds} interleaved rounds; ratio = median over rounds of (command ÷ node -e 0 in the same round)`);
for (const name of names) {
  const ratios = times[name].map((t, i) => t / times['node -e 0'][i]);
  console.log(`  ${name.padEnd(28)} median ${median(times[name]).toFixed(0).padStart(5)} ms   ratio ${median(ratios).toFixed(2)}×`);
}
