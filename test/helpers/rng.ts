// Deterministic pseudo-random numbers for statistics tests: the same seed gives the same
// samples on every machine, so tests can assert exact or tightly bounded values.

export { mulberry32 } from '../../src/measure/prng.js';
import { mulberry32 } from '../../src/measure/prng.js';

/** Standard normal via Box–Muller, from a uniform source. */
export function normal(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform(); // (0, 1]: log(0) never happens
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Exponential with the given mean (inverse CDF). */
export function exponential(uniform: () => number, mean: number): () => number {
  return () => -mean * Math.log(1 - uniform());
}

/** n draws from `next` into a Float64Array. */
export function draw(n: number, next: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = next();
  return out;
}
