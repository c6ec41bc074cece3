// The sweep's progress lines, on a recording terminal with a fake clock: the plan first, "[k/N]"
// per trial, a bar for a bounded phase, and the time left from finished trials' mean duration
// less what the running trial has already taken.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { sweepProgress } from '../../src/cli/progress.js';
import type { Terminal } from '../../src/cli/terminal.js';
import type { TrialSpec, TrialOk } from '../../src/types.js';

function recorder(): Terminal & { lines: string[]; statuses: string[] } {
  const lines: string[] = [];
  const statuses: string[] = [];
  return {
    lines, statuses, color: false, verbose: false,
    info: (l) => lines.push(l), debug: () => undefined, warn: (l) => lines.push(l),
    status: (l) => statuses.push(l), clearStatus: () => undefined,
  };
}

const spec = (batch: number): TrialSpec => ({ id: `cpu fp32 batch=${batch} threads=auto`, model: 'm.onnx', precision: 'fp32', device: 'cpu', batch, threads: null, interThreads: null, graphOptimization: 'all' });

describe('sweep progress', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  test('plan, trial lines, a bar for -n, and the time left', () => {
    const terminal = recorder();
    const progress = sweepProgress(terminal, { model: 'm.onnx', measure: { kind: 'count', iterations: 1000 } });
    progress.onPlan([spec(1), spec(2), spec(4)]);
    expect(terminal.lines[0]).toBe('3 trials planned for m.onnx');
    progress.onTrialStart(spec(1), 0, 3);
    progress.onPhase(spec(1), 'measure', 250, 100);
    expect(terminal.statuses.at(-1)).toBe('[1/3] measure [######------------------] 250 it, 100 ms'); // no estimate before a trial ends
    vi.setSystemTime(1000);
    progress.onTrialEnd({ status: 'skipped', spec: spec(1), reason: 'x' } as unknown as TrialOk);
    progress.onTrialStart(spec(2), 1, 3);
    vi.setSystemTime(1400);
    progress.onPhase(spec(2), 'measure', 500, 400);
    // 1 s per finished trial × 2 trials not finished − 0.4 s the current one has run
    expect(terminal.statuses.at(-1)).toBe('[2/3] measure [############------------] 500 it, 400 ms, sweep ~1.60 s left');
    expect(terminal.lines).toContain('[2/3] cpu fp32 batch=2 threads=auto');
  });

  test('a single trial prints no plan', () => {
    const terminal = recorder();
    sweepProgress(terminal, { model: 'm.onnx' }).onPlan([spec(1)]);
    expect(terminal.lines).toEqual([]);
  });
});
