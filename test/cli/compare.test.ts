// Spawns the built CLI (`npm test` runs tsc first) on reports written to a temp directory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { validateReport } from '../../src/report/validate.js';
import { okTrial, reportOf } from '../compare/reports.js';

let dir: string;
const file = (name: string): string => join(dir, name);

function inferbench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/inferbench', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inferbench-compare-'));
  const reports = {
    // --repeat 5 on both sides: the run-to-run spread is measured and the rank test applies.
    'base.json': reportOf([okTrial({ inferenceUs: 600, seed: 1, repetitions: 5 })]),
    'same.json': reportOf([okTrial({ inferenceUs: 600, seed: 2, repetitions: 5 })]),
    'slow.json': reportOf([okTrial({ inferenceUs: 660, seed: 3, repetitions: 5 })]),
    'other.json': reportOf([okTrial({ inferenceUs: 600, seed: 4, spec: { device: 'cuda' } })]),
    // One run a side.
    'once.json': reportOf([okTrial({ inferenceUs: 600, seed: 5 })]),
    'once-slow10.json': reportOf([okTrial({ inferenceUs: 660, seed: 6 })]),
    'once-slow30.json': reportOf([okTrial({ inferenceUs: 780, seed: 7 })]),
    // 15% slower, measured beside another job that took 15% of the CPU it wanted (16 cores, 4 threads wanted).
    'busy-slow.json': reportOf([okTrial({ inferenceUs: 690, seed: 8, repetitions: 5, cpu: { totalPct: 100, processPct: 10 } })]),
  };
  for (const [name, report] of Object.entries(reports)) {
    expect(validateReport(report)).toEqual({ valid: true });
    writeFileSync(file(name), JSON.stringify(report));
  }
});

