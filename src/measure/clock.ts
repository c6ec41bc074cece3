// The monotonic clock and the cost of reading it. process.hrtime.bigint() is monotonic and
// nanosecond-resolution; Date.now() is neither. Calibration follows tinybench/hyperfine: time an
// empty body many times and take a robust centre, so the harness can report its own cost.

export const now = process.hrtime.bigint;

/**
 * Nanoseconds between two readings, as a double. Each reading is converted on its own, because
 * `end - start` would allocate a BigInt, and the timed loop calls this five times a request (with
 * MiB outputs, every collection is costly: docs/large-outputs.md). Exact while the clock reads
 * below 2^53 ns (Linux counts from boot: 104 days of uptime); beyond that a difference can be off
 * by a few ns.
 */
export function elapsedNs(start: bigint, end: bigint): number {
  return Number(end) - Number(start);
}

const CALIBRATION_ROUNDS = 15;
const CALLS_PER_ROUND = 2_000;

/** Median cost of one `now()` call, in nanoseconds. */
export function timerCostNs(): number {
  const perCall: number[] = [];
  for (let round = 0; round < CALIBRATION_ROUNDS; round++) {
    let sink = 0n;
    const start = now();
    for (let i = 0; i < CALLS_PER_ROUND; i++) sink ^= now();
    const end = now();
    if (sink === -1n) perCall.push(0); // keeps the loop from being optimised away
    perCall.push(elapsedNs(start, end) / CALLS_PER_ROUND);
  }
  return median(perCall);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return 0;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
