import { describe, expect, test } from 'vitest';
import { createLatencyHistogram, encodeHistogram, recordMicros } from '../../../src/measure/histogram.js';
import { percentileCurve } from '../../../src/report/html/chart-percentiles.js';
import { minMaxDecimate, type Point } from '../../../src/report/html/downsample.js';
import { linearScale, logScale } from '../../../src/report/html/scale.js';
import { sweepAxis, sweepLines } from '../../../src/report/html/sweep-series.js';
import { okTrial } from '../../helpers/sample-report.js';

describe('scales', () => {
  test('linear ticks follow 1-2-5 steps and map the domain onto the range', () => {
    const s = linearScale([0, 9.3], [0, 100]);
    expect(s.ticks(5)).toEqual([0, 2, 4, 6, 8]);
    expect(s(9.3)).toBeCloseTo(100);
    expect(s(0)).toBe(0);
  });

  test('log ticks sit on decades, with 2 and 5 on a short axis', () => {
    expect(logScale([1, 10_000], [0, 1]).ticks()).toEqual([1, 10, 100, 1000, 10_000]);
    expect(logScale([1, 100], [0, 1]).ticks()).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logScale([1, 1000], [0, 300])(10)).toBeCloseTo(100);
  });
});

describe('percentile curve', () => {
  test('follows the histogram: 1..1000 µs uniform gives p50 ≈ 0.5 ms, p99 ≈ 0.99 ms, max 1 ms at x = n', () => {
    const h = createLatencyHistogram();
    for (let us = 1; us <= 1000; us += 1) recordMicros(h, us);
    const curve = percentileCurve(encodeHistogram(h));
    // Uniform 1..1000 µs: the p-th percentile is p × 1 ms, so each point must sit at (1 − 1/x) ms.
    for (const [x, ms] of curve.slice(0, -1)) expect(Math.abs(ms - (1 - 1 / x))).toBeLessThanOrEqual(0.0015);
    expect(curve[0]![0]).toBe(1);
    expect(curve.some(([x]) => x > 99 && x < 101)).toBe(true);
    expect(curve.at(-1)).toEqual([1000, 1]);
  });

  test('an empty histogram has no curve', () => {
    expect(percentileCurve(encodeHistogram(createLatencyHistogram()))).toEqual([]);
  });
});

describe('min-max decimation (drawing only)', () => {
  test('100,000 points shrink to at most 3 per bucket and keep a single-sample spike and the dip', () => {
    const points: Point[] = Array.from({ length: 100_000 }, (_, i) => [i, 50 + Math.sin(i / 500)]);
    points[61_234] = [61_234, 99];
    points[7_000] = [7_000, 1];
    const out = minMaxDecimate(points, 400);
    expect(out.length).toBeLessThanOrEqual(1200);
    expect(out.some(([x, y]) => x === 61_234 && y === 99)).toBe(true);
    expect(out.some(([x, y]) => x === 7_000 && y === 1)).toBe(true);
    expect(out.every((p, i) => i === 0 || p[0] >= out[i - 1]![0])).toBe(true);
  });

  test('short series are returned as they are', () => {
    const points: Point[] = [[0, 1], [1, 2], [2, Number.NaN], [3, 4]];
    expect(minMaxDecimate(points, 400)).toEqual(points);
  });
});

describe('sweep lines', () => {
  const trial = (id: string, batch: number, precision: 'fp32' | 'int8', threads: number) => {
    const t = okTrial();
    return { ...t, spec: { ...t.spec, id, batch, precision, threads } };
  };
  test('x is the axis with most values; one line per other varying field, sorted along x', () => {
    const trials = [trial('a', 4, 'fp32', 1), trial('b', 1, 'fp32', 1), trial('c', 2, 'int8', 1), trial('d', 1, 'int8', 1)];
    expect(sweepAxis(trials)).toBe('batch');
    const lines = sweepLines(trials, 'batch');
    expect(lines.map((l) => l.label)).toEqual(['fp32', 'int8']);
    expect(lines[0]!.points.map((p) => p.x)).toEqual([1, 4]);
  });

  test('no numeric axis with two values: no sweep axis', () => {
    expect(sweepAxis([trial('a', 1, 'fp32', 1), trial('b', 1, 'int8', 1)])).toBeNull();
  });
});
