// Deterministic pseudo-random numbers for statistics tests: the same seed gives the same
// samples on every machine, so tests can assert exact or tightly bounded values.

/** mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
