// The --serve section (report.servingOverhead), shared by the console, Markdown and HTML
// exporters: what serving adds per protocol at p50 and p99, and where the mean request's time
// goes (the table the HTML page draws as one stacked bar chart per protocol).
import type { Report, ServedRow, ServedSegments, ServingOverhead } from '../types.js';
import { formatMs, formatRate, formatThreads } from './format.js';

/** The stacked bar's segments, in drawing order from the base. */
export const SEGMENTS: readonly { key: keyof ServedSegments; label: string }[] = [
  { key: 'inferenceMs', label: 'inference (in process)' },
  { key: 'serializeMs', label: 'serialize' },
  { key: 'transportMs', label: 'transport' },
  { key: 'queueMs', label: 'server queue (avg)' },
  { key: 'deserializeMs', label: 'deserialize' },
];

const PERCENTILE_HEADER: readonly string[] = ['protocol', 'trial', 'in process p50', 'served p50', 'adds p50', 'served p99', 'adds p99', 'serialize p50', 'request p50', 'deserialize p50', 'queue (avg)', 'compute (avg)'];
const MEAN_HEADER: readonly string[] = ['protocol', 'trial', ...SEGMENTS.map((s) => s.label), 'served (mean)'];

export interface ServingTable {
  header: string[];
  rows: string[][];
  /** The first numeric column (right-aligned from here). */
  firstNumeric: number;
}

const ms = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : formatMs(value));

/** The trial column only when the run had more than one in-process configuration (a batch sweep). */
function shaped(section: ServingOverhead, header: readonly string[], rows: string[][]): ServingTable {
  if (new Set(section.rows.map((r) => r.inProcessTrialId)).size > 1) return { header: [...header], rows, firstNumeric: 2 };
  return { header: header.filter((_, i) => i !== 1), rows: rows.map((r) => r.filter((_, i) => i !== 1)), firstNumeric: 1 };
}

/** One row per protocol × in-process trial: percentiles of the whole request; server figures are averages. */
export function percentileTable(section: ServingOverhead): ServingTable {
  return shaped(section, PERCENTILE_HEADER, section.rows.map((r) => {
    if (!r.p50 || !r.p99) return [r.label, r.inProcessTrialId, r.error ?? 'not measured', ...Array<string>(PERCENTILE_HEADER.length - 3).fill('')];
    return [r.label, r.inProcessTrialId, ms(r.p50.inProcessMs), ms(r.p50.servedMs), signedMs(r.p50.overheadMs), ms(r.p99.servedMs), signedMs(r.p99.overheadMs), ms(r.p50.serializeMs), ms(r.p50.requestMs), ms(r.p50.deserializeMs), ms(r.server?.queueMs), ms(r.server?.computeMs)];
  }));
}

/** The picture's numbers: mean segments that add up to the served mean. */
export function meanTable(section: ServingOverhead): ServingTable {
  return shaped(section, MEAN_HEADER, section.rows.filter((r) => r.segments).map((r) => [r.label, r.inProcessTrialId, ...SEGMENTS.map((s) => ms(r.segments![s.key])), ms(r.servedMeanMs)]));
}

function signedMs(value: number): string {
  return value > 0 ? `+${formatMs(value)}` : formatMs(value);
}

/** The served rows that have a picture, grouped by protocol in run order. */
export function rowsByProtocol(section: ServingOverhead): { label: string; rows: ServedRow[] }[] {
  const groups = new Map<string, ServedRow[]>();
  for (const row of section.rows) groups.set(row.label, [...(groups.get(row.label) ?? []), row]);
  return [...groups.entries()].map(([label, rows]) => ({ label, rows }));
}

export function servingTitle(): string {
  return 'Where the time goes: in process vs served';
}

/** What the figures are and how they were taken, in a few lines. */
export function servingNotes(report: Report, section: ServingOverhead): string[] {
  const s = section.server;
  const flag = (name: string): string | undefined => s.argv[s.argv.indexOf(name) + 1];
  const maxBatch = s.argv.includes('--max-batch') ? Number(flag('--max-batch')) : 1;
  const rates = [...new Set(section.rows.filter((r) => r.loop === 'open').map((r) => formatRate(r.rate ?? 0, 'req/s')))];
  const noStats = [...new Set(section.rows.filter((r) => r.segments && r.segments.queueMs === null).map((r) => r.label))];
  return [
    `The same model in process and behind a local \`inferbench serve\` (one process on 127.0.0.1, ${s.device}, threads ${formatThreads(s.threads)}, ${maxBatch > 1 ? `dynamic batching up to ${maxBatch}` : 'no batching'}), closed loop${rates.length > 0 ? ` and open loop at ${rates.join(', ')}` : ''}, ${report.trials.length} trials in all (the served ones are named by protocol).`,
    'adds = served − in process at that percentile (the whole request). serialize, request and deserialize are the client\'s stages (their percentiles do not add up); queue and compute are the server\'s AVERAGES from its statistics extension (it keeps sums, not distributions).',
    'The mean table (the HTML picture) adds up: inference in process + serialize + transport + server queue + deserialize = the served mean. transport is the rest: the HTTP/gRPC stack, the network, and the server\'s own decoding and encoding.',
    ...(rates.length > 0 ? ['Open loop: both sides timed from the intended arrival at the same offered rate. The in-process base leaves out its wait in the in-process queue (the server\'s queue is its own segment); the client sends bodies prepared once per connection, so serialize is about 0 there (the closed-loop row shows what serialising costs), and transport also holds any wait for a free client connection.'] : []),
    ...(noStats.length > 0 ? [`${noStats.join(', ')}: no statistics over that API, so its queue is not shown and counts in transport.`] : []),
    ...section.rows.filter((r) => r.error).map((r) => `${r.label} (${r.inProcessTrialId}): ${r.error}`),
  ];
}
