// The only number→string code in inferbench (hyperfine keeps the same split in `format.rs` /
// `units.rs`). Every exporter formats through here, so a number reads the same in the console,
// in Markdown and in a PR comment. Output is locale-independent (always `1,234.5`).

import { PERCENTILE_FIELD, PERCENTILE_LABEL, type Dim, type PercentileKey, type PhaseBound, type StageStats, type StopReason, type VariantCoverage } from '../types.js';
import { PERCENTILE_KEYS, minimumSamples } from '../measure/sample-rules.js';

const NOT_AVAILABLE = 'n/a';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Integer with thousands separators: 1234 → "1,234". */
/** A number for machine-readable text (CSV): plain digits, no unit or grouping; 12 significant
 * digits drop binary noise (0.000561 ms, not 0.0005610000000000001) and keep every real digit. */
export function csvNumber(n: number): string {
  return Number.isFinite(n) ? String(Number(n.toPrecision(12))) : '';
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? grouped.format(Math.round(n)) : NOT_AVAILABLE;
}

/** Three significant digits, never exponent notation, thousands grouped: 3.4213 → "3.42". */
function threeSignificant(value: number): string {
  const rounded = Number(value.toPrecision(3));
  const magnitude = Math.abs(rounded);
  if (magnitude >= 100) return grouped.format(rounded);
  if (magnitude >= 10) return rounded.toFixed(1);
  if (magnitude === 0) return '0';
  if (magnitude >= 0.01) return rounded.toFixed(2);
  return rounded.toPrecision(2);
}

/** A duration, adaptive: 0.812 → "812 µs", 3.4213 → "3.42 ms", 1200 → "1.20 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return NOT_AVAILABLE;
  const magnitude = Math.abs(ms);
  if (magnitude === 0) return '0 ms';
  // Pick the unit from the rounded value so 0.9996 ms reads "1.00 ms", not "1,000 µs".
  if (Math.abs(Number((magnitude * 1000).toPrecision(3))) < 1000) {
    return `${threeSignificant(ms * 1000)} µs`;
  }
  if (Number(magnitude.toPrecision(3)) < 1000) return `${threeSignificant(ms)} ms`;
  return `${threeSignificant(ms / 1000)} s`;
}

/** Microseconds, through the same adaptive unit choice: 12.3 → "12.3 µs". */
export function formatUs(us: number): string {
  return formatMs(us / 1000);
}

/** Nanoseconds: 41 → "41 ns"; larger values go through formatMs. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return NOT_AVAILABLE;
  if (Math.abs(Number(ns.toPrecision(3))) < 1000) return `${threeSignificant(ns)} ns`;
  return formatMs(ns / 1e6);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Binary units: 1536 → "1.50 KiB", 16 * 2**30 → "16.0 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return NOT_AVAILABLE;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${formatCount(value)} B`;
  return `${threeSignificant(value)} ${BYTE_UNITS[unit]}`;
}

/** A rate: 1234.5 → "1,235 inf/s", 12.34 → "12.3 inf/s", 0.5 → "0.50 inf/s". */
export function formatRate(perSecond: number, unit = 'inf/s'): string {
  if (!Number.isFinite(perSecond)) return NOT_AVAILABLE;
  const text = Math.abs(perSecond) >= 100 ? formatCount(perSecond) : threeSignificant(perSecond);
  return `${text} ${unit}`;
}

/** A fraction as a percentage: 0.0123 → "1.2%", 0.000042 → "0.004%". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return NOT_AVAILABLE;
  const percent = fraction * 100;
  const magnitude = Math.abs(percent);
  if (magnitude === 0) return '0%';
  if (magnitude >= 10) return `${percent.toFixed(0)}%`;
  if (magnitude >= 0.1) return `${percent.toFixed(1)}%`;
  return `${Number(percent.toPrecision(1))}%`;
}

/** A unitless ratio: 1.234 → "1.23×". */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${threeSignificant(ratio)}×` : NOT_AVAILABLE;
}

/** A confidence interval in ms: "3.10 ms – 3.52 ms", or "n/a" when there were too few samples. */
/** "1.043×": a ratio near 1 with three decimals, for paired head/base ratios whose CI is ±0.5%. */
export function formatPreciseRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(3)}×` : NOT_AVAILABLE;
}

export function formatCI(interval: readonly [number, number] | null): string {
  if (interval === null) return NOT_AVAILABLE;
  return `${formatMs(interval[0])} – ${formatMs(interval[1])}`;
}

/** A confidence level: 0.95 → "95%". */
export function formatLevel(level: number): string {
  return formatPercent(level);
}

// ---------------------------------------------------------------------------------------------
// Analysis quantities: cost, roofline, utilisation and the classifier's evidence

/** A value with its unit, three significant digits (grouped from 100): 26.903 → "26.9 FLOP/byte". */
export function formatQuantity(value: number, unit: string): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  const text = Math.abs(value) >= 100 ? formatCount(value) : threeSignificant(value);
  return unit === '' ? text : `${text} ${unit}`;
}

