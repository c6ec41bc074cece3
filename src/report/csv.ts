// CSV: one row per trial and stage ("tidy" long format), for spreadsheets, pandas and
// `csvlook`. Numbers are plain (milliseconds, unformatted) so tools can read them; a percentile
// without enough samples behind it is left empty rather than printed as if it were trustworthy,
// and `insufficient` names those percentiles. Failed and skipped trials get one row, with why.
// RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break.
import { PERCENTILE_FIELD, type Report, type StageStats, type TrialResult } from '../types.js';
import { PERCENTILE_KEYS } from '../measure/sample-rules.js';
import type { Exporter } from './exporter.js';
import { csvNumber } from './format.js';

const PERCENTILES = PERCENTILE_KEYS.map((key) => [key, PERCENTILE_FIELD[key]] as const);

export const CSV_COLUMNS = [
  'trial', 'model', 'device', 'precision', 'batch', 'threads', 'concurrency', 'status', 'backend', 'stage', 'count',
  'min_ms', 'mean_ms', 'stddev_ms', 'p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'p999_ms', 'max_ms', 'cv',
  'insufficient', 'inferences_per_s', 'items_per_s', 'bottleneck', 'reason',
] as const;

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function stageCells(stats: StageStats): string[] {
  const percentiles = PERCENTILES.map(([key, field]) => (stats.insufficient.includes(key) ? '' : csvNumber(stats[field])));
  return [
    csvNumber(stats.count), csvNumber(stats.minMs), csvNumber(stats.meanMs), csvNumber(stats.stddevMs),
    ...percentiles, csvNumber(stats.maxMs), csvNumber(stats.cv), stats.insufficient.join(';'),
  ];
}

function trialRows(report: Report, trial: TrialResult): string[][] {
  const { spec } = trial;
  const config = [spec.id, report.model.path, spec.device, spec.precision, spec.batch === null ? '' : csvNumber(spec.batch), spec.threads === null ? '' : csvNumber(spec.threads), csvNumber(spec.concurrency ?? 1), trial.status];
  const blankStats = Array.from({ length: 12 }, () => '');
  if (trial.status === 'failed') return [[...config, '', '', ...blankStats, '', '', '', `${trial.phase}: ${trial.error.message}`]];
  if (trial.status === 'skipped') return [[...config, '', '', ...blankStats, '', '', '', trial.reason]];
  const stages = Object.entries(trial.stages) as [string, StageStats][];
  const order = ['load', 'preprocess', 'inference', 'postprocess', 'total'];
  stages.sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  const { inferencesPerSec, itemsPerSec } = trial.throughput;
  return stages.map(([stage, stats]) => [
    ...config, trial.backend, stage, ...stageCells(stats),
    csvNumber(inferencesPerSec), csvNumber(itemsPerSec), trial.bottleneck?.label ?? '', '',
  ]);
}

export function renderCsv(report: Report): string {
  const rows = [[...CSV_COLUMNS], ...report.trials.flatMap((trial) => trialRows(report, trial))];
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export const csvExporter: Exporter = {
  format: 'csv',
  extension: 'csv',
  render: (report) => renderCsv(report),
};
