import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrivalSchedule, offeredRate, parseTrace, readTrace } from '../../src/load/arrivals.js';
import { InferbenchError } from '../../src/errors.js';

describe('arrivalSchedule', () => {
  it('constant: evenly spaced from 0', () => {
    expect([...arrivalSchedule({ kind: 'constant', rate: 200, seed: 1, count: 4 })]).toEqual([0, 5, 10, 15]);
    expect(arrivalSchedule({ kind: 'constant', rate: 100, seed: 1, durationMs: 1000 })).toHaveLength(100);
  });

  it('poisson: the same seed gives the same schedule, another seed another', () => {
    const a = arrivalSchedule({ kind: 'poisson', rate: 500, seed: 42, count: 1000 });
    const b = arrivalSchedule({ kind: 'poisson', rate: 500, seed: 42, count: 1000 });
    const c = arrivalSchedule({ kind: 'poisson', rate: 500, seed: 43, count: 1000 });
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });

  it('poisson: mean gap 1/rate and the coefficient of variation 1 of exponential gaps', () => {
    const s = arrivalSchedule({ kind: 'poisson', rate: 250, seed: 3, count: 100_001 });
    const gaps = Array.from({ length: s.length - 1 }, (_, i) => s[i + 1]! - s[i]!);
    const mean = gaps.reduce((x, y) => x + y, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((x, g) => x + (g - mean) ** 2, 0) / (gaps.length - 1));
    expect(mean).toBeCloseTo(4, 1); // 1000 / 250 ms, ±0.05
    expect(sd / mean).toBeGreaterThan(0.97);
    expect(sd / mean).toBeLessThan(1.03);
    expect(offeredRate(s)).toBeGreaterThan(245);
    expect(offeredRate(s)).toBeLessThan(255);
  });

  it('trace: shifted to 0, scaled to the rate asked, looped past its end', () => {
    const trace = parseTrace('10\n12\n# a burst\n12\n20\n', 't.txt');
    expect(trace.rate).toBeCloseTo(300, 6); // 3 gaps over 10 ms
    expect([...arrivalSchedule({ kind: 'trace', rate: 300, seed: 0, count: 6, trace })].map((x) => +x.toFixed(6))).toEqual([0, 2, 2, 10, 10 + 10 / 3, 12 + 10 / 3].map((x) => +x.toFixed(6)));
    // Twice the rate: half the gaps.
    expect([...arrivalSchedule({ kind: 'trace', rate: 600, seed: 0, count: 4, trace })]).toEqual([0, 1, 1, 5]);
  });

  it('refuses a rate ≤ 0', () => {
    expect(() => arrivalSchedule({ kind: 'constant', rate: 0, seed: 1, count: 3 })).toThrow(InferbenchError);
    expect(() => arrivalSchedule({ kind: 'poisson', rate: -5, seed: 1, count: 3 })).toThrow(/above 0/);
  });
});

describe('readTrace', () => {
  const file = (text: string): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'trace-')), 'offsets.txt');
    writeFileSync(path, text);
    return path;
  };

  it('names the line of a negative, unsorted or non-numeric offset', () => {
    expect(() => readTrace(file('0\n-1\n'))).toThrow(/line 2: negative offset -1/);
    expect(() => readTrace(file('0\n5\n3\n'))).toThrow(/line 3: 3 ms comes after 5 ms/);
    expect(() => readTrace(file('0\nabc\n'))).toThrow(/line 2: 'abc' is not an offset/);
    expect(() => readTrace(file('7\n'))).toThrow(/at least 2 arrivals/);
    expect(() => readTrace(join(tmpdir(), 'no-such-trace.txt'))).toThrow(/cannot read the trace/);
  });

  it('errors are usage errors (exit 2)', () => {
    try {
      readTrace(file('1\n0\n'));
    } catch (error) {
      expect((error as InferbenchError).code).toBe('usage');
    }
  });
});