const SI_PREFIXES = ['', 'k', 'M', 'G', 'T', 'P'] as const;

/** Decimal (SI) prefixes, as FLOP counts and bandwidths are quoted: 63_915_264 → "63.9 MFLOP". */
export function formatSI(value: number, unit: string): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  let scaled = value;
  let prefix = 0;
  while (Math.abs(Number(scaled.toPrecision(3))) >= 1000 && prefix < SI_PREFIXES.length - 1) {
    scaled /= 1000;
    prefix += 1;
  }
  return `${threeSignificant(scaled)} ${SI_PREFIXES[prefix]}${unit}`;
}

/** A 0–100 percentage (the sampler's convention): 93.4 → "93%". */
export function formatPct(percent: number): string {
  return formatPercent(percent / 100);
}

/** Bytes per second in binary units: 189_419 → "185 KiB/s". */
export function formatByteRate(bytesPerSec: number): string {
  return Number.isFinite(bytesPerSec) ? `${formatBytes(bytesPerSec)}/s` : NOT_AVAILABLE;
}

/**
 * One classifier evidence value (model/bottleneck.ts `Evidence`) in its unit, with the digits that
 * unit deserves: 'fraction' → "91%", '%' → "94%", 'B/s' → "185 KiB/s", 'GB/s' → "7.09 GB/s",
 * 'threads' → "2 threads". Unknown units get three significant digits and the unit as given.
 */
export function formatEvidenceValue(value: number, unit: string): string {
  switch (unit) {
    case 'fraction':
      return formatPercent(value);
    case '%':
      return formatPct(value);
    case '% of one core':
      return `${formatPct(value)} of one core`;
    case 'B/s':
    case 'bytes/s':
      return formatByteRate(value);
    case 'bytes':
    case 'B':
      return formatBytes(value);
    case 'threads':
    case 'rules':
    case 'samples':
      return `${formatCount(value)} ${unit}`;
    case 'ms':
      return formatMs(value);
    default:
      return formatQuantity(value, unit);
  }
}

// ---------------------------------------------------------------------------------------------
// Percentiles and the sample-count rule

/** The marker put beside a percentile that is in `StageStats.insufficient`. */
export const INSUFFICIENT_MARK = '*';

/** "p99.9" for "p999". */
export function percentileLabel(key: PercentileKey): string {
  return PERCENTILE_LABEL[key];
}

/** One percentile cell: "3.10 ms", or "3.10 ms*" when too few samples back it. */
export function formatPercentileCell(stats: StageStats, key: PercentileKey): string {
  const text = formatMs(stats[PERCENTILE_FIELD[key]]);
  return stats.insufficient.includes(key) ? `${text}${INSUFFICIENT_MARK}` : text;
}

/** Footnote lines explaining each flagged percentile, in percentile order; empty when none. */
export function insufficientFootnotes(keys: Iterable<PercentileKey>): string[] {
  const flagged = new Set(keys);
  return PERCENTILE_KEYS.filter((key) => flagged.has(key)).map((key) => {
    // The same MLPerf LoadGen rule that set `insufficient` in measure/ gives the number here.
    const minimum = formatCount(minimumSamples(key));
    return `${INSUFFICIENT_MARK} fewer than ${minimum} samples: ${percentileLabel(key)} is not trustworthy; run more iterations (-n)`;
  });
}

// ---------------------------------------------------------------------------------------------
// Shapes, bounds and phases in words

/** A tensor shape: [ "batch", 3, 224, null ] → "[batch, 3, 224, ?]". */
export function formatShape(shape: readonly Dim[]): string {
  const dims = shape.map((dim) => (dim === null ? '?' : typeof dim === 'number' ? String(dim) : dim));
  return `[${dims.join(', ')}]`;
}

/** A tensor as ORT's profiler records it, compact: ("float", [1, 3, 64, 64]) → "float[1,3,64,64]". */
export function formatCompactShape(type: string, dims: readonly number[]): string {
  return `${type}[${dims.map((dim) => String(dim)).join(',')}]`;
}

/** A phase bound in words: "auto", "1,000 iterations", "5.00 s". */
export function formatBound(bound: PhaseBound): string {
  switch (bound.kind) {
    case 'auto':
      return 'auto';
    case 'count':
      return `${formatCount(bound.iterations)} iterations`;
    case 'time':
      return formatMs(bound.ms);
  }
}

/** Why the measurement stopped, in words, naming the bound that applied. */
export function formatStopReason(reason: StopReason, bound: PhaseBound): string {
  const limit = formatBound(bound);
  switch (reason) {
    case 'iterations':
      return `reached the requested ${limit} (-n)`;
    case 'duration':
      return `the requested duration of ${limit} elapsed (--duration)`;
    case 'auto-target':
      return 'auto: enough samples for p99 and the minimum time elapsed';
    case 'auto-time-budget':
      return 'auto: the time budget ran out before enough samples for p99 (slow model)';
    case 'max-iterations':
      return `hit the safety cap on iterations (bound: ${limit})`;
    case 'interrupted':
      return 'interrupted (Ctrl-C)';
    case 'overloaded':
      return 'ended early: overloaded, the queue kept growing (--rate)';
  }
}

