// The CSV exporter on the sample report: one row per ok trial and stage, one per failed or skipped
// trial, plain numbers, and no number for a percentile that too few samples back.
import { describe, expect, test } from 'vitest';
import { CSV_COLUMNS, csvField, renderCsv } from '../../src/report/csv.js';
import { exporterFor } from '../../src/report/exporters.js';
import type { TrialOk } from '../../src/types.js';
import { sampleReport } from '../helpers/sample-report.js';

/** A minimal RFC 4180 reader for the test: quoted fields with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  return rows;
}

describe('csv', () => {
  const report = sampleReport();
  const text = renderCsv(report);
  const [header, ...rows] = parseCsv(text);
  const col = (name: (typeof CSV_COLUMNS)[number]) => header!.indexOf(name);
  const ok = report.trials.find((t): t is TrialOk => t.status === 'ok')!;

  test('a header, then a row per stage of the ok trial and one per failed or skipped trial', () => {
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(text.endsWith('\r\n')).toBe(true);
    const okRows = rows.filter((r) => r[col('status')] === 'ok');
    expect(okRows.map((r) => r[col('stage')])).toEqual(['preprocess', 'inference', 'postprocess', 'total']);
    expect(rows.filter((r) => r[col('status')] !== 'ok').map((r) => r[col('status')])).toEqual(['failed', 'skipped']);
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  test('numbers are the report\'s own, unformatted; untrustworthy percentiles are empty', () => {
    const inference = rows.find((r) => r[col('stage')] === 'inference')!;
    const stats = ok.stages.inference;
    expect(Number(inference[col('p50_ms')])).toBe(stats.p50Ms);
    expect(Number(inference[col('mean_ms')])).toBe(stats.meanMs);
    expect(Number(inference[col('count')])).toBe(stats.count);
    expect(Number(inference[col('items_per_s')])).toBe(ok.throughput.itemsPerSec);
    expect(stats.insufficient).toContain('p99');
    expect(inference[col('p99_ms')]).toBe('');
    expect(inference[col('insufficient')]).toBe(stats.insufficient.join(';'));
  });

  test('failure reasons survive commas and quotes', () => {
    const failed = rows.find((r) => r[col('status')] === 'failed')!;
    expect(failed[col('reason')]).toMatch(/^open: Could not find an implementation/);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('plain')).toBe('plain');
  });

  test('--format csv finds it', () => {
    expect(exporterFor('csv').extension).toBe('csv');
  });
});
