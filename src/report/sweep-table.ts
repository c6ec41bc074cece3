// The sweep at a glance: one row per trial with per-stage p50/p99, throughput, speed-up against
// the baseline trial and accuracy drift, so "which batch, precision and device should I ship?"
// is answered on one screen. Shared by the console and Markdown exporters.
import type { Report, TrialOk, TrialResult } from '../types.js';
import { formatBatch, formatCoverage, formatMs, formatPercent, formatPercentileCell, formatRate, formatRatio, formatSignificant, formatThreads } from './format.js';

export const SWEEP_HEADER: readonly string[] = [
  'device', 'precision', 'batch', 'threads', 'status',
  'infer p50', 'infer p99', 'total p50', 'total p99', 'throughput', 'speed-up', 'cosine', 'max |err|', 'top-1', 'converted',
];

/** The baseline: the first trial that ran (the plan puts fp32, the first device and batch first). */
export function baselineTrial(trials: readonly TrialResult[]): TrialOk | undefined {
  return trials.find((t): t is TrialOk => t.status === 'ok' && t.spec.precision === 'fp32') ?? trials.find((t): t is TrialOk => t.status === 'ok');
}

export interface SweepTable {
  header: string[];
  rows: string[][];
  /** Columns from this index on are numbers (right-aligned). */
  firstNumeric: number;
  /** Configuration every trial shares (e.g. ['cpu', 'fp32']), left out of the columns. */
  shared: string[];
}

/** A cell that says nothing: empty, or the fp32 reference's own accuracy ('ref'). */
const blank = (cell: string | undefined): boolean => cell === undefined || cell === '' || cell === 'ref';

/**
 * Narrow the table for an 80-column terminal: a configuration column with one value in every row
 * moves to `shared` (said once, in the title), and result columns blank in every row go (an
 * fp32-only sweep has no accuracy to show).
 */
function prune(header: string[], rows: string[][], configColumns: number): SweepTable {
  const keep: number[] = [];
  const shared: string[] = [];
  header.forEach((_, c) => {
    const values = new Set(rows.map((r) => r[c]));
    if (c < configColumns && values.size === 1) shared.push(rows[0]![c]!);
    else if (c >= configColumns && rows.every((r) => blank(r[c]))) return;
    else keep.push(c);
  });
  const pick = (row: string[]): string[] => keep.map((c) => row[c] ?? '');
  return { header: pick(header), rows: rows.map(pick), firstNumeric: keep.filter((c) => c < configColumns).length + 1, shared };
}

/** The table for a report with more than one trial; null when there is nothing to compare. */
export function sweepTable(report: Report): SweepTable | null {
  if (report.trials.length < 2) return null;
  // The concurrency column appears only when some trial ran more than one stream.
  const concurrent = report.trials.some((t) => (t.spec.concurrency ?? 1) > 1);
  const header = concurrent ? [...SWEEP_HEADER.slice(0, 4), 'concurrency', ...SWEEP_HEADER.slice(4)] : [...SWEEP_HEADER];
  const configColumns = concurrent ? 5 : 4;
  return prune(header, sweepRows(report, concurrent), configColumns);
}

function sweepRows(report: Report, concurrent: boolean): string[][] {
  const baseline = baselineTrial(report.trials);
  return report.trials.map((trial) => {
    const config = [trial.spec.device, trial.spec.precision, formatBatch(trial.spec.batch), formatThreads(trial.spec.threads)];
    if (concurrent) config.push(String(trial.spec.concurrency ?? 1));
    if (trial.status !== 'ok') return [...config, trial.status, ...Array<string>(SWEEP_HEADER.length - 5).fill('')];
    const { inference, total } = trial.stages;
    const accuracy = trial.accuracy?.overall;
    const speedUp = baseline ? trial.throughput.itemsPerSec / baseline.throughput.itemsPerSec : Number.NaN;
    const paired = trial.pairedSpeedUp;
    return [
      ...config,
      trial === baseline ? 'ok (baseline)' : 'ok',
      formatMs(inference.p50Ms),
      formatPercentileCell(inference, 'p99'),
      formatMs(total.p50Ms),
      formatPercentileCell(total, 'p99'),
      formatRate(trial.throughput.itemsPerSec, 'items/s'),
      paired ? `${formatRatio(paired.ratio)} ±${formatPercent((paired.ci[1] - paired.ci[0]) / 2 / paired.ratio)}` : Number.isFinite(speedUp) ? formatRatio(speedUp) : '',
      trial.accuracy?.identical ? 'identical' : accuracy ? accuracy.cosineSimilarity.toFixed(5) : trial.spec.precision === 'fp32' ? 'ref' : '',
      accuracy ? formatSignificant(accuracy.maxAbsError) : '',
      accuracy?.top1Agreement != null ? formatPercent(accuracy.top1Agreement) : '',
      trial.variant?.coverage ? formatCoverage(trial.variant.coverage) : '',
    ];
  });
}

/** Dropped first when the sweep must fit a narrow terminal: tails and ratios, not the medians. */
const DROP_ORDER = ['total p99', 'infer p99', 'max |err|', 'top-1', 'speed-up', 'total p50'];

/**
 * The table without its least needed columns, one at a time, until `fits` says yes (or nothing
 * is left to drop). Returns the names dropped, so the reader is told.
 */
export function narrowSweep(table: SweepTable, fits: (t: SweepTable) => boolean): { table: SweepTable; dropped: string[] } {
  let current = table;
  const dropped: string[] = [];
  for (const name of DROP_ORDER) {
    if (fits(current)) break;
    const c = current.header.indexOf(name);
    if (c < 0) continue;
    const without = (row: string[]): string[] => row.filter((_, i) => i !== c);
    current = { ...current, header: without(current.header), rows: current.rows.map(without) };
    dropped.push(name);
  }
  return { table: current, dropped };
}
