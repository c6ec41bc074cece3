// One open-loop load split over shard processes against ONE server (issue 26): `inferbench serve`
// on 127.0.0.1, three `profile URL --rate R --shard I/3` processes at once (each R/3 with its own
// seed), `inferbench merge` of their reports. The merged trial offered ≈ R (within the Poisson
// count's bound), its counts and every stage histogram's count are the shards' sums. And what
// cannot be split is refused before anything is sent.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { shardSeed } from '../../src/merge/load-split.js';
import { validateReport } from '../../src/report/validate.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import type { Report, StageStats, TrialOk } from '../../src/types.js';
import { problemsWithOneLineError, runCli, tempDir } from '../helpers/cli.js';

const R = 300;
const N = 3;
const SECONDS = 2;

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ model: 'fixtures/mlp.onnx', port: 0, grpcPort: null, session: { intraOpThreads: 1 } });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const url = (): string => `${server.httpUrl}/v2/models/mlp`;
const read = (file: string): Report => JSON.parse(readFileSync(file, 'utf8')) as Report;
const stages = (t: TrialOk): Record<string, StageStats> => t.stages as unknown as Record<string, StageStats>;

describe('profile URL --rate R --shard I/N, then merge', () => {
  test(`${N} shard processes at once offer R/${N} each; the merge adds them to ≈ R`, async () => {
    const dir = tempDir();
    const shards = await Promise.all(Array.from({ length: N }, (_, i) => runCli(['profile', url(), '--rate', String(R), '--duration', `${SECONDS}s`, '--shard', `${i + 1}/${N}`, '-o', join(dir, `s${i + 1}`), '--format', 'json'], { timeoutMs: 60_000 })));
    for (const run of shards) expect(run.code, run.stderr).toBe(0);
    shards.forEach((run, i) => expect(run.stderr).toContain(`shard ${i + 1}/${N} of a split load: every trial of the plan at 1/${N} of its rate`));
    const reports = Array.from({ length: N }, (_, i) => read(join(dir, `s${i + 1}`, readdirSync(join(dir, `s${i + 1}`))[0]!)));
    reports.forEach((report, i) => {
      expect(validateReport(report)).toEqual({ valid: true });
      expect(report.shard?.split).toEqual({ totalRates: [R], share: 1 / N, rates: [R / N], baseSeed: 42, seed: shardSeed(42, i + 1, N) });
      const t = report.trials[0] as TrialOk;
      // Every shard runs the whole plan's trial under the id of rate R, and sends R/N.
      expect(report.trials).toHaveLength(1);
      expect(t.spec.id).toMatch(/ rate=300\/s$/);
      expect(t.service!.settings).toMatchObject({ rate: R / N, seed: shardSeed(42, i + 1, N) });
      expect(t.service!.split).toMatchObject({ totalRate: R, count: N, shards: [`${i + 1}/${N}`], rate: R / N });
    });
    expect(new Set(reports.map((r) => r.trials[0]!.spec.id)).size).toBe(1);

    const out = join(dir, 'merged.json');
    const merged = await runCli(['merge', dir, '-o', out], { timeoutMs: 30_000 });
    expect(merged.code, merged.stderr).toBe(0);
    const report = read(out);
    expect(validateReport(report)).toEqual({ valid: true });
    const t = report.trials[0] as TrialOk;
    const parts = reports.map((r) => r.trials[0] as TrialOk);
    const sum = (of: (p: TrialOk) => number): number => parts.reduce((n, p) => n + of(p), 0);
    // Rates add (concurrent streams), counts add, each stage's histogram count is the sum.
    expect(t.service!.offeredRate).toBeCloseTo(sum((p) => p.service!.offeredRate), 6);
    expect(t.service!.achievedRate).toBeCloseTo(sum((p) => p.service!.achievedRate), 6);
    expect(t.service!.requests.scheduled).toBe(sum((p) => p.service!.requests.scheduled));
    expect(t.service!.requests.completed).toBe(sum((p) => p.service!.requests.completed));
    for (const name of Object.keys(stages(t))) expect(stages(t)[name]!.count, name).toBe(sum((p) => stages(p)[name]!.count));
    // The superposition is a Poisson stream of rate R: R·T arrivals, give or take 4 standard
    // deviations (√(R·T)); the offered-rate estimate's deviation is √(R/T).
    const expected = R * SECONDS;
    expect(Math.abs(t.service!.requests.scheduled - expected)).toBeLessThan(4 * Math.sqrt(expected));
    expect(Math.abs(t.service!.offeredRate - R)).toBeLessThan(4 * Math.sqrt(R / SECONDS));
    expect(t.service!.split).toMatchObject({ totalRate: R, count: N, shards: ['1/3', '2/3', '3/3'], rate: R });
    // Concurrent exactly when the latest start precedes the earliest finish; the warning says the opposite.
    const intervals = parts.map((p) => p.service!.split!);
    const concurrent = intervals.map((s) => s.startedAt).sort().at(-1)! < intervals.map((s) => s.finishedAt).sort()[0]!;
    expect(t.service!.split!.concurrent).toBe(concurrent);
    expect(t.warnings.some((w) => w.code === 'load-not-concurrent')).toBe(!concurrent);
    expect(t.parts?.map((p) => p.shard)).toEqual(['1/3', '2/3', '3/3']);
    expect(report.merge?.incomplete).toBeUndefined();

    // Without shard 3: merged, incomplete (exit 6), and the trial was offered 2/3 of R.
    const partial = await runCli(['merge', join(dir, 's1'), join(dir, 's2'), '-o', join(dir, 'partial.json')], { timeoutMs: 30_000 });
    expect(partial.code).toBe(6);
    expect(partial.stderr).toContain('error: incomplete split load: shard 3/3 (no report) did not offer its share of 1 trial, which was offered less than its rate');
    const two = read(join(dir, 'partial.json')).trials[0] as TrialOk;
    expect(two.service!.split?.rate).toBe((2 * R) / N);
    expect(two.warnings.find((w) => w.code === 'partial-load')?.message).toMatch(/^2 of 3 shards measured this trial \(missing: shard 3\/3\): the server was offered 2\/3 of 300\/s = 200\/s, not 300\/s$/);
  }, 90_000);
});

