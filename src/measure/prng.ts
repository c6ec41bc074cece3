// Mulberry32 (Tommy Ettinger, public domain): a tiny seeded 32-bit generator. Everything random in
// inferbench (synthetic inputs, bootstrap resampling) is seeded, so the same seed gives the same
// bytes and the same intervals on every machine.

/** The next uint32 from a mulberry32 state; returns [value, next state]. */
export function mulberry32Step(state: number): [number, number] {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [(t ^ (t >>> 14)) >>> 0, next];
}

/** A seeded uniform [0, 1) generator. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    const [value, next] = mulberry32Step(state);
    state = next;
    return value / 4294967296;
  };
}
