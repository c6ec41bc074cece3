// Mann–Whitney U test (Mann & Whitney 1947; Wilcoxon 1945) across repetitions: is one side's
// per-repetition metric (e.g. each run's p50) stochastically larger than the other's? Rank-based,
// so a single disturbed repetition cannot carry the result, and it needs no assumption about the
// distribution of run-to-run variation. Exact null distribution for small samples without ties
// (the recursion of Mann & Whitney 1947), normal approximation with tie and continuity
// corrections otherwise.

export interface RankTest {
  /** U of the head sample: pairs (base, head) with head > base, ties counting 1/2. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
  nBase: number;
  nHead: number;
}

/** Exact tables are used up to this many pairs (n1·n2) when there are no ties. */
const EXACT_MAX_PAIRS = 400;

export function mannWhitney(base: readonly number[], head: readonly number[]): RankTest {
  const n1 = base.length;
  const n2 = head.length;
  if (n1 === 0 || n2 === 0) throw new Error('mannWhitney needs at least one value a side');
  let u = 0;
  for (const h of head) for (const b of base) u += h > b ? 1 : h === b ? 0.5 : 0;
  const all = [...base, ...head].sort((a, b) => a - b);
  const ties = tieGroups(all);
  if (ties.length === 0 && n1 * n2 <= EXACT_MAX_PAIRS) {
    return { u, p: exactTwoSided(u, n1, n2), method: 'exact', nBase: n1, nHead: n2 };
  }
  const n = n1 + n2;
  const tieTerm = ties.reduce((sum, t) => sum + (t * t * t - t), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const mean = (n1 * n2) / 2;
  if (!(variance > 0)) return { u, p: 1, method: 'normal', nBase: n1, nHead: n2 };
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * upperNormalTail(z)), method: 'normal', nBase: n1, nHead: n2 };
}

/** Sizes (> 1) of groups of equal values in a sorted array. */
function tieGroups(sorted: readonly number[]): number[] {
  const groups: number[] = [];
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++;
    else {
      if (run > 1) groups.push(run);
      run = 1;
    }
  }
  return groups;
}

/**
 * Two-sided exact p: 2 · min(P(U ≤ u), P(U ≥ u)), capped at 1. The count of arrangements with
 * U = k obeys N(k; m, n) = N(k − n; m − 1, n) + N(k; m, n − 1) (Mann & Whitney 1947).
 */
function exactTwoSided(u: number, n1: number, n2: number): number {
  const counts = uDistribution(n1, n2);
  const total = counts.reduce((a, b) => a + b, 0);
  let below = 0;
  let above = 0;
  counts.forEach((c, k) => {
    if (k <= u) below += c;
    if (k >= u) above += c;
  });
  return Math.min(1, (2 * Math.min(below, above)) / total);
}

function uDistribution(n1: number, n2: number): number[] {
  // table[m][n] = counts of U for sizes (m, n), built bottom-up.
  const table: number[][][] = [];
  for (let m = 0; m <= n1; m++) {
    const row: number[][] = [];
    for (let n = 0; n <= n2; n++) {
      if (m === 0 || n === 0) {
        row.push([1]);
        continue;
      }
      const a = table[m - 1]![n]!; // shifted by n
      const b = row[n - 1]!;
      const out = new Array<number>(m * n + 1).fill(0);
      a.forEach((c, k) => (out[k + n] = (out[k + n] ?? 0) + c));
      b.forEach((c, k) => (out[k] = (out[k] ?? 0) + c));
      row.push(out);
    }
    table.push(row);
  }
  return table[n1]![n2]!;
}

/** P(Z > z) for a standard normal, via erfc (Numerical Recipes' Chebyshev fit, |ε| < 1.2e-7). */
export function upperNormalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
