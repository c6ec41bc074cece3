// End to end: a sweep profiled as 3 local shard processes, merged, rendered and gated, against the
// same sweep unsharded; a sharded `run` merged into one report per model; the bad inputs.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { sweepTable } from '../../src/report/sweep-table.js';
import type { Report, TrialOk } from '../../src/types.js';
import { problemsWithOneLineError, runCli, tempDir } from '../helpers/cli.js';

const SWEEP = ['fixtures/mlp.onnx', '--batch', '1,2,4', '--precision', 'fp32', '--threads', '1', '-n', '40', '-w', '4', '--no-op-profile', '--no-paired-speedup', '--no-sample', '--budget', 'throughput>=1/s', '-f', 'json'];
const read = (path: string): Report => JSON.parse(readFileSync(path, 'utf8')) as Report;
const onlyJson = (dir: string): string => join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!);

/** The sweep table without its measured numbers: configurations, columns, the shared part. */
function tableShape(report: Report): unknown {
  const table = sweepTable(report)!;
  return { header: table.header, shared: table.shared, rows: table.rows.map((r) => r.slice(0, table.firstNumeric)) };
}

describe('profile --shard, then merge', () => {
  const dir = tempDir('inferbench-merge-');
  const shardDirs = [1, 2, 3].map((i) => join(dir, `shard-${i}`));
  let whole: Report;

  beforeAll(async () => {
    for (const [i, out] of shardDirs.entries()) {
      const run = await runCli(['profile', ...SWEEP, '--shard', `${i + 1}/3`, '-o', out], { timeoutMs: 120_000 });
      expect(run.code, run.stderr).toBe(0);
    }
    const unsharded = await runCli(['profile', ...SWEEP, '-o', join(dir, 'whole')], { timeoutMs: 120_000 });
    expect(unsharded.code, unsharded.stderr).toBe(0);
    whole = read(onlyJson(join(dir, 'whole')));
  }, 300_000);

  test('each shard measured its part and recorded the plan', () => {
    const shards = shardDirs.map((d) => read(onlyJson(d)));
    expect(shards.map((s) => s.trials.map((t) => t.spec.batch))).toEqual([[1], [2], [4]]);
    for (const [i, s] of shards.entries()) expect(s.shard).toEqual({ index: i + 1, count: 3, offset: 0, plan: whole.trials.map((t) => t.spec.id) });
    expect(readdirSync(shardDirs[1]!)[0]).toMatch(/^mlp-\d{8}-\d{6}-shard2of3\.json$/);
  });

  test('merged: the unsharded run\'s trial set, ids and table (timings differ, nothing else); rendered; gated', async () => {
    const out = join(dir, 'merged.json');
    // A quoted glob of the shard folders, and one report given twice (counted once).
    const twice = onlyJson(shardDirs[0]!);
    const merged = await runCli(['merge', dir + '/shard-*', twice, '-o', out]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).toContain(`warning: ${twice} is the same report as ${twice}: counted once`);
    expect(merged.stderr).toContain(`merged 3 reports of mlp (shards 1/3, 2/3, 3/3): 3 trials → ${out}`);
    const report = read(out);
    expect(report.trials.map((t) => t.spec)).toEqual(whole.trials.map((t) => t.spec));
    expect(tableShape(report)).toEqual(tableShape(whole));
    expect(report.budget?.checks.map((c) => [c.trialId, c.pass])).toEqual(whole.budget?.checks.map((c) => [c.trialId, c.pass]));
    for (const t of report.trials as TrialOk[]) expect(t.parts?.map((p) => p.shard)).toHaveLength(1);
    expect(report.interrupted).toBeUndefined();

    const rendered = await runCli(['report', out, '-o', join(dir, 'merged.html')]);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(readFileSync(join(dir, 'merged.html'), 'utf8')).toContain('Merged from 3 reports (shards 1/3, 2/3, 3/3) on 1 machine');
  });

  test('a budget violated on the merged trials fails the gate (exit 1)', async () => {
    const strict = join(dir, 'strict');
    for (const [i, d] of shardDirs.entries()) {
      const r = read(onlyJson(d));
      const budgets = [{ kind: 'latency', source: 'p50<=1us', stage: 'total', metric: 'p50', op: '<=', limitMs: 0.001 }];
      writeFileSync(join(dir, `strict-${i}.json`), JSON.stringify({ ...r, options: { ...r.options, budgets } }));
    }
    const gate = await runCli(['merge', ...[0, 1, 2].map((i) => join(dir, `strict-${i}.json`)), '-o', `${strict}.json`]);
    expect(gate.code, gate.stderr).toBe(1);
    expect(gate.stderr).toContain('budget violated: p50<=1us on cpu fp32 batch=1 threads=1');
  });

  test('a missing shard: the merged report is written, says incomplete, names the shard; exit 6', async () => {
    const out = join(dir, 'partial.json');
    const run = await runCli(['merge', shardDirs[0]!, shardDirs[2]!, '-o', out]);
    expect(run.code, run.stderr).toBe(6);
    expect(run.stderr).toContain('error: incomplete: 1 planned trial not measured, owed by shard 2/3 (no report)');
    expect(read(out).interrupted).toBe(true);
  });

  test('a refusal: one error line, exit 2, what differs, nothing written', async () => {
    const other = read(onlyJson(shardDirs[1]!));
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, JSON.stringify({ ...other, options: { ...other.options, seed: 7 } }));
    const run = await runCli(['merge', onlyJson(shardDirs[0]!), changed, '-o', join(dir, 'refused.json')]);
    expect(problemsWithOneLineError(run)).toEqual([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('were measured with different settings: seed: 42 vs 7');
    expect(existsSync(join(dir, 'refused.json'))).toBe(false);
    // Truncated, corrupt, another schema, nothing given: test/merge/merge-files.test.ts (the same error path).
  });
});

describe('--shard on the command line', () => {
  test.each([['0/3'], ['job/3']])('--shard %s: one error line, exit 2 (every bad value: test/merge/shard.test.ts)', async (value) => {
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '--shard', value, '--dry-run'], { env: { JOB_COMPLETION_INDEX: '' } });
    expect(problemsWithOneLineError(run)).toEqual([]);
    expect(run.code).toBe(2);
  });

  test('job/N reads JOB_COMPLETION_INDEX; --dry-run prints that shard\'s part', async () => {
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '--batch', '1,2,4', '--shard', 'job/2', '--dry-run', '--json'], { env: { JOB_COMPLETION_INDEX: '1' } });
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { batch: number }[]).map((s) => s.batch)).toEqual([2]);
  });

  test('a shard with nothing to do says so, writes nothing and exits 0', async () => {
    const out = tempDir();
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '--batch', '1,2', '--shard', '5/7', '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('shard 5/7 has nothing to do: the plan has 2 trials, which shards 1–2 measure');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('run --shard, then merge -o DIR', () => {
  test('one merged report per model, named as an unsharded run names them', async () => {
    const dir = tempDir('inferbench-merge-run-');
    const config = join(dir, 'inferbench.config.json');
    const fixtures = join(process.cwd(), 'fixtures');
    writeFileSync(config, JSON.stringify({ models: [join(fixtures, 'mlp.onnx'), join(fixtures, 'cnn.onnx')], sweep: { batch: [1, 2], threads: [1] }, measure: { warmup: 3, iterations: 30 }, output: { dir: join(dir, 'unused'), formats: ['json'] } }));
    for (const i of [1, 2]) {
      const run = await runCli(['run', '--config', config, '--shard', `${i}/2`, '--no-compare', '-o', join(dir, `shard-${i}`)], { timeoutMs: 120_000 });
      expect(run.code, run.stderr).toBe(0);
    }
    // The run's plan is mlp b1, mlp b2, cnn b1, cnn b2: each model's trials are in both shards.
    expect(read(join(dir, 'shard-2', 'cnn.json')).trials.map((t) => t.spec.batch)).toEqual([2]);
    const merged = await runCli(['merge', dir, '-o', join(dir, 'merged')]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).toContain(`warning: ${config} is not an inferbench report: skipped`);
    expect(readdirSync(join(dir, 'merged')).sort()).toEqual(['cnn.json', 'mlp.json']);
    for (const model of ['mlp', 'cnn']) expect(read(join(dir, 'merged', `${model}.json`)).trials.map((t) => t.spec.batch)).toEqual([1, 2]);
    // A shard with no trial of any model measures nothing, writes nothing, says so per model.
    const idle = await runCli(['run', '--config', config, '--shard', '5/7', '--no-compare', '-o', join(dir, 'idle')]);
    expect(idle.code, idle.stderr).toBe(0);
    expect(idle.stderr).toContain(`${join(fixtures, 'cnn.onnx')}: shard 5/7 has no trial of cnn, nothing to do`);
    expect(existsSync(join(dir, 'idle', 'cnn.json'))).toBe(false);
    // Merging again into the same directory does not read the first merge's output back.
    const again = await runCli(['merge', dir, '-o', join(dir, 'merged')]);
    expect(again.code, again.stderr).toBe(0);
    expect(read(join(dir, 'merged', 'cnn.json')).merge?.parts).toHaveLength(2);
  }, 240_000);
});
