// How a sweep is cut into lines: the x axis is the swept numeric axis with the most values
// (batch, else threads, else concurrency), and every other configuration field that varies
// (device, precision, the other axes) names a line. Pure grouping, no drawing.
import type { TrialOk, TrialResult } from '../../types.js';

export type XAxisField = 'batch' | 'threads' | 'concurrency';

const X_FIELDS: readonly XAxisField[] = ['batch', 'threads', 'concurrency'];

function fieldValue(t: TrialResult, field: XAxisField): number | null {
  if (field === 'concurrency') return t.spec.concurrency ?? 1;
  return t.spec[field];
}

/** The swept axis to draw along, or null when no numeric axis has two values. */
export function sweepAxis(trials: readonly TrialResult[]): XAxisField | null {
  const counts = X_FIELDS.map((f) => ({ f, n: new Set(trials.map((t) => fieldValue(t, f)).filter((v) => v !== null)).size }));
  const best = counts.reduce((a, b) => (b.n > a.n ? b : a));
  return best.n >= 2 ? best.f : null;
}

export interface SweepLine {
  label: string;
  /** Ok trials sorted along x. */
  points: { x: number; trial: TrialOk }[];
}

function groupLabel(t: TrialResult, varying: readonly string[]): string {
  const parts: string[] = [];
  if (varying.includes('device')) parts.push(t.spec.device);
  if (varying.includes('precision')) parts.push(t.spec.precision);
  if (varying.includes('batch')) parts.push(`batch ${t.spec.batch ?? 'model'}`);
  if (varying.includes('threads')) parts.push(`threads ${t.spec.threads ?? 'auto'}`);
  if (varying.includes('concurrency')) parts.push(`concurrency ${t.spec.concurrency ?? 1}`);
  if (varying.includes('graphOptimization')) parts.push(`graph-opt ${t.spec.graphOptimization}`);
  return parts.length > 0 ? parts.join(' · ') : `${t.spec.device} ${t.spec.precision}`;
}

/** One line per configuration of the other fields, in first-seen (plan) order. */
export function sweepLines(trials: readonly TrialResult[], axis: XAxisField): SweepLine[] {
  const fields = ['device', 'precision', 'batch', 'threads', 'concurrency', 'graphOptimization'].filter((f) => f !== axis);
  const varying = fields.filter((f) => new Set(trials.map((t) => String(f === 'concurrency' ? (t.spec.concurrency ?? 1) : t.spec[f as keyof typeof t.spec]))).size > 1);
  const lines = new Map<string, SweepLine>();
  for (const t of trials) {
    const label = groupLabel(t, varying);
    const entry = lines.get(label) ?? { label, points: [] };
    lines.set(label, entry);
    const x = fieldValue(t, axis);
    if (t.status === 'ok' && x !== null) entry.points.push({ x, trial: t });
  }
  for (const l of lines.values()) l.points.sort((a, b) => a.x - b.x);
  return [...lines.values()].filter((l) => l.points.length > 0);
}

/** The fp32 trial of the same configuration (device, batch, threads, concurrency, graph opt). */
export function referenceFor(trial: TrialOk, trials: readonly TrialResult[]): TrialOk | undefined {
  const same = (a: TrialResult): boolean =>
    a.spec.device === trial.spec.device && a.spec.batch === trial.spec.batch && a.spec.threads === trial.spec.threads &&
    (a.spec.concurrency ?? 1) === (trial.spec.concurrency ?? 1) && a.spec.graphOptimization === trial.spec.graphOptimization;
  return trials.find((a): a is TrialOk => a.status === 'ok' && a.spec.precision === 'fp32' && same(a));
}
