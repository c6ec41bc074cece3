// Seeded synthetic latency histograms for the compare tests: a lognormal body around a median
// with a 2% tail at 2–5× (the shape real inference latency has), recorded like the timing loop.
import { createLatencyHistogram, recordMicros, type Histogram } from '../../src/measure/histogram.js';
import { mulberry32, normal } from '../helpers/rng.js';

export interface Shape {
  medianUs: number;
  /** Lognormal sigma of the body; 0.05 ≈ 5% spread. */
  sigma?: number;
  /** Fraction of samples in the slow tail. */
  tail?: number;
}

export function latencyHistogram(shape: Shape, count: number, seed: number): Histogram {
  const uniform = mulberry32(seed);
  const gauss = normal(uniform);
  const h = createLatencyHistogram();
  const sigma = shape.sigma ?? 0.05;
  const tail = shape.tail ?? 0.02;
  for (let i = 0; i < count; i++) {
    const body = shape.medianUs * Math.exp(sigma * gauss());
    recordMicros(h, uniform() < tail ? body * (2 + 3 * uniform()) : body);
  }
  return h;
}
