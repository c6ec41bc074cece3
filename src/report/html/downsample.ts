// Thinning long series for drawing only. A run sampled every 10 ms for 20 minutes has 120,000
// samples per metric; a 640-pixel-wide chart cannot show more than a few points per pixel column.
// Min–max decimation keeps, per column, the first point plus the lowest and highest value, so a
// one-sample spike stays visible (a plain stride would drop it) while the path holds at most about
// 3 × columns points. (The "M4"/min-max idea: Jugel et al., "M4: a visualization-oriented time
// series data aggregation", VLDB 2014.) Statistics never come from here: every number printed in
// the report is computed from the full data (the histograms, the utilisation summaries).

export type Point = readonly [x: number, y: number];

/**
 * Points sorted by x, reduced to at most ~3 per bucket of `buckets` equal x-intervals. Series
 * already short enough come back unchanged. Non-finite y values are kept as gaps.
 */
export function minMaxDecimate(points: readonly Point[], buckets: number): Point[] {
  if (points.length <= buckets * 3) return [...points];
  const x0 = points[0]![0];
  const span = points[points.length - 1]![0] - x0 || 1;
  const out: Point[] = [];
  let current = -1;
  let first: Point | null = null;
  let lo: Point | null = null;
  let hi: Point | null = null;
  const flush = (): void => {
    const kept = [first, lo, hi].filter((p): p is Point => p !== null);
    const unique = kept.filter((p, i) => kept.indexOf(p) === i).sort((a, b) => a[0] - b[0]);
    out.push(...unique);
  };
  for (const p of points) {
    const bucket = Math.min(buckets - 1, Math.floor(((p[0] - x0) / span) * buckets));
    if (bucket !== current) {
      if (current >= 0) flush();
      current = bucket;
      first = p;
      lo = null;
      hi = null;
    }
    if (!Number.isFinite(p[1])) {
      flush();
      out.push(p);
      first = null;
      lo = null;
      hi = null;
      continue;
    }
    if (lo === null || p[1] < lo[1]) lo = p;
    if (hi === null || p[1] > hi[1]) hi = p;
  }
  if (current >= 0) flush();
  return out;
}
