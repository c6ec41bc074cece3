// The sweep at a glance: one row per trial with per-stage p50/p99, throughput, speed-up against
// the baseline trial and accuracy drift, so "which batch, precision and device should I ship?"
// is answered on one screen. Throughput is sequential (each trial's own run, wall time) with a
// batch-means interval; the speed-up is paired (interleaved with the baseline) with its interval
// where measured, and marked "seq." where it is only a ratio of sequential runs. Shared by the console and Markdown exporters.
import type { Report, TrialOk, TrialResult } from '../types.js';
import { formatBatch, formatCoverage, formatMs, formatPercent, formatPercentileCell, formatRate, formatRatio, formatSignificant, formatThreads } from './format.js';

export const SWEEP_HEADER: readonly string[] = [
  'device', 'precision', 'batch', 'threads', 'status',
  'infer p50', 'infer p99', 'total p50', 'total p99', 'throughput (seq.)', 'speed-up', 'cosine', 'max |err|', 'top-1', 'converted',
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
    const speedUp = baseline ? speedUpOf(trial, baseline) : null;
    return [
      ...config,
      trial === baseline ? 'ok (baseline)' : 'ok',
      formatMs(inference.p50Ms),
      formatPercentileCell(inference, 'p99'),
      formatMs(total.p50Ms),
      formatPercentileCell(total, 'p99'),
      formatThroughputCell(trial),
      speedUp === null ? '' : formatSpeedUpCell(speedUp),
      trial.accuracy?.identical ? 'identical' : accuracy ? accuracy.cosineSimilarity.toFixed(5) : trial.spec.precision === 'fp32' ? 'ref' : '',
      accuracy ? formatSignificant(accuracy.maxAbsError) : '',
      accuracy?.top1Agreement != null ? formatPercent(accuracy.top1Agreement) : '',
      trial.variant?.coverage ? formatCoverage(trial.variant.coverage) : '',
    ];
  });
}

/** The speed-up the table shows: paired (with its interval) when measured, else the ratio of sequential items/s. */
export interface TableSpeedUp {
  ratio: number;
  ci: [number, number] | null;
  paired: boolean;
}

/** A trial's speed-up against the baseline, as the sweep table, the charts and "best" use it. */
export function speedUpOf(trial: TrialOk, baseline: TrialOk): TableSpeedUp {
  if (trial === baseline || trial.spec.id === baseline.spec.id) return { ratio: 1, ci: null, paired: true };
  const p = trial.pairedSpeedUp;
  if (p !== undefined && p.vsTrial === baseline.spec.id) return { ratio: p.ratio, ci: p.ci, paired: true };
  return { ratio: trial.throughput.itemsPerSec / baseline.throughput.itemsPerSec, ci: null, paired: false };
}

/** "2.06× ±3%" (paired), "0.79× seq." (sequential ratio, no interval), "1×" for the baseline. */
export function formatSpeedUpCell(s: TableSpeedUp): string {
  if (!Number.isFinite(s.ratio)) return '';
  if (s.ci !== null) return `${formatRatio(s.ratio)} ±${formatPercent((s.ci[1] - s.ci[0]) / 2 / s.ratio)}`;
  return s.paired ? formatRatio(s.ratio) : `${formatRatio(s.ratio)} seq.`;
}

/** "1,354 items/s ±4%": sequential (wall time) items/s and the half-width of its 95% interval. */
export function formatThroughputCell(trial: TrialOk): string {
  const text = formatRate(trial.throughput.itemsPerSec, 'items/s');
  const i = trial.throughput.interval;
  if (i === undefined || !(trial.throughput.itemsPerSec > 0)) return text;
  return `${text} ±${formatPercent((i.itemsPerSec[1] - i.itemsPerSec[0]) / 2 / trial.throughput.itemsPerSec)}`;
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