/** "50 iterations in 120 ms". */
export function formatPhase(iterations: number, durationMs: number): string {
  const noun = iterations === 1 ? 'iteration' : 'iterations';
  return `${formatCount(iterations)} ${noun} in ${formatMs(durationMs)}`;
}

/** "converged at iteration 12" or "not converged". */
export function formatConvergence(convergedAt: number | null): string {
  return convergedAt === null ? 'not converged' : `converged at iteration ${formatCount(convergedAt)}`;
}

/** Thread count, null meaning the runtime's default. */
export function formatThreads(threads: number | null): string {
  return threads === null ? 'default' : formatCount(threads);
}

/** Batch size; null means the model's own (in a plan) or no settable batch dim (in a result). */
export function formatBatch(batch: number | null): string {
  return batch === null ? 'model' : formatCount(batch);
}

/** CPU clock: 3600 → "3.60 GHz". */
export function formatMHz(mhz: number): string {
  if (!Number.isFinite(mhz) || mhz <= 0) return NOT_AVAILABLE;
  return mhz >= 1000 ? `${threeSignificant(mhz / 1000)} GHz` : `${formatCount(mhz)} MHz`;
}

/** First 12 hex digits of a digest. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

/** An ISO timestamp for people: "2025-01-31 14:05:09 UTC". */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A compact UTC stamp for file names: "20250131-140509". */
export function fileStamp(iso: string): string {
  const date = new Date(iso);
  const safe = Number.isNaN(date.getTime()) ? new Date(0) : date;
  return safe.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/** Three significant digits, switching to exponent form for tiny or huge values. */
export function formatSignificant(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude < 1e-3 || magnitude >= 1e6 ? value.toExponential(2) : value.toPrecision(3);
}

/** A signed change or headroom: +0.2 → "+20%", −0.05 → "−5.0%". */
export function formatSignedPercent(fraction: number): string {
  if (fraction === Infinity) return '+∞';
  if (fraction === -Infinity) return '−∞';
  if (!Number.isFinite(fraction)) return formatPercent(fraction);
  const sign = fraction > 0 ? '+' : fraction < 0 ? '−' : '';
  return `${sign}${formatPercent(Math.abs(fraction))}`;
}

/** An axis tick: up to three significant digits, no trailing zeros, grouped: 0.5 → "0.5", 2000 → "2,000". */
export function formatTick(value: number): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  const rounded = Number(value.toPrecision(3));
  return Math.abs(rounded) >= 1000 ? grouped.format(rounded) : String(rounded);
}

/**
 * Headroom left under a budget. Beyond a 100% overrun a percentage stops being readable
 * ("−183500%"): say how many times over the limit instead ("1,836× the limit").
 */
export function formatHeadroom(fraction: number): string {
  if (!Number.isFinite(fraction) || fraction >= -1) return formatSignedPercent(fraction);
  const times = 1 - fraction; // measured ÷ limit, for a latency budget
  return `${times >= 10 ? Math.round(times).toLocaleString('en-US') : times.toFixed(1)}× the limit`;
}

/** A variant's coverage in a table cell: "4/4 ops" — nodes converted of those eligible. */
export function formatCoverage(coverage: VariantCoverage): string {
  const converted = coverage.ops.reduce((n, o) => n + o.converted, 0);
  const eligible = coverage.ops.reduce((n, o) => n + o.eligible, 0);
  return `${formatCount(converted)}/${formatCount(eligible)} ops`;
}

/** "Conv 3/3, Gemm 1/1; weights 223 KiB → 58.2 KiB; 100% of the MatMul/Gemm/Conv weights; 3 Constant weights folded". */
export function formatCoverageDetail(coverage: VariantCoverage): string {
  const ops = coverage.ops.map((o) => `${o.opType} ${formatCount(o.converted)}/${formatCount(o.eligible)}`).join(', ') || 'no eligible op';
  const share = coverage.computeWeightShare === null ? '' : `; ${formatPercent(coverage.computeWeightShare)} of the MatMul/Gemm/Conv weights`;
  const folded = coverage.foldedConstants > 0 ? `; ${formatCount(coverage.foldedConstants)} Constant/Identity/Cast weights folded first` : '';
  const raise = coverage.opsetRaise;
  const raised = raise ? `; opset ${raise.from} → ${raise.to}${raise.converted.length > 0 ? ` (${raise.converted.map((c) => `${formatCount(c.nodes)} ${c.opType}`).join(', ')} converted)` : ''}` : '';
  return `${ops}; weights ${formatBytes(coverage.weightBytes.before)} → ${formatBytes(coverage.weightBytes.after)}${share}${folded}${raised}`;
}
