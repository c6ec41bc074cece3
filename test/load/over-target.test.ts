import { expect, test } from 'vitest';
import { countOverMs } from '../../src/load/over-target.js';
import { createLatencyHistogram, encodeHistogram, recordMicros } from '../../src/measure/histogram.js';

test('requests over a target, counted from the encoded histogram', () => {
  const h = createLatencyHistogram();
  for (let us = 1; us <= 10_000; us++) recordMicros(h, us);
  const encoded = encodeHistogram(h);
  expect(countOverMs(encoded, 10)).toBe(0);
  expect(countOverMs(encoded, 0.5)).toBe(10_000 - 500);
  // At 9.9 ms the buckets are 8 µs wide: the count is exact to a bucket.
  expect(Math.abs(countOverMs(encoded, 9.9) - 100)).toBeLessThanOrEqual(8);
  expect(countOverMs(encoded, 20)).toBe(0);
});
