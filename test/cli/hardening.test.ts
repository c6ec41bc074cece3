// Hostile input to the real CLI: each case ends with one clear line and its documented exit code,
// before anything is measured, never a hang (every run is under a timeout), a stack, or a loop.
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { problemsWithOneLineError, runCli, tempDir, type CliRun } from '../helpers/cli.js';

const QUICK = ['-n', '20', '-w', '3', '-t', '1', '--no-sample'];
const isRoot = process.getuid?.() === 0;
/** root passes every permission check: run the CLI as `nobody` to meet EACCES for real. */
const asUser = isRoot ? { uid: 65534, gid: 65534 } : {};

function expectClean(run: CliRun, code: number, message: RegExp): void {
  expect(problemsWithOneLineError(run), run.stderr).toEqual([]);
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr).toMatch(message);
}

describe('crashes and hangs', () => {
  test('an unreadable model is exit 3 with one line, not an internal error', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const model = join(dir, 'secret.onnx');
    copyFileSync('fixtures/mlp.onnx', model);
    chmodSync(model, 0o000);
    expectClean(await runCli(['profile', model, ...QUICK, '--no-save'], asUser), 3, /cannot read model .*secret\.onnx: permission denied/);
  });

  test('--batch 1..10000000000 is refused before the range is expanded', async () => {
    expectClean(await runCli(['profile', 'fixtures/mlp.onnx', '--batch', '1..10000000000', '--dry-run'], { timeoutMs: 10_000 }), 2, /more than 64 batch sizes/);
  });

  test('a FIFO as the model is refused without opening it', async () => {
    const fifo = join(tempDir(), 'pipe.onnx');
    execFileSync('mkfifo', [fifo]);
    expectClean(await runCli(['profile', fifo, '--no-save'], { timeoutMs: 15_000 }), 3, /not a regular file \(it is a named pipe/);
  });

  test('--threads 9999 is bounded, and the message says why', async () => {
    expectClean(await runCli(['profile', 'fixtures/mlp.onnx', '--threads', '9999', '--no-save'], { timeoutMs: 15_000 }), 2, /at most \d+ \(4 per logical core/);
  });

  test('-o /proc/x fails at once (no mkdir loop), before measuring', async () => {
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '-o', '/proc/x/y', ...QUICK], { timeoutMs: 15_000 });
    expectClean(run, 2, /--out \/proc\/x\/y: cannot write reports there/);
    expect(run.stdout).toBe('');
  });
});

describe('output paths', () => {
  test('-o naming a file, or a path under a file, is exit 2 before measuring', async () => {
    const file = join(tempDir(), 'taken');
    writeFileSync(file, 'x');
    expectClean(await runCli(['profile', 'fixtures/mlp.onnx', '-o', file, ...QUICK]), 2, /exists and is not a directory/);
    expectClean(await runCli(['profile', 'fixtures/mlp.onnx', '-o', join(file, 'sub'), ...QUICK]), 2, /is a file, not a directory/);
  });

  test('a directory without write permission is exit 2 before measuring', async () => {
    const dir = tempDir();
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(dir, 0o755);
    expectClean(await runCli(['profile', 'fixtures/mlp.onnx', '-o', locked, ...QUICK], asUser), 2, /no permission to write in/);
  });

  test('a write failing after the measurement goes to a temp directory, says where, and --json still prints', async () => {
    const out = join(tempDir(), 'reports');
    let broken = false;
    // --no-op-profile: no first-run calibration, which on a loaded machine took the run past 30 s.
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '-w', '3', '--duration', '2s', '-t', '1', '--no-sample', '--no-op-profile', '-o', out, '--json'], {
      timeoutMs: 90_000,
      onStderr: (text) => {
        if (broken || !text.includes('[1/1]')) return;
        broken = true;
        rmSync(out, { recursive: true, force: true });
        writeFileSync(out, 'now a file'); // the checked directory is gone by the time we write
      },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 1 });
    const where = /reports are written to (\S+) instead/.exec(run.stderr)?.[1];
    expect(where).toBeDefined();
    expect(readdirSync(where!).some((f) => f.endsWith('.json'))).toBe(true);
  }, 120_000);
});

describe('nothing ignored', () => {
  test('two models are refused (exit 2), not silently one', async () => {
    expectClean(await runCli(['profile', 'fixtures/mlp.onnx', 'fixtures/cnn.onnx', '--no-save']), 2, /profile takes one model, got 2/);
  });

  test('--device cdua --dry-run fails like a real run', async () => {
    expectClean(await runCli(['profile', 'fixtures/mlp.onnx', '--device', 'cdua', '--dry-run']), 2, /unknown device 'cdua'/);
  });

  test('--dry-run checks the model too', async () => {
    expectClean(await runCli(['profile', 'nope.onnx', '--dry-run']), 3, /model not found/);
  });

  test('--format "" is an error, not a silent no-report run', async () => {
    expectClean(await runCli(['profile', 'fixtures/mlp.onnx', '--format', '', ...QUICK]), 2, /--format '' names no format/);
  });
});
