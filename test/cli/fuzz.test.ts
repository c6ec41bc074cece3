// Fuzzing the CLI with broken models and absurd flags. Every case must end with ONE clear
// `error:` line, its documented exit code, no stack trace, no hang (each run under a timeout)
// and no half-written report (no temp files left; any report written parses).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../helpers/rng.js';
import { problemsWithOneLineError, runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir('inferbench-fuzz-');
chmodSync(dir, 0o755);
const at = (name: string): string => join(dir, name);
const cnn = readFileSync('fixtures/cnn.onnx');
writeFileSync(at('truncated.onnx'), cnn.subarray(0, Math.floor(cnn.length / 2)));
const random = mulberry32(7);
writeFileSync(at('random.onnx'), Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
writeFileSync(at('empty.onnx'), '');
mkdirSync(at('folder.onnx'));
mkdirSync(at('garbage'));
writeFileSync(at('garbage/model.json'), '{"modelTopology": [1, 2,');
mkdirSync(at('wrong'));
writeFileSync(at('wrong/model.json'), '{"hello": "world"}');
copyFileSync('fixtures/mlp.onnx', at('locked.onnx'));
chmodSync(at('locked.onnx'), 0o000);
execFileSync('mkfifo', [at('fifo.onnx')]);
writeFileSync(at('notes.txt'), 'not a model');

const isRoot = process.getuid?.() === 0;
const MLP = 'fixtures/mlp.onnx';
const QUICK = ['-n', '5', '-w', '1', '-t', '1', '--no-sample'];

/** [name, args, allowed exit codes]. mlp.onnx has one input x: float32 [batch, 64]. */
const CASES: [string, string[], number[]][] = [
  ['truncated model', [at('truncated.onnx')], [3]],
  ['random bytes', [at('random.onnx')], [3]],
  ['empty file', [at('empty.onnx')], [3]],
  ['directory named .onnx', [at('folder.onnx')], [3]],
  ['garbage model.json', [at('garbage/model.json')], [3]],
  ['model.json that is not a TF.js model', [at('wrong/model.json')], [3]],
  ['FIFO', [at('fifo.onnx')], [3]],
  ['character device', ['/dev/zero'], [3]],
  ['not a model at all', [at('notes.txt')], [3]],
  ['missing, unicode path', [at('модель ✓.onnx')], [3]],
  ['zero dim', [MLP, '--shape', 'x=0x64'], [2]],
  ['negative dim', [MLP, '--shape', 'x=-1x64'], [2]],
  ['huge shape', [MLP, '--shape', 'x=100000000x100000000'], [2, 4]],
  ['huge dim', [MLP, '--dim', 'batch=99999999999999'], [2, 4]],
  ['reversed range', [MLP, '--range', 'x=5:1'], [2]],
  ['non-numeric range', [MLP, '--range', 'x=a:b'], [2]],
  ['non-numeric value', [MLP, '--value', 'x=abc'], [2]],
  ['batch 0', [MLP, '--batch', '0'], [2]],
  ['batch range of ten billion', [MLP, '--batch', '1..10000000000'], [2]],
  ['-n 0', [MLP, '-n', '0'], [2]],
  ['-n -5', [MLP, '-n', '-5'], [2]],
  ['-n 1e99', [MLP, '-n', '1e99'], [2]],
  ['--duration 0s', [MLP, '--duration', '0s'], [2]],
  ['--warmup -1', [MLP, '--warmup', '-1'], [2]],
  ['--threads 0', [MLP, '--threads', '0'], [2]],
  ['--threads 9999', [MLP, '--threads', '9999'], [2]],
  ['--concurrency 100000', [MLP, '--concurrency', '100000'], [2]],
  ['--sample-interval 0', [MLP, '--sample-interval', '0'], [2]],
  ['--repeat 0', [MLP, '--repeat', '0'], [2]],
  ['--format nope', [MLP, '--format', 'nope'], [2]],
  ['--format ""', [MLP, '--format', ''], [2]],
  ['--device ""', [MLP, '--device', ''], [2]],
  ['--precision fp64', [MLP, '--precision', 'fp64'], [2]],
  ['-o under a file', [MLP, '-o', join(at('notes.txt'), 'x')], [2]],
  ['two models', [MLP, 'fixtures/cnn.onnx'], [2]],
];
if (isRoot) CASES.push(['unreadable model (as nobody)', [at('locked.onnx')], [3]]);

describe.concurrent('fuzz: one clear line, a documented exit code, no stack, no hang, no half report', () => {
  test.each(CASES)('%s', async (name, args, codes) => {
    const parent = tempDir('inferbench-fuzz-out-');
    const out = join(parent, 'reports');
    const asNobody = name.includes('as nobody');
    if (asNobody) {
      chmodSync(parent, 0o777);
      mkdirSync(out);
      chmodSync(out, 0o777);
    }
    // Generous: on a loaded 2-core machine a healthy run takes tens of seconds; a hang is forever.
    const run = await runCli(['profile', ...QUICK, '-o', out, ...args], { timeoutMs: 100_000, ...(asNobody && { uid: 65534, gid: 65534 }) });
    expect(problemsWithOneLineError(run), `${name}: ${run.stderr}`).toEqual([]);
    expect(codes, `${name}: exit ${run.code}: ${run.stderr}`).toContain(run.code);
    let files: string[] = [];
    try {
      files = readdirSync(out);
    } catch {
      // never made: nothing half-written either
    }
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const file of files.filter((f) => f.endsWith('.json'))) expect(() => JSON.parse(readFileSync(join(out, file), 'utf8'))).not.toThrow();
  }, 120_000);
});
