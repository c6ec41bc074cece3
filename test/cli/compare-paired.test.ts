// `inferbench compare BASE HEAD` with two models (paired mode), spawned as a user would, on
// chain models generated into a temp dir, and the report path's fail-safe rules.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without types (the fixture generator)
import { DT, Graph, rngFor } from '../../scripts/make-fixtures.mjs';
import { renderCompareHtml } from '../../src/compare/render-html.js';
import { DUET_MIN_CORES, type Comparison } from '../../src/compare/verdict.js';
import { okTrial, reportOf } from '../compare/reports.js';

let dir: string;
const file = (name: string): string => join(dir, name);

function inferbench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/inferbench', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** x[batch,128] → layers × (MatMul + Relu): twice the layers, twice the work. */
function chain(layers: number, seed: number): Uint8Array {
  const rng = rngFor(seed);
  const g = new Graph(`chain${layers}`);
  let h = g.input('x', DT.FLOAT, ['batch', 128]);
  for (let i = 0; i < layers; i++) h = g.node('Relu', [g.node('MatMul', [h, g.weight(`w${i}`, [128, 128], rng.he(128 * 128, 128))])], {}, i === layers - 1 ? 'y' : undefined);
  g.output('y', DT.FLOAT, ['batch', 128]);
  return g.encode(`${layers} layers`);
}

const QUICK = ['--threads', '1', '--batch', '16', '-w', '20', '-n', '400'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inferbench-paired-'));
  writeFileSync(file('a.onnx'), chain(4, 1));
  writeFileSync(file('a2.onnx'), chain(4, 2));
  writeFileSync(file('slow.onnx'), chain(12, 1));
  // 9× the layers: the github-benchmark entry's ratio must clear 1.5 with room to spare. With 3×,
  // the fixed per-run cost brought the paired ratio to 1.41–1.42 in two of four CI-like runs.
  writeFileSync(file('slower.onnx'), chain(36, 1));
  const reports = {
    'base.json': reportOf([okTrial({ inferenceUs: 600, seed: 1 })]),
    'slow10.json': reportOf([okTrial({ inferenceUs: 660, seed: 6 })]),
    // 2× slower in a run that drifted 30% within itself.
    'drifting-2x.json': reportOf([okTrial({ inferenceUs: 1200, seed: 7, driftRatio: 0.3 })]),
  };
  for (const [name, report] of Object.entries(reports)) writeFileSync(file(name), JSON.stringify(report));
});