test('run --shard I/N over a config whose model is a URL splits the load too: every shard measures every rate at R/N', async () => {
  const dir = tempDir();
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ models: [url()], sweep: { rate: [100, 200] }, measure: { duration: '1s', seed: 7 }, output: { formats: ['json'] } }));
  const runs = await Promise.all([1, 2].map((i) => runCli(['run', '--config', config, '--shard', `${i}/2`, '--no-compare', '--out', join(dir, `s${i}`)], { timeoutMs: 60_000 })));
  runs.forEach((run, i) => {
    expect(run.code, run.stderr).toBe(0);
    const report = read(join(dir, `s${i + 1}`, 'mlp.json'));
    expect(report.shard?.split).toMatchObject({ totalRates: [100, 200], rates: [50, 100], seed: shardSeed(7, i + 1, 2) });
    expect(report.trials.map((t) => (t as TrialOk).service!.settings.rate)).toEqual([50, 100]);
  });
}, 90_000);

describe('what cannot be split is refused before anything is sent (exit 2, one line)', () => {
  test.each([
    [['--rate', 'auto', '--budget', 'p99<=50ms', '--shard', '1/2'], '--shard 1/2 with --rate auto cannot split a knee search against one endpoint'],
    [['--rate', '100', '--arrivals', 'constant', '--shard', '2/3'], '--shard 2/3 with --arrivals constant: 3 constant streams of R/3 add up to a constant stream of R only if their phases are locked'],
  ])('%j', async (args, message) => {
    // Port 9 (discard) on loopback: nothing listens, and nothing is sent.
    const run = await runCli(['profile', 'http://127.0.0.1:9/v2/models/mlp', ...args]);
    expect(run.code).toBe(2);
    expect(problemsWithOneLineError(run)).toEqual([]);
    expect(run.stderr).toContain(`error: ${message}`);
    expect(run.stderr).toContain('hint: ');
  });
});
