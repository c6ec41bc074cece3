// merge() over files: directories, globs, a file given twice, corrupt and truncated reports, a
// comparison, another schema, nothing at all; and reports of several models, one merged per model.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { merge } from '../../src/merge.js';
import type { Report } from '../../src/types.js';
import { tempDir } from '../helpers/cli.js';
import { rejection } from '../helpers/errors.js';
import { shardReport } from './reports.js';

function write(dir: string, name: string, report: unknown): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof report === 'string' ? report : JSON.stringify(report));
  return path;
}

/** Three shard reports in dir/shard-N/ (as actions/download-artifact lays them out). */
function shards(dir: string, count = 3, model?: Partial<Report['model']>): string[] {
  return Array.from({ length: count }, (_, i) => {
    const r = shardReport(i + 1, count);
    return write(dir, `shard-${i + 1}/cnn.json`, model ? { ...r, model: { ...r.model, ...model } } : r);
  });
}

describe('merge() reads', () => {
  test('a directory, recursively; files; a quoted glob of files or of directories — the same merged report', async () => {
    const dir = tempDir();
    const files = shards(dir);
    const fromDir = await merge({ inputs: [dir] });
    const fromFiles = await merge({ inputs: [...files].reverse() });
    const fromGlob = await merge({ inputs: [join(dir, 'shard-*/cnn.json')] });
    const fromDirGlob = await merge({ inputs: [join(dir, 'shard-*')] });
    for (const r of [fromDir, fromFiles, fromGlob, fromDirGlob]) {
      expect(r.models.map((m) => m.stem)).toEqual(['cnn']);
      expect(r.models[0]!.report.trials).toHaveLength(10);
      expect(r.warnings).toEqual([]);
    }
    expect(fromFiles.models[0]!.report.trials.map((t) => t.spec.id)).toEqual(fromDir.models[0]!.report.trials.map((t) => t.spec.id));
  });

  test('a file given twice (or a copy of it) is counted once, with a warning', async () => {
    const dir = tempDir();
    const [a, b, c] = shards(dir);
    copyFileSync(a!, join(dir, 'copy.json'));
    const result = await merge({ inputs: [a!, b!, c!, a!, join(dir, 'copy.json')] });
    expect(result.warnings).toEqual([`${a} is the same report as ${a}: counted once`, `${join(dir, 'copy.json')} is the same report as ${a}: counted once`]);
    expect(result.models[0]!.report.merge?.parts).toHaveLength(3);
    expect(result.models[0]!.report.trials.every((t) => t.status !== 'ok' || t.stages.total.count === 200)).toBe(true);
  });

  test('reports of several models (a sharded run): one merged report per model, named as run names them', async () => {
    const dir = tempDir();
    shards(join(dir, 'a'), 2);
    shards(join(dir, 'b'), 2, { path: 'models/mlp.onnx', sha256: 'cd'.repeat(32) });
    const result = await merge({ inputs: [dir] });
    expect(result.models.map((m) => m.stem)).toEqual(['cnn', 'mlp']);
    expect(result.models.map((m) => m.report.trials.length)).toEqual([10, 10]);
  });

  test('a comparison or a config in a directory is skipped with a warning; named on the command line it is refused', async () => {
    const dir = tempDir();
    shards(dir, 1);
    const comparison = write(dir, 'cnn.compare.json', { format: 'inferbench-compare/1', trials: [] });
    const config = write(dir, 'inferbench.config.json', { models: ['cnn.onnx'] });
    const result = await merge({ inputs: [dir] });
    expect(result.warnings).toEqual([`${comparison} is a comparison: skipped`, `${config} is not an inferbench report: skipped`]);
    expect(result.models).toHaveLength(1);
    const e = await rejection(merge({ inputs: [comparison] }));
    expect(e.message).toBe(`${comparison} is a comparison`);
  });
});

describe('merge() refuses, exit 2, one line', () => {
  test.each([
    ['nothing', [], 'merge: no reports given'],
    ['a missing path', ['nope/'], 'merge: nope/ not found'],
  ])('%s', async (_, inputs, message) => {
    const e = await rejection(merge({ inputs }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(message);
  });

  test('a directory with no report in it', async () => {
    const dir = tempDir();
    write(dir, 'notes.txt', 'hello');
    expect((await rejection(merge({ inputs: [dir] }))).message).toBe(`merge: no report files in ${dir}`);
  });

  test('a truncated report', async () => {
    const dir = tempDir();
    const [a] = shards(dir, 2);
    const text = readFileSync(a!, 'utf8');
    const cut = write(dir, 'cut.json', text.slice(0, text.length / 2));
    const e = await rejection(merge({ inputs: [cut] }));
    expect(e.message).toMatch(new RegExp(`^${cut} is not JSON \\(truncated\\? it ends mid-way\\): `));
  });

  test('a corrupt report (JSON, not a report)', async () => {
    const dir = tempDir();
    const bad = write(dir, 'bad.json', { schemaVersion: 1, trials: 'none' });
    expect((await rejection(merge({ inputs: [bad] }))).message).toMatch(new RegExp(`^${bad} is not a valid inferbench report: `));
  });

  test('another report schema', async () => {
    const dir = tempDir();
    const future = write(dir, 'future.json', { ...shardReport(1, 2), schemaVersion: 2 });
    expect((await rejection(merge({ inputs: [future] }))).message).toBe(`${future} is an inferbench report of schema 2; this inferbench reads and merges schema 1`);
  });
});
