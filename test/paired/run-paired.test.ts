// Where the sides of a paired run live: --isolate runs both in one child process, alternating;
// duet runs both in each of two children, at the same time; each epoch in fresh ones. Counted
// from /proc while blocks run.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runPaired, type PairedMode } from '../../src/paired/run-paired.js';

/** This process's children that run a paired side. */
function sideChildren(): string[] {
  return readdirSync('/proc/self/task')
    .flatMap((tid) => readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(' ').filter(Boolean))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('side-child.js');
      } catch {
        return false; // exited meanwhile
      }
    });
}

describe.runIf(process.platform === 'linux')('paired sides in child processes', () => {
  test.each([
    ['child-processes', 1],
    ['duet', 2],
  ] as [PairedMode, number][])('%s: %i child process(es) hold both sides while blocks run, fresh ones each epoch, none after', async (mode, expected) => {
    const seen: number[] = [];
    const pids = new Set<string>();
    const run = await runPaired(
      { base: 'fixtures/mlp.onnx', head: 'fixtures/mlp.onnx', threads: 1, warmup: { kind: 'count', iterations: 5 }, measure: { kind: 'count', iterations: 200 }, mode, epochs: 3 },
      {
        onBlock: () => {
          const children = sideChildren();
          seen.push(children.length);
          for (const pid of children) pids.add(pid);
        },
      },
    );
    const trial = run.trials[0]!;
    expect(trial.status).toBe('ok');
    if (trial.status !== 'ok') return;
    expect(trial.mode).toBe(mode);
    expect(trial.samples.base.count).toBe(200);
    expect(trial.samples.head.count).toBe(200);
    expect(new Set(seen)).toEqual(new Set([expected]));
    expect(pids.size).toBe(3 * expected);
    expect(new Set(trial.measurement.blocks.epochs)).toEqual(new Set([0, 1, 2]));
    expect(sideChildren()).toEqual([]);
  });
});
