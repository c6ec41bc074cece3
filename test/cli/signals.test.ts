// Nothing lost on the way out: SIGTERM and SIGHUP end a run like Ctrl-C (partial report, marked
// interrupted, exit 128+signal), a report written mid-sweep never looks complete, and an
// --isolate trial child dies with its parent.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Report } from '../../src/types.js';
import { runCli, tempDir } from '../helpers/cli.js';

const LONG = ['-w', '3', '--duration', '60s', '-t', '1', '--no-sample', '-f', 'json'];

function savedReport(dir: string): Report {
  const file = readdirSync(dir).find((f) => f.endsWith('.json'));
  expect(file).toBeDefined();
  return JSON.parse(readFileSync(join(dir, file!), 'utf8')) as Report;
}

/** The processes whose parent is `pid` (Linux: /proc/<pid>/task/<tid>/children). */
function childrenOf(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return [];
  return readdirSync(tasks).flatMap((tid) => {
    try {
      return readFileSync(join(tasks, tid, 'children'), 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
};

describe.each([
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('%s', (signal, code) => {
  test(`mid-measurement writes the partial report marked interrupted and exits ${code}`, async () => {
    const out = tempDir();
    let sent = false;
    const run = await runCli(['profile', 'fixtures/mlp.onnx', ...LONG, '--out', out], {
      onStderr: (text, child) => {
        if (!sent && text.includes('[1/1]')) {
          sent = true;
          setTimeout(() => child.kill(signal), 1500);
        }
      },
    });
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(`interrupted by ${signal}`);
    const saved = savedReport(out);
    expect(saved.interrupted).toBe(true);
    expect(saved.trials[0]).toMatchObject({ status: 'ok', measure: { stopReason: 'interrupted' } });
  }, 60_000);
});

test('a report rewritten mid-sweep says interrupted until the sweep ends (SIGKILL leaves no complete-looking report)', async () => {
  const out = tempDir();
  let sent = false;
  const run = await runCli(['profile', 'fixtures/mlp.onnx', '--batch', '1,2', '-w', '3', '-t', '1', '--no-sample', '-f', 'json', '--out', out, '--duration', '3s'], {
    onStderr: (text, child) => {
      if (!sent && text.includes('[2/2]')) {
        sent = true;
        setTimeout(() => child.kill('SIGKILL'), 500);
      }
    },
  });
  expect(run.signal).toBe('SIGKILL');
  const saved = savedReport(out);
  expect(saved.trials).toHaveLength(1);
  expect(saved.interrupted).toBe(true);
}, 60_000);

describe('--isolate', () => {
  test('the trial child dies with its parent (no orphan left under PID 1)', async () => {
    let child: number | undefined;
    let killed = false;
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '--isolate', ...LONG, '--no-save'], {
      onStderr: (text, parent) => {
        if (killed || !text.includes('[1/1]')) return;
        killed = true;
        setTimeout(() => {
          child = childrenOf(parent.pid!)[0];
          parent.kill('SIGKILL'); // no handler runs: only the child's own watch can end it
        }, 1500);
      },
    });
    expect(run.signal).toBe('SIGKILL');
    expect(child).toBeGreaterThan(0);
    const deadline = Date.now() + 5000;
    while (alive(child!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const orphaned = alive(child!);
    if (orphaned) process.kill(child!, 'SIGKILL'); // do not leave it to skew the rest of the suite
    expect(orphaned).toBe(false);
  }, 60_000);

  test('a sweep in which a trial crashed exits 6 and keeps the other trial', async () => {
    const out = tempDir();
    let killed = false;
    // Each trial measures for 4 s, so trial 2's child is alive long enough to be found: the
    // '[2/2]' line comes before the fork, hence the poll.
    const run = await runCli(['profile', 'fixtures/mlp.onnx', '--isolate', '--batch', '1,2', '-w', '3', '--duration', '4s', '-t', '1', '--no-sample', '-f', 'json', '--out', out], {
      timeoutMs: 120_000,
      onStderr: (text, parent) => {
        if (killed || !text.includes('[2/2]')) return;
        killed = true;
        const poll = setInterval(() => {
          const victim = childrenOf(parent.pid!)[0];
          if (victim === undefined) return;
          clearInterval(poll);
          process.kill(victim, 'SIGKILL');
        }, 100);
        parent.on('close', () => clearInterval(poll));
      },
    });
    expect(run.code).toBe(6);
    const saved = savedReport(out);
    expect(saved.interrupted).toBeUndefined();
    expect(saved.trials.map((t) => t.status).sort()).toEqual(['failed', 'ok']);
  }, 150_000);
});

describe('compare (paired): every stop signal has its own exit code, in every mode, and no child outlives it', () => {
  test.each([
    ['SIGTERM', 143, []],
    ['SIGHUP', 129, []],
    ['SIGINT', 130, ['--isolate']],
    ['SIGTERM', 143, ['--duet']],
  ] as const)('%s → %i %j', async (signal, code, mode) => {
    let sent = false;
    let children: number[] = [];
    const run = await runCli(['compare', 'fixtures/mlp.onnx', 'fixtures/mlp.onnx', '-t', '1', '-w', '3', '--duration', '60s', '--epochs', '1', '--json', ...mode], {
      timeoutMs: 90_000,
      onStderr: (text, child) => {
        if (sent || !text.includes('base and head interleaved')) return;
        sent = true;
        setTimeout(() => {
          children = childrenOf(child.pid!);
          child.kill(signal);
        }, 1000);
      },
    });
    expect(run.code, run.stderr).toBe(code);
    expect(run.stderr).toContain(`interrupted by ${signal}`);
    // What was measured is judged and printed, marked interrupted.
    expect(JSON.parse(run.stdout)).toMatchObject({ interrupted: true });
    if (mode.length > 0) expect(children.length).toBeGreaterThan(0);
    const deadline = Date.now() + 5000;
    while (children.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const left = children.filter(alive);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    expect(left).toEqual([]);
  }, 120_000);
});
