// `inferbench compare BASE HEAD --rate R`: both models offered the same arrivals (same seed),
// interleaved by rate, judged as two reports on the latency from the intended arrival. Spawned as
// a user would; chain models generated into a temp dir. No wall-clock assertions: a 9× slower head
// (at a rate both serve with room to spare) is judged regressed, an A/A run is not.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without types (the fixture generator)
import { DT, Graph, rngFor } from '../../scripts/make-fixtures.mjs';
import type { Comparison } from '../../src/compare/verdict.js';
import { problemsWithOneLineError, runCli, tempDir } from '../helpers/cli.js';

/** x[batch,256] → layers × (MatMul + Relu): n times the layers, n times the work. */
function chain(layers: number): Uint8Array {
  const rng = rngFor(1);
  const g = new Graph(`chain${layers}`);
  let h = g.input('x', DT.FLOAT, ['batch', 256]);
  for (let i = 0; i < layers; i++) h = g.node('Relu', [g.node('MatMul', [h, g.weight(`w${i}`, [256, 256], rng.he(256 * 256, 256))])], {}, i === layers - 1 ? 'y' : undefined);
  g.output('y', DT.FLOAT, ['batch', 256]);
  return g.encode(`${layers} layers`);
}

// 100 requests at 50/s: 2 s of arrivals a side. --no-sample: the machine is shared with other test
// runs, and a contended side (rightly) lets no regression stand; this test is about the wiring.
const QUICK = ['-n', '100', '-w', '5', '--threads', '1', '--no-sample'];
let dir: string;

beforeAll(() => {
  dir = tempDir();
  writeFileSync(join(dir, 'a.onnx'), chain(4));
  writeFileSync(join(dir, 'slower.onnx'), chain(36));
});

function comparisonOf(stdout: string): Comparison {
  return JSON.parse(stdout) as Comparison;
}

describe('compare BASE HEAD --rate', () => {
  test('A/A at a low rate: exit 0, the service trials paired, the same arrivals on both sides', async () => {
    // Sampling on: a side measured beside other processes lets no regression stand (the safe direction).
    const run = await runCli(['compare', 'fixtures/mlp.onnx', 'fixtures/mlp.onnx', '--rate', '50', ...QUICK.filter((f) => f !== '--no-sample'), '--json'], { timeoutMs: 90_000 });
    expect(run.stderr).toMatch(/\[1\/2\] base at 50 requests\/s[\s\S]*\[2\/2\] head at 50 requests\/s/);
    expect(run.code).toBe(0);
    const c = comparisonOf(run.stdout);
    expect(c.path).toBe('reports');
    expect(c.verdict).not.toBe('regressed');
    expect(c.trials).toHaveLength(1);
    const trial = c.trials[0]!;
    expect(trial.spec.service).toMatchObject({ rate: 50, arrivals: 'poisson', seed: 42 });
    expect(trial.key).toMatch(/rate=50\/s/);
    expect(trial.stages.map((s) => s.stage)).toContain('total');
    expect(c.underLoad).toEqual({ interleaving: 'by-rate', rates: [50], arrivals: { base: [{ rate: 50, arrivals: 'poisson', seed: 42 }], head: [{ rate: 50, arrivals: 'poisson', seed: 42 }] } });
  });

  test('a 9× slower head at a rate it still serves: regressed on total, exit 1; --seed sets both sides’ arrivals', async () => {
    const run = await runCli(['compare', join(dir, 'a.onnx'), join(dir, 'slower.onnx'), '--rate', '40,60', '--seed', '7', ...QUICK, '--json'], { timeoutMs: 120_000 });
    expect(run.code).toBe(1);
    const c = comparisonOf(run.stdout);
    expect(c.verdict).toBe('regressed');
    expect(c.trials.map((t) => t.spec.service?.rate)).toEqual([40, 60]);
    // Interleaved by rate: base at 40, head at 40, base at 60, head at 60.
    expect([...run.stderr.matchAll(/\] (base|head) at (\d+) requests\/s/g)].map((m) => `${m[1]}@${m[2]}`)).toEqual(['base@40', 'head@40', 'base@60', 'head@60']);
    for (const side of ['base', 'head'] as const) expect(c.underLoad?.arrivals[side].map((a) => a.seed)).toEqual([7, 7]);
    const regressedTotal = c.trials.some((t) => t.stages.find((s) => s.stage === 'total')?.metrics.some((m) => m.verdict === 'regressed'));
    expect(regressedTotal).toBe(true);
    // Not overloaded: the head served the rate, so the verdict is about latency, not a queue that grew.
    expect(c.trials.every((t) => t.note === undefined)).toBe(true);
  });

  test.each([
    ['--rate auto', ['--rate', 'auto'], /compare does not take --rate auto/],
    ['--rate with --duet', ['--rate', '50', '--duet'], /--duet applies to the paired blocks, not to --rate/],
    ['--no-sample without --rate', ['--no-sample'], /--no-sample applies to compare --rate/],
    ['a serving flag without --rate', ['--max-batch', '4'], /--max-batch needs --rate/],
    ['--rate on two reports', ['--rate', '50'], /--rate applies when comparing models, not reports/],
  ])('%s: one error line, exit 2, nothing measured', async (_name, flags, message) => {
    const [base, head] = /reports/.test(String(message)) ? [join(dir, 'base.json'), join(dir, 'head.json')] : ['fixtures/mlp.onnx', 'fixtures/mlp.onnx'];
    const run = await runCli(['compare', base!, head!, ...flags, ...(base!.endsWith('.json') ? [] : ['-n', '10'])]);
    expect(run.code).toBe(2);
    expect(problemsWithOneLineError(run)).toEqual([]);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\] (base|head) at \d+ requests\/s/);
  });
});