describe('compare with two models: paired', () => {
  test('3× the work is regressed, exit 1; the JSON says paired and holds both sides', () => {
    const r = inferbench('compare', file('a.onnx'), file('slow.onnx'), ...QUICK, '--json');
    expect(r.status).toBe(1);
    const c = JSON.parse(r.stdout) as { path: string; verdict: string; trials: { key: string; paired: { blocks: number; iterationsPerBlock: number; mode: string; epochs: number; epochP50Ratios: number[]; sides: { base: { stages: { inference: { count: number } } } } }; stages: { stage: string; metrics: { metric: string; change: number; ci: number[] }[] }[] }[] };
    expect(c).toMatchObject({ format: 'inferbench-compare/1', path: 'paired', verdict: 'regressed' });
    const t = c.trials[0]!;
    expect(t.key).toBe('cpu fp32 batch=16 threads=1');
    expect(t.paired.mode).toBe('in-process');
    expect(t.paired.sides.base.stages.inference.count).toBe(400);
    expect(t.paired.blocks * t.paired.iterationsPerBlock).toBeGreaterThanOrEqual(400);
    const p50 = t.stages.find((s) => s.stage === 'inference')!.metrics.find((m) => m.metric === 'p50')!;
    expect(p50.change).toBeGreaterThan(0.2);
    expect(p50.ci[0]).toBeGreaterThan(0.05);
    expect(r.stderr).toContain('[1/1] cpu fp32 batch=16 threads=1: base and head interleaved');
    // Five epochs by default, each on fresh sessions, with the p50 ratio of each.
    expect(t.paired.epochs).toBe(5);
    expect(t.paired.epochP50Ratios).toHaveLength(5);
    for (const ratio of t.paired.epochP50Ratios) expect(ratio).toBeGreaterThan(1.05);
    // The HTML page's interval chart shows each epoch as a tick on the inference p50 row.
    const page = renderCompareHtml(c as unknown as Comparison);
    expect(page.match(/<line class="epoch"/g)).toHaveLength(5);
    expect(page).toContain('The short ticks on the inference p50 row are the 5 epochs');
  });

  test('--epochs 1 measures one pair of sessions; --epochs and --duet with reports are usage errors', () => {
    const c = JSON.parse(inferbench('compare', file('a.onnx'), file('slow.onnx'), ...QUICK, '--epochs', '1', '--json').stdout) as { trials: { paired: { epochs: number; epochP50Ratios: number[] } }[] };
    expect(c.trials[0]!.paired).toMatchObject({ epochs: 1, epochP50Ratios: [] });
    for (const flag of [['--epochs', '3'], ['--duet']]) {
      const r = inferbench('compare', file('base.json'), file('slow10.json'), ...flag);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${flag[0]} applies when comparing models, not reports`);
    }
  });

  test('the console and Markdown say which path made the verdict and lead with the paired ratio', () => {
    const r = inferbench('compare', file('a.onnx'), file('slow.onnx'), ...QUICK);
    expect(r.stdout).toContain('method: Paired: base and head measured interleaved in one process');
    expect(r.stdout).toMatch(/inference p50 head\/base \d\.\d{3}× \(95% CI \d\.\d{3}× … \d\.\d{3}×\); paired \(in-process\): \d+ blocks × \d+ iterations? a side/);
    const md = inferbench('compare', file('a.onnx'), file('slow.onnx'), ...QUICK, '--format', 'md').stdout;
    expect(md).toMatch(/^## 🔴 inferbench compare: regressed/);
    expect(md).toContain('<sub>Paired: base and head measured interleaved');
    expect(md).toContain('inference p50 head/base');
    const entries = JSON.parse(inferbench('compare', file('a.onnx'), file('slower.onnx'), ...QUICK, '--format', 'github-benchmark').stdout) as { name: string; unit: string; value: number; range: string }[];
    expect(entries[0]).toMatchObject({ name: 'cpu fp32 batch=16 threads=1 inference p50 head/base (paired)', unit: 'ratio' });
    expect(entries[0]!.value).toBeGreaterThan(1.5);
  });

  test('A/A (same architecture, other weights): no regression, exit 0', () => {
    const r = inferbench('compare', file('a.onnx'), file('a2.onnx'), '--threads', '1', '--batch', '16', '-w', '50', '-n', '3000', '--json');
    expect(r.status).toBe(0);
    const c = JSON.parse(r.stdout) as { verdict: string; regressions: number; trials: { stages: { stage: string; metrics: { metric: string; verdict: string; change: number; ci: number[] }[] }[] }[] };
    const decisive = c.trials[0]!.stages.flatMap((s) => s.metrics.filter((m) => m.verdict !== 'unchanged' && m.verdict !== 'inconclusive').map((m) => `${s.stage}.${m.metric} ${m.verdict} ${m.change} [${m.ci.join(', ')}]`));
    expect(decisive, 'metrics called regressed or improved in an A/A pair').toEqual([]);
    expect(c.regressions).toBe(0);
    expect(['unchanged', 'inconclusive']).toContain(c.verdict);
  });

  test.each([
    ['--isolate', 'child-processes', 'interleaved in one child process', 'base ran first in'],
    ['--duet', 'duet', 'at the same time in two child processes (duet)', 'base in the first child in'],
  ])('%s: the sides in child processes (%s), the mode is stated, 3× the work still regressed', (flag, mode, method, order) => {
    const r = inferbench('compare', file('a.onnx'), file('slow.onnx'), ...QUICK, flag, '--format', 'json', '-o', file(`${mode}.json`));
    const c = JSON.parse(readFileSync(file(`${mode}.json`), 'utf8')) as { verdict: string; trials: { paired: { mode: string; sides: { head: { stages: { inference: { count: number } } } } } }[] };
    expect(c.trials[0]!.paired.mode).toBe(mode);
    expect(c.trials[0]!.paired.sides.head.stages.inference.count).toBe(400);
    expect(c.verdict).toBe('regressed');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`method: Paired: base and head measured ${method}`);
    expect(r.stdout).toMatch(new RegExp(`\\(${mode}\\): 100 blocks × 4 iterations a side in 5 epochs \\(p50 ratios( \\d\\.\\d{3}×,?){5}\\) \\(${order} `));
    // Duet on fewer than three cores (two sides and the parent) says what that costs.
    expect(r.stdout.includes(`note: Duet ran on ${availableParallelism()} cores`)).toBe(mode === 'duet' && availableParallelism() < DUET_MIN_CORES);
  });

  test('every planned configuration is paired and judged on its own', () => {
    const r = inferbench('compare', file('a.onnx'), file('slow.onnx'), '--threads', '1', '--batch', '1,8', '-w', '10', '-n', '200', '--json');
    const c = JSON.parse(r.stdout) as { trials: { key: string; verdict: string }[] };
    expect(c.trials.map((t) => t.key)).toEqual(['cpu fp32 batch=1 threads=1', 'cpu fp32 batch=8 threads=1']);
    expect(c.trials.every((t) => t.verdict === 'regressed')).toBe(true);
  });

  test('--help piped into a reader that stops early (| head) ends quietly', () => {
    const r = spawnSync('bash', ['-c', 'node bin/inferbench compare --help | head -2'], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^Usage: inferbench compare/);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
  });

  test('--dry-run prints the plan and measures nothing', () => {
    const r = inferbench('compare', file('a.onnx'), file('slow.onnx'), '--batch', '1,2', '--dry-run');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^paired: every trial below measures .*a\.onnx \(base\) and .*slow\.onnx \(head\) interleaved$/m);
    expect(r.stdout).toMatch(/^2 trials planned/m);
    expect(r.stdout).toMatch(/│ 2 │ cpu\s+│ fp32\s+│ 2\s+│/);
  });

  test('models that take different inputs: each side is fed its own, and the comparison says so', () => {
    const r = inferbench('compare', 'fixtures/mlp.onnx', file('a.onnx'), '-n', '50', '-w', '5', '--epochs', '1');
    expect(r.stdout).toMatch(/Base and head take different inputs, each fed its own: base takes x float32 \[1, 64\]; head takes x float32 \[1, 128\]/);
    expect(r.stdout).not.toContain('failed');
    expect([0, 1]).toContain(r.status);
  });

  test.each([
    [['a.onnx', 'base.json'], /compare takes two reports or two models, not a model .* and a report/],
    [['base.json', 'slow10.json', '--batch', '2'], /--batch applies when comparing models, not reports/],
    [['a.onnx', 'slow.onnx', '--run-variance', '5%'], /--run-variance applies to comparing reports, not models/],
    [['a.onnx', 'slow.onnx', '--device', 'cdua'], /unknown device 'cdua'/],
  ])('bad input %j: exit 2 with a clear message', (args, message) => {
    const r = inferbench('compare', ...args.map((a) => (/\.(onnx|json)$/.test(a) ? file(a) : a)));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^hint: /m);
  });
});

describe('compare with two reports: fail-safe', () => {
  test('a report compared with itself is unchanged, exit 0', () => {
    const r = inferbench('compare', file('base.json'), file('base.json'), '--json');
    expect(r.status).toBe(0);
    const c = JSON.parse(r.stdout) as { path: string; verdict: string; trials: { stages: { metrics: { reason: string }[] }[] }[] };
    expect(c).toMatchObject({ path: 'reports', verdict: 'unchanged' });
    expect(c.trials[0]!.stages.flatMap((s) => s.metrics.map((m) => m.reason)).every((reason) => reason === 'identical')).toBe(true);
  });

  test('2× slower in a run that drifted 30%: the drift widens the interval, and it is still regressed, exit 1', () => {
    const r = inferbench('compare', file('base.json'), file('drifting-2x.json'));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^regressed: 1 of 1 trials regressed/m);
    expect(r.stdout).toContain('method: Reports: each side was measured in its own run');
  });

  test('--fail-on-inconclusive: an inconclusive verdict exits 1', () => {
    expect(inferbench('compare', file('base.json'), file('slow10.json')).status).toBe(0);
    const strict = inferbench('compare', file('base.json'), file('slow10.json'), '--fail-on-inconclusive');
    expect(strict.status).toBe(1);
    expect(strict.stdout).toMatch(/^inconclusive:/m);
  });
});
