// Practical thresholds: the smallest relative change worth failing a build for. `--threshold 5%`
// sets the default, `--threshold p99=10%` one metric, `--threshold inference.p99=10%` one stage's
// metric (most specific wins).
import { InferbenchError } from '../errors.js';

export const METRICS = ['p50', 'p90', 'p99', 'mean', 'throughput'] as const;
/** p50/p90/p99/mean are latencies of a stage (smaller is better); throughput is per trial. */
export type Metric = (typeof METRICS)[number];

/** Default practical threshold: 5%, the change CI runners' run-to-run drift rarely exceeds. */
export const DEFAULT_THRESHOLD = 0.05;

export interface Thresholds {
  /** Relative change (0.05 = 5%) applied where nothing more specific is set. */
  default: number;
  /** Keyed by metric ('p99') or stage.metric ('inference.p99'). */
  overrides: Record<string, number>;
}

const STAGES = ['preprocess', 'inference', 'postprocess', 'total'];
const HINT = 'use a percentage: --threshold 5% (all metrics), --threshold p99=10% or --threshold inference.p99=10%';

/** "5%" → 0.05. */
export function parsePercent(raw: string, what: string, hint = HINT): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(raw);
  if (!match) throw new InferbenchError('usage', `${what} '${raw}' is not a percentage`, hint);
  const value = Number(match[1]) / 100;
  // 0% is a threshold too: any change whose whole interval lies above zero counts.
  if (!(value >= 0 && value < 10)) throw new InferbenchError('usage', `${what} must be from 0% to below 1000%, got '${raw}'`, hint);
  return value;
}

/** The run-to-run allowance (significance.ts RUN_VARIANCE): "10%" → 0.1; "0%" is allowed. */
export function parseRunVariance(raw: string, what = '--run-variance'): number {
  const hint = 'use a percentage, e.g. --run-variance 10% (0% on a machine whose runs agree exactly); or measure it: profile with --repeat 5';
  return /^\s*0+(\.0+)?\s*%\s*$/.test(raw) ? 0 : parsePercent(raw, what, hint);
}

/** Parse every --threshold value; later values override earlier ones for the same key. */
export function parseThresholds(raws: readonly string[], base: Thresholds = { default: DEFAULT_THRESHOLD, overrides: {} }): Thresholds {
  const result: Thresholds = { default: base.default, overrides: { ...base.overrides } };
  for (const raw of raws) {
    const eq = raw.indexOf('=');
    if (eq < 0) {
      result.default = parsePercent(raw, '--threshold');
      continue;
    }
    const key = raw.slice(0, eq).trim();
    checkKey(key, raw);
    result.overrides[key] = parsePercent(raw.slice(eq + 1), `--threshold ${key}`);
  }
  return result;
}

function checkKey(key: string, raw: string): void {
  const [first, second, ...rest] = key.split('.');
  const metricOk = (m: string | undefined): boolean => (METRICS as readonly string[]).includes(m ?? '');
  const ok = rest.length === 0 && (second === undefined ? metricOk(first) : STAGES.includes(first ?? '') && metricOk(second) && second !== 'throughput');
  if (!ok) {
    throw new InferbenchError('usage', `--threshold '${raw}': unknown metric '${key}'`, `metrics: ${METRICS.join(', ')}; stages: ${STAGES.join(', ')} (e.g. inference.p99=10%)`);
  }
}

/** The threshold that applies to `metric` of `stage` (stage is ignored for throughput). */
export function thresholdFor(thresholds: Thresholds, stage: string, metric: Metric): number {
  return thresholds.overrides[`${stage}.${metric}`] ?? thresholds.overrides[metric] ?? thresholds.default;
}
