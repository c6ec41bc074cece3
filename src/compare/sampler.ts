// Drawing samples from a decoded HDR histogram, for the bootstrap in significance.ts.
//
// A stage histogram is the whole sample, binned: every recorded value sits in a bucket whose
// width is ≤ 0.1% of its value (3 significant digits; exact below 2048 µs). Resampling "with
// replacement from the sample" is therefore drawing bucket indices with probability
// count / total. Walker's alias method (Walker 1977; Vose 1991, "A linear algorithm for
// generating random numbers with a given distribution") makes each draw O(1) with one uniform
// number, which keeps B = 1000 resamples of 5000 draws per side and stage well under a second.

import type { Histogram } from '../measure/histogram.js';
import { mulberry32 } from '../measure/prng.js';

/** The JsHistogram internals we read: hdr-histogram-js's pure-JS histograms all have them. */
interface BucketAccess {
  countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  medianEquivalentValue(value: number): number;
}

function bucketAccess(histogram: Histogram): BucketAccess {
  const h = histogram as unknown as Partial<BucketAccess>;
  if (typeof h.countsArrayLength !== 'number' || typeof h.getCountAtIndex !== 'function') {
    throw new Error('histogram does not expose its buckets (expected a pure-JS hdr-histogram-js histogram)');
  }
  return h as BucketAccess;
}

/** A histogram as parallel arrays of its non-empty buckets: value (µs, ascending) and count. */
export interface BucketTable {
  values: Float64Array;
  counts: Float64Array;
  total: number;
}

/**
 * Non-empty buckets of `histogram`. Each bucket is represented by its median equivalent value
 * (the middle of the bucket), so the mean of a resample is unbiased within the 0.1% precision.
 */
export function bucketTable(histogram: Histogram): BucketTable {
  const h = bucketAccess(histogram);
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < h.countsArrayLength; i++) {
    const count = h.getCountAtIndex(i);
    if (count > 0) {
      values.push(h.medianEquivalentValue(h.valueFromIndex(i)));
      counts.push(count);
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts), total: counts.reduce((a, b) => a + b, 0) };
}

/** Draws bucket indices of one table with probability count / total (alias method). */
export interface AliasSampler {
  /** Number of buckets; draws are in [0, size). */
  size: number;
  draw(uniform: () => number): number;
}

export function aliasSampler(counts: Float64Array): AliasSampler {
  const k = counts.length;
  if (k === 0) throw new Error('cannot sample from an empty histogram');
  const total = counts.reduce((a, b) => a + b, 0);
  const prob = new Float64Array(k);
  const alias = new Int32Array(k);
  const scaled = Array.from(counts, (c) => (c * k) / total);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large[large.length - 1]!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    if (scaled[l]! < 1) small.push(large.pop()!);
  }
  // What is left has probability 1 up to rounding error.
  for (const i of [...small, ...large]) prob[i] = 1;
  return {
    size: k,
    draw(uniform) {
      const u = uniform() * k;
      const i = Math.min(k - 1, Math.floor(u));
      return u - i < prob[i]! ? i : alias[i]!;
    },
  };
}

/** A seeded uniform [0, 1) generator, so every comparison of the same two reports gives the same intervals on every machine. */
export const seededUniform = mulberry32;
