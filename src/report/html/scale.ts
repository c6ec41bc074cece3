// Scales and ticks for the static SVG charts: a value → pixel map plus the tick values an axis
// labels. Linear ticks follow the 1-2-5 "nice number" rule (Heckbert, "Nice numbers for graph
// labels", Graphics Gems, 1990); log ticks sit on powers of ten, with 2 and 5 added when the
// domain spans fewer than three decades so a short log axis still has labels.

export interface Scale {
  (value: number): number;
  kind: 'linear' | 'log';
  domain: readonly [number, number];
  ticks(count?: number): number[];
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Linear scale over [lo, hi]; a zero-width domain is widened so the map stays finite. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  let [lo, hi] = domain;
  if (!(hi > lo)) [lo, hi] = lo === 0 ? [0, 1] : [lo - Math.abs(lo) * 0.5, hi + Math.abs(hi) * 0.5];
  const [r0, r1] = range;
  const map = ((v: number) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0)) as Scale;
  map.kind = 'linear';
  map.domain = [lo, hi];
  map.ticks = (count = 5) => {
    const step = niceStep(hi - lo, count);
    const out: number[] = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
    return out;
  };
  return map;
}

/** Log10 scale over [lo, hi] (both > 0). */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  let [lo, hi] = domain;
  if (!(lo > 0)) lo = Math.min(1e-9, hi > 0 ? hi / 10 : 1e-9);
  if (!(hi > lo)) hi = lo * 10;
  const [l0, l1] = [Math.log10(lo), Math.log10(hi)];
  const [r0, r1] = range;
  const map = ((v: number) => r0 + ((Math.log10(Math.max(v, lo * 1e-3)) - l0) / (l1 - l0)) * (r1 - r0)) as Scale;
  map.kind = 'log';
  map.domain = [lo, hi];
  map.ticks = () => {
    const decades = l1 - l0;
    const mantissas = decades < 1.2 ? [1, 1.5, 2, 3, 5, 7] : decades < 3 ? [1, 2, 5] : [1];
    const out: number[] = [];
    for (let e = Math.floor(l0); e <= Math.ceil(l1); e += 1) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** e).toPrecision(12));
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
      }
    }
    return out;
  };
  return map;
}

/** Log axis when the values span more than `ratio` (and are all positive), else linear from zero. */
export function autoScale(values: readonly number[], range: readonly [number, number], ratio = 30): Scale {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return linearScale([0, 1], range);
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  if (hi / lo > ratio) return logScale([lo / 1.2, hi * 1.2], range);
  return linearScale([0, hi * 1.08], range);
}

/** min and max of finite values, or null when there are none (spread-free so 100k values are fine). */
export function extent(values: Iterable<number>): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}
