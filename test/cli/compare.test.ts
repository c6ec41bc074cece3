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
    'base.json': reportOf([okTrial({ inferenceUs: 600, seed: 1 })]),
    'same.json': reportOf([okTrial({ inferenceUs: 600, seed: 2 })]),
    'slow.json': reportOf([okTrial({ inferenceUs: 660, seed: 3 })]),
    'other.json': reportOf([okTrial({ inferenceUs: 600, seed: 4, spec: { device: 'cuda' } })]),
  };
  for (const [name, report] of Object.entries(reports)) {
    expect(validateReport(report)).toEqual({ valid: true });
    writeFileSync(file(name), JSON.stringify(report));
  }
});

describe('inferbench compare', () => {
  test('A/A: exit 0, console table on stdout', () => {
    const r = inferbench('compare', file('base.json'), file('same.json'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 of 1 trials regressed');
  });

  test('A/B 10% slower: exit 1', () => {
    const r = inferbench('compare', file('base.json'), file('slow.json'));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^regressed: 1 of 1 trials regressed/m);
  });

  test('a high enough threshold lets the 10% slowdown pass', () => {
    expect(inferbench('compare', file('base.json'), file('slow.json'), '--threshold', '20%').status).toBe(0);
  });

  test('a violated budget: exit 1 even without a regression', () => {
    const r = inferbench('compare', file('base.json'), file('same.json'), '--budget', 'inference.p50<=100us');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL');
  });

  test('--json prints only the JSON comparison', () => {
    const r = inferbench('compare', file('base.json'), file('slow.json'), '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'inferbench-compare/1', verdict: 'regressed', exitCode: 1 });
  });

  test('--format github-benchmark --out writes the action file and prints the console summary', () => {
    const out = file('bench.json');
    const r = inferbench('compare', file('base.json'), file('slow.json'), '--format', 'github-benchmark', '--out', out);
    expect(r.status).toBe(1);
    const entries = JSON.parse(readFileSync(out, 'utf8')) as { name: string; unit: string; value: number }[];
    expect(entries.every((e) => e.unit === 'ms' && typeof e.value === 'number')).toBe(true);
    expect(r.stdout).toContain('inferbench compare');
  });

  test('--format md is Markdown', () => {
    expect(inferbench('compare', file('base.json'), file('slow.json'), '--format', 'md').stdout).toMatch(/^## 🔴 inferbench compare: regressed/);
  });

  test.each([
    [['missing.json', 'same.json'], /error: cannot read report .*missing\.json \(ENOENT\)/],
    [['test/data/compare/not-a-report.json', 'same.json'], /error: test\/data\/compare\/not-a-report\.json is not a valid inferbench report/],
    [['test/data/compare/not-json.txt', 'same.json'], /is not JSON/],
    [['base.json', 'same.json', '--threshold', 'p42=5%'], /unknown metric 'p42'/],
    [['base.json', 'same.json', '--budget', 'p99 under 5ms'], /budget 'p99 under 5ms': not a budget/],
    [['base.json', 'same.json', '--format', 'html'], /unknown compare format 'html'/],
    [['base.json', 'other.json'], /no trial of head matches a trial of base/],
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
});
