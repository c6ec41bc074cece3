import { describe, expect, test } from 'vitest';
import {
  formatBytes,
  formatCI,
  formatMs,
  formatPercent,
  formatPercentileCell,
  formatRate,
  formatRatio,
  formatShape,
  formatStopReason,
  insufficientFootnotes,
} from '../../src/report/format.js';
import { formatHeadroom } from '../../src/report/format.js';
import { stageStatsFrom } from '../helpers/sample-report.js';

describe('formatMs', () => {
  test.each([
    [0.812, '812 µs'],
    [0.0123, '12.3 µs'],
    [3.4213, '3.42 ms'],
    [34.21, '34.2 ms'],
    [342.1, '342 ms'],
    [1200, '1.20 s'],
    [0.9996, '1.00 ms'],
    [999.6, '1.00 s'],
    [0, '0 ms'],
    [Number.NaN, 'n/a'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});

test('bytes, rates, percents, ratios', () => {
  expect(formatBytes(512)).toBe('512 B');
  expect(formatBytes(1536)).toBe('1.50 KiB');
  expect(formatBytes(64 * 2 ** 30)).toBe('64.0 GiB');
  expect(formatRate(1234.4)).toBe('1,234 inf/s');
  expect(formatRate(12.34, 'items/s')).toBe('12.3 items/s');
  expect(formatRate(0.5)).toBe('0.50 inf/s');
  expect(formatPercent(0.0123)).toBe('1.2%');
  expect(formatPercent(0.34)).toBe('34%');
  expect(formatPercent(0.00018)).toBe('0.02%');
  expect(formatRatio(1.234)).toBe('1.23×');
  expect(formatCI([3.1, 3.52])).toBe('3.10 ms – 3.52 ms');
  expect(formatCI(null)).toBe('n/a');
});

test('shapes show symbolic dims by name and unnamed dynamic dims as ?', () => {
  expect(formatShape(['batch', 3, null])).toBe('[batch, 3, ?]');
});

test('stop reasons name the bound', () => {
  expect(formatStopReason('iterations', { kind: 'count', iterations: 1000 })).toBe(
    'reached the requested 1,000 iterations (-n)',
  );
  expect(formatStopReason('duration', { kind: 'time', ms: 5000 })).toContain('5.00 s');
});

test('insufficient percentiles are flagged with a footnote', () => {
  const stats = stageStatsFrom(3000, 100, 7, ['p99', 'p999']);
  expect(formatPercentileCell(stats, 'p50')).not.toContain('*');
  expect(formatPercentileCell(stats, 'p99')).toMatch(/ ms\*$/);
  const notes = insufficientFootnotes(['p999', 'p99']);
  expect(notes[0]).toBe('* fewer than 662 samples: p99 is not trustworthy; run more iterations (-n)');
  expect(notes[1]).toMatch(/^\* fewer than \d{1,3}(,\d{3})* samples: p99\.9 is not trustworthy; run more iterations \(-n\)$/);
  expect(insufficientFootnotes([])).toEqual([]);
});

describe('formatHeadroom', () => {
  test('a percentage while readable, "N× the limit" for a latency over twice its budget', () => {
    expect(formatHeadroom(0.25)).toBe('+25%');
    expect(formatHeadroom(-0.5)).toBe('−50%');
    expect(formatHeadroom(-1835)).toBe('1,836× the limit');
    expect(formatHeadroom(-2.5)).toBe('3.5× the limit');
  });
});