describe('inferbench compare', () => {
  test('A/A: unchanged, exit 0, console table on stdout', () => {
    const r = inferbench('compare', file('base.json'), file('same.json'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^unchanged: 0 of 1 trials regressed/m);
    expect(r.stdout).toMatch(/│ inference\s+│ p50\s+│.*│ unchanged\s+│/);
  });

  test('A/B 10% slower: regressed, exit 1', () => {
    const r = inferbench('compare', file('base.json'), file('slow.json'));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^regressed: 1 of 1 trials regressed/m);
    expect(r.stdout).toMatch(/inference p50 \+\d+(\.\d)?% \(CI \+\d.*\): regressed — the whole CI is past ±5\.0%/);
  });

  test('one run a side: 10% slower is inconclusive (exit 0) unless --run-variance says runs agree; 30% slower regressed', () => {
    const once = inferbench('compare', file('once.json'), file('once-slow10.json'));
    expect(once.status).toBe(0);
    expect(once.stdout).toMatch(/^inconclusive: 0 of 1 trials regressed/m);
    expect(once.stdout).toContain('note: A side was measured once (no --repeat)');
    expect(inferbench('compare', file('once.json'), file('once-slow10.json'), '--run-variance', '0%').status).toBe(1);
    expect(inferbench('compare', file('once.json'), file('once-slow30.json')).status).toBe(1);
  });

  test('a head measured beside a job that took its CPU: inconclusive with the reason, exit 0', () => {
    const r = inferbench('compare', file('base.json'), file('busy-slow.json'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^inconclusive: 0 of 1 trials regressed/m);
    expect(r.stdout).toContain("head shared the CPU: other processes took 15% of the machine's CPU from the trial");
    expect(r.stdout).toContain('a run shared the CPU with other processes, which could explain this');
  });

  test('a high enough threshold lets the 10% slowdown pass', () => {
    expect(inferbench('compare', file('base.json'), file('slow.json'), '--threshold', '20%').status).toBe(0);
  });

  test('a violated budget: exit 1 even without a regression', () => {
    const r = inferbench('compare', file('base.json'), file('same.json'), '--budget', 'inference.p50<=100us', '--budget', 'throughput>=200/s');
    expect(r.status).toBe(1);
    // Each budget per trial: pass/fail with the measured value and the headroom.
    expect(r.stdout).toMatch(/│ cpu fp32 batch=1 threads=4 │ inference\.p50 <= 100 µs\s+│\s+6\d\d µs │\s+−\d+% │ FAIL/);
    expect(r.stdout).toMatch(/│ cpu fp32 batch=1 threads=4 │ throughput >= 200 inf\/s\s+│\s+1,\d\d\d inf\/s │\s+\+\d+% │ pass/);
  });

  test('--json prints only the JSON comparison', () => {
    const r = inferbench('compare', file('base.json'), file('slow.json'), '--json');
    const data = JSON.parse(r.stdout) as { trials: { stages: { stage: string; metrics: { metric: string; ci: number[]; verdict: string }[] }[] }[] };
    expect(data).toMatchObject({ format: 'inferbench-compare/1', verdict: 'regressed', exitCode: 1, method: { runVariance: 0.1, defaultThreshold: 0.05 } });
    const p50 = data.trials[0]?.stages.find((s) => s.stage === 'inference')?.metrics.find((m) => m.metric === 'p50');
    expect(p50?.verdict).toBe('regressed');
    expect(p50?.ci[0]).toBeGreaterThan(0.05);
    expect(r.status).toBe(1);
  });

  test('--format github-benchmark --out writes the action file and prints the console summary', () => {
    const out = file('bench.json');
    const r = inferbench('compare', file('base.json'), file('slow.json'), '--format', 'github-benchmark', '--out', out);
    expect(r.status).toBe(1);
    const entries = JSON.parse(readFileSync(out, 'utf8')) as { name: string; unit: string; value: number }[];
    expect(entries).toHaveLength(8);
    expect(entries.every((e) => e.unit === 'ms' && typeof e.value === 'number')).toBe(true);
    expect(r.stdout).toContain('inferbench compare');
  });

  test('--format customBiggerIsBetter: throughput entries', () => {
    const r = inferbench('compare', file('base.json'), file('slow.json'), '--format', 'customBiggerIsBetter');
    const entries = JSON.parse(r.stdout) as { name: string; unit: string; value: number }[];
    expect(entries).toEqual([expect.objectContaining({ unit: 'inf/s', name: expect.stringMatching(/ throughput$/) })]);
  });

  test('--format md is Markdown; --format console the table', () => {
    const md = inferbench('compare', file('base.json'), file('slow.json'), '--format', 'md').stdout;
    expect(md).toMatch(/^## 🔴 inferbench compare: regressed/);
    expect(md).toContain('| trial | verdict | inference p50 | total p99 | throughput |');
    expect(inferbench('compare', file('base.json'), file('slow.json'), '--format', 'console').stdout).toMatch(/^inferbench compare\n/);
  });

  test.each([
    [['missing.json', 'same.json'], /error: cannot read report .*missing\.json \(ENOENT\)/],
    [['test/data/compare/not-a-report.json', 'same.json'], /error: test\/data\/compare\/not-a-report\.json is not a valid inferbench report/],
    [['test/data/compare/not-json.txt', 'same.json'], /is not JSON/],
    [['base.json', 'same.json', '--threshold', 'p42=5%'], /unknown metric 'p42'/],
    [['base.json', 'same.json', '--budget', 'p99 under 5ms'], /budget 'p99 under 5ms': not a budget/],
    [['base.json', 'same.json', '--format', 'pdf'], /unknown compare format 'pdf'/],
    [['base.json', 'other.json'], /no trial of head matches a trial of base/],
    [['base.json', 'same.json', '--run-variance', 'lots'], /--run-variance 'lots' is not a percentage/],
  ])('bad input %j: exit 2 with a clear message', (args, message) => {
    const resolved = args.map((a) => (a.endsWith('.json') && !a.includes('/') ? file(a) : a));
    const r = inferbench('compare', ...resolved);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^hint: /m);
  });

  test('--strict refuses reports from different machines', () => {
    const other = JSON.parse(readFileSync(file('same.json'), 'utf8')) as { environment: { cpu: { model: string } } };
    other.environment.cpu.model = 'Intel Xeon';
    writeFileSync(file('xeon.json'), JSON.stringify(other));
    expect(inferbench('compare', file('base.json'), file('xeon.json')).stdout).toContain('Different machines');
    const strict = inferbench('compare', file('base.json'), file('xeon.json'), '--strict');
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain('not like for like');
  });

  test('a different inferbench version and trials on one side only are stated, never compared as equal', () => {
    const newer = JSON.parse(readFileSync(file('same.json'), 'utf8')) as { tool: { version: string }; trials: { spec: { batch: number } }[] };
    newer.tool.version = '0.2.0';
    newer.trials.push({ ...newer.trials[0]!, spec: { ...newer.trials[0]!.spec, batch: 8 } });
    writeFileSync(file('newer.json'), JSON.stringify(newer));
    const r = inferbench('compare', file('base.json'), file('newer.json'), '--format', 'md');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('> ⚠️ Different inferbench versions: 0.1.0 → 0.2.0. The measurement itself may have changed.');
    expect(r.stdout).toContain('> ⚠️ Only in head (not compared): resnet\\_tiny.onnx cpu fp32 batch=8');
    expect(inferbench('compare', file('base.json'), file('newer.json'), '--strict').status).toBe(2);
  });
});
