// The sweep table: the same columns for console and Markdown, a concurrency column only when a
// trial ran more than one stream.
import { describe, expect, test } from 'vitest';
import { SWEEP_HEADER, sweepTable } from '../../src/report/sweep-table.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { sampleReport } from '../helpers/sample-report.js';

describe('sweepTable', () => {
  test('one row per trial; numbers from the first latency column on', () => {
    const table = sweepTable(sampleReport())!;
    expect(table.header).toEqual([...SWEEP_HEADER]);
    expect(table.rows.map((r) => r[4])).toEqual(['ok (baseline)', 'failed', 'skipped']);
    expect(table.firstNumeric).toBe(5);
    for (const row of table.rows) expect(row).toHaveLength(table.header.length);
  });

  test('a concurrent trial adds a concurrency column after threads', () => {
    const report = sampleReport();
    report.trials = report.trials.map((t, i) => (i === 0 ? { ...t, spec: { ...t.spec, concurrency: 4 } } : t)) as typeof report.trials;
    const table = sweepTable(report)!;
    expect(table.header.slice(3, 6)).toEqual(['threads', 'concurrency', 'status']);
    expect(table.rows.map((r) => r[4])).toEqual(['4', '1', '1']);
    expect(table.firstNumeric).toBe(6);
    for (const row of table.rows) expect(row).toHaveLength(table.header.length);
    expect(renderMarkdown(report)).toContain('| device | precision | batch | threads | concurrency | status |');
  });

  test('a single trial has no sweep table', () => {
    const report = sampleReport();
    expect(sweepTable({ ...report, trials: report.trials.slice(0, 1) })).toBeNull();
  });
});
