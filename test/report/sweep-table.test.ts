// The sweep table: the same columns for console and Markdown, a concurrency column only when a
// trial ran more than one stream.
import { describe, expect, test } from 'vitest';
import { SWEEP_HEADER, narrowSweep, sweepTable } from '../../src/report/sweep-table.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { sampleReport } from '../helpers/sample-report.js';

describe('sweepTable', () => {
  test('one row per trial; numbers from the first latency column on', () => {
    const report = sampleReport();
    const table = sweepTable(report)!;
    // configuration shared by every trial is said once, not repeated as a column
    const shared = SWEEP_HEADER.slice(0, 4).filter((_, c) => new Set(report.trials.map((t) => [t.spec.device, t.spec.precision, String(t.spec.batch), String(t.spec.threads)][c])).size === 1);
    expect(table.shared).toHaveLength(shared.length);
    expect(table.header).not.toEqual(expect.arrayContaining(shared));
    const status = table.header.indexOf('status');
    expect(table.rows.map((r) => r[status])).toEqual(['ok (baseline)', 'failed', 'skipped']);
    expect(table.firstNumeric).toBe(status + 1);
    for (const row of table.rows) expect(row).toHaveLength(table.header.length);
  });

  test('an fp32-only sweep has no accuracy columns', () => {
    const table = sweepTable(sampleReport())!;
    expect(table.header).not.toContain('max |err|');
    expect(table.header).not.toContain('cosine');
  });

  test('narrowSweep drops tails and ratios, not the medians, until the table fits', () => {
    const table = sweepTable(sampleReport())!;
    const { table: narrow, dropped } = narrowSweep(table, (t) => t.header.length <= table.header.length - 2);
    expect(dropped).toEqual(['total p99', 'infer p99']);
    expect(narrow.header).toContain('infer p50');
    for (const row of narrow.rows) expect(row).toHaveLength(narrow.header.length);
  });

  test('a concurrent trial adds a concurrency column after threads', () => {
    const report = sampleReport();
    report.trials = report.trials.map((t, i) => (i === 0 ? { ...t, spec: { ...t.spec, concurrency: 4 } } : t)) as typeof report.trials;
    const table = sweepTable(report)!;
    const c = table.header.indexOf('concurrency');
    expect(table.header[c + 1]).toBe('status');
    expect(table.rows.map((r) => r[c])).toEqual(['4', '1', '1']);
    expect(table.firstNumeric).toBe(c + 2);
    for (const row of table.rows) expect(row).toHaveLength(table.header.length);
    expect(renderMarkdown(report)).toContain('| concurrency | status |');
  });

  test('a single trial has no sweep table', () => {
    const report = sampleReport();
    expect(sweepTable({ ...report, trials: report.trials.slice(0, 1) })).toBeNull();
  });
});
