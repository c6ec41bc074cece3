// One answer per question on a constructed sweep whose sequential and paired figures disagree.
import { describe, expect, test } from 'vitest';
import { chooseBest, parseObjective } from '../../src/budget/best.js';
import { parseBudget } from '../../src/budget/budget.js';
import { renderConsole } from '../../src/report/console.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { sweepTable } from '../../src/report/sweep-table.js';
import { judgeSweep } from '../../src/sweep/judge-sweep.js';
import type { TrialOk } from '../../src/types.js';
import { disagreeingReport } from '../budget/disagree-report.js';

const B1 = 'cpu int8-static batch=1 threads=1';
const B4 = 'cpu int8-static batch=4 threads=4'.replace('threads=4', 'threads=1');
const B16 = 'cpu int8-static batch=16 threads=1';

describe('best configuration', () => {
  test('ranked by the paired speed-up, not sequential items/s; leaders within noise are called so, the lower p99 chosen', () => {
    const report = judgeSweep(disagreeingReport(), [], parseObjective('throughput'));
    expect(report.best).toMatchObject({ trialId: B4, measuredBy: 'paired', objective: 'throughput', tiedWith: [B16] });
    expect(report.best!.reason).toContain(`${B4} and ${B16} are within noise`);
    expect(report.best!.reason).toContain(`${B4} has the lower total p99`);
  });

  test('within a budget: b16 fails p99<=10ms, int8 b4 is chosen clear of the rest', () => {
    const report = judgeSweep(disagreeingReport(), [parseBudget('p99<=10ms')], parseObjective('throughput'));
    expect(report.budget!.checks.find((c) => c.trialId === B16)!.verdict).toBe('fail');
    expect(report.budget!.best).toMatchObject({ trialId: B4, tiedWith: [] });
    expect(report.budget!.best!.reason).toContain('the highest paired speed-up');
  });

  test('sequential ranking only when some candidate has no paired speed-up, and it says so', () => {
    const r = disagreeingReport();
    const trials = r.trials.map((t) => (t.status === 'ok' ? { ...t, pairedSpeedUp: undefined } : t)) as TrialOk[];
    const best = chooseBest(trials, parseObjective('throughput'), trials[0]);
    // Sequential items/s: b16 2,900 ±4% and b4 2,790 ±4% overlap, so the lower p99 (b4) is chosen.
    expect(best).toMatchObject({ measuredBy: 'sequential', trialId: B4, tiedWith: [B16] });
    expect(best!.reason).toContain('within noise on throughput');
  });

  test('--objective p99 ranks by the lowest p99', () => {
    const report = judgeSweep(disagreeingReport(), [], parseObjective('p99'));
    expect(report.best).toMatchObject({ objective: 'total.p99', trialId: B1 });
  });

  test('a bad objective is a usage error naming the choices', () => {
    expect(() => parseObjective('p98')).toThrow(/not an objective/);
  });
});

describe('warnings', () => {
  test('the busy trial says so, and its sequential/paired disagreement names the bursts', () => {
    const report = judgeSweep(disagreeingReport(), [], parseObjective('throughput'));
    const b1 = report.trials.find((t) => t.spec.id === B1) as TrialOk;
    expect(b1.warnings.find((w) => w.code === 'busy-machine')?.message).toContain('other processes used 50%');
    const disagree = b1.warnings.find((w) => w.code === 'throughput-disagrees')?.message;
    expect(disagree).toContain('0.79×');
    expect(disagree).toContain('1.70×');
    expect(disagree).toContain('(bursts)');
    // The others agree within noise: no warning.
    const b4 = report.trials.find((t) => t.spec.id === B4) as TrialOk;
    expect(b4.warnings.some((w) => w.code === 'throughput-disagrees' || w.code === 'busy-machine')).toBe(false);
  });

  test('judging twice does not repeat warnings (partial reports are judged after every trial)', () => {
    const once = judgeSweep(disagreeingReport(), [], parseObjective('throughput'));
    const twice = judgeSweep(once, [], parseObjective('throughput'));
    expect((twice.trials[1] as TrialOk).warnings.filter((w) => w.code === 'busy-machine')).toHaveLength(1);
  });
});

describe('every table and verdict says the same', () => {
  test('the sweep table shows the paired speed-up with its interval and the sequential throughput with its own', () => {
    const table = sweepTable(judgeSweep(disagreeingReport(), [], parseObjective('throughput')))!;
    const row = table.rows.find((r) => r.includes('int8-static') && r.includes('1'))!;
    expect(table.header).toContain('throughput (seq.)');
    expect(row[table.header.indexOf('speed-up')]).toBe('1.70× ±3.5%');
    expect(row[table.header.indexOf('throughput (seq.)')]).toBe('1,064 items/s ±3.0%');
  });

  test('console and Markdown print the same best line', () => {
    const report = judgeSweep(disagreeingReport(), [parseBudget('p99<=10ms')], parseObjective('throughput'));
    const line = `best within budget (throughput, paired speed-up): ${B4}`;
    expect(renderConsole(report, { color: false })).toContain(line);
    expect(renderMarkdown(report)).toContain(line.replace(/_/g, '\\_'));
  });
});
