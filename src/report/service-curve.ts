// The latency–throughput curve of open-loop (service) trials, the knee found by `--rate auto`
// and the batching advice, as rows and lines shared by the console, Markdown and HTML exporters
// (the HTML chart is html/chart-service.ts). One curve per serving setting: the trials whose ids
// differ only in their rate.
import type { BatchingAdvice, KneeSearch, Report, TrialOk } from '../types.js';
import { formatMs, formatPercent, formatRate } from './format.js';

export interface CurvePoint {
  trial: TrialOk;
  offeredRate: number;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  meanBatch: number;
  overloaded: boolean;
}

export interface ServiceCurve {
  /** The trial id without its rate: the serving setting. */
  key: string;
  points: CurvePoint[];
  knee?: KneeSearch;
}

/** A service trial's id without `rate=…`: the setting its curve is named by. */
export function settingKey(trialId: string): string {
  return trialId.replace(/\s*\brate=\S+/, '').trim();
}

/** Every service trial on its setting's curve, sorted by offered rate; knees attached by setting. */
export function serviceCurves(report: Report): ServiceCurve[] {
  const curves = new Map<string, ServiceCurve>();
  for (const trial of report.trials) {
    if (trial.status !== 'ok' || trial.service === undefined) continue;
    const key = settingKey(trial.spec.id);
    const curve = curves.get(key) ?? { key, points: [] };
    curves.set(key, curve);
    const s = trial.service;
    curve.points.push({
      trial, offeredRate: s.offeredRate, achievedRate: s.achievedRate,
      p50Ms: trial.stages.total.p50Ms, p99Ms: trial.stages.total.p99Ms,
      meanBatch: s.meanBatchSize, overloaded: s.overload.verdict === 'overloaded',
    });
  }
  for (const knee of report.knee ?? []) {
    const curve = curves.get(knee.baseTrialId);
    if (curve) curve.knee = knee;
  }
  for (const curve of curves.values()) curve.points.sort((a, b) => a.offeredRate - b.offeredRate);
  return [...curves.values()];
}

export const CURVE_HEADER: readonly string[] = ['setting', 'offered', 'achieved', 'p50', 'p99', 'mean batch', 'state'];

/** One row per service trial; an overloaded trial shows no percentile (its queue grew with the run). */
export function curveRows(curves: readonly ServiceCurve[]): string[][] {
  return curves.flatMap((c) =>
    c.points.map((p) => [
      c.key, formatRate(p.offeredRate, 'req/s'), formatRate(p.achievedRate, 'req/s'),
      p.overloaded ? '—' : formatMs(p.p50Ms), p.overloaded ? '—' : formatMs(p.p99Ms),
      p.meanBatch.toFixed(2), p.overloaded ? 'OVERLOADED' : 'stable',
    ]),
  );
}

export function percentileName(fraction: number): string {
  const pct = Number((fraction * 100).toPrecision(4));
  return `p${String(pct).replace('.', '')}`;
}

/** "knee of cpu fp32 …: 412 req/s meets p99 ≤ 50 ms (99% confidence); 433 req/s did not (±5.1%); 7 probes". */
export function kneeLine(k: KneeSearch): string {
  const budget = `${k.stage}.${percentileName(k.percentile)} ≤ ${formatMs(k.targetMs)}`;
  const probes = `${k.probes.length} probe${k.probes.length === 1 ? '' : 's'}`;
  const capacity = k.capacity ? `, capacity ≈ ${formatRate(k.capacity.rate, 'req/s')}` : '';
  if (k.kneeRate === null) {
    const why = k.stop === 'below-min-rate' && k.capacity ? ': at an eighth of the capacity queueing adds little, so the model\'s own latency misses the budget' : ` (${k.stop})`;
    return `knee of ${k.baseTrialId}: no rate down to ${formatRate(Math.min(...k.probes.map((p) => p.rate)), 'req/s')} meets ${budget}${why}; ${probes}${capacity}`;
  }
  const failed = k.failedRate === null ? `no probe failed (${k.stop})` : `${formatRate(k.failedRate, 'req/s')} did not (precision ${formatPercent(k.precision ?? 0)}, asked ${formatPercent(k.targetPrecision)})`;
  return `knee of ${k.baseTrialId}: ${formatRate(k.kneeRate, 'req/s')} meets ${budget} at ${formatPercent(k.confidence)} confidence; ${failed}; ${probes}${capacity}`;
}

export const KNEE_PROBE_HEADER: readonly string[] = ['rate', 'phase', 'verdict', 'requests', 'over target', 'needed', 'percentile', 'achieved', 'mean batch'];

export function kneeProbeRows(k: KneeSearch): string[][] {
  return k.probes.map((p) => [
    formatRate(p.rate, 'req/s'), p.phase, p.verdict, String(p.requests), String(p.overTarget), String(p.needed),
    p.percentileMs === null || p.verdict === 'overloaded' ? '—' : formatMs(p.percentileMs),
    p.achievedRate === null ? '—' : formatRate(p.achievedRate, 'req/s'), p.meanBatch === null ? '—' : p.meanBatch.toFixed(2),
  ]);
}

export const SERVICE_TIME_HEADER: readonly string[] = ['batch (items)', 'S(b) mean', 'per item', 'cv', 'batches'];

export function serviceTimeRows(a: BatchingAdvice): string[][] {
  return a.serviceTimes.map((p) => [String(p.batch), formatMs(p.meanMs), formatMs(p.meanMs / p.batch), p.cv.toFixed(2), String(p.batches)]);
}

export const REPLAY_HEADER: readonly string[] = ['max batch', 'max delay', 'policy', 'predicted knee', 'replayed knee', 'replayed/predicted', 'mean batch'];

export function replayRows(a: BatchingAdvice): string[][] {
  return a.replays.map((r) => [
    String(r.maxBatch), formatMs(r.maxDelayMs), r.batching, formatRate(r.predictedKneeRate, 'req/s'),
    r.kneeRate === null ? 'none' : formatRate(r.kneeRate, 'req/s'),
    r.kneeRate === null || r.predictedKneeRate === 0 ? '—' : (r.kneeRate / r.predictedKneeRate).toFixed(2),
    r.meanBatch === null ? '—' : r.meanBatch.toFixed(2),
  ]);
}

/** A line of a block: text, or a label with a config snippet (shown as code where the format has it). */
export type ServiceLine = string | { label: string; code: string };

export function lineText(line: ServiceLine): string {
  return typeof line === 'string' ? line : `${line.label}: ${line.code}`;
}

/** The recommendation in each server's config keys, one line each; or the reason there is none. */
export function adviceLines(a: BatchingAdvice): ServiceLine[] {
  const r = a.recommendation;
  if (r === null) return [`no batching recommended: ${a.reason}`];
  const lines: ServiceLine[] = [`recommended: max batch ${r.maxBatch}, max delay ${formatMs(r.maxDelayMs)} (${r.batching}) — replayed knee ${formatRate(r.kneeRate ?? 0, 'req/s')}, ${r.gainOverNoBatching.toFixed(2)}× no batching's; ${a.reason}`];
  const s = r.servers;
  if (s.triton) lines.push({ label: 'Triton config.pbtxt', code: `max_batch_size: ${s.triton.max_batch_size}  dynamic_batching { max_queue_delay_microseconds: ${s.triton.dynamic_batching.max_queue_delay_microseconds} }  instance_group [ { count: ${s.triton.instance_group.count} } ]` });
  if (s.torchserve) lines.push({ label: 'TorchServe (max_batch_delay in ms)', code: `batch_size=${s.torchserve.batch_size} max_batch_delay=${s.torchserve.max_batch_delay} workers=${s.torchserve.workers}` });
  if (s.ray_serve) lines.push({ label: 'Ray Serve', code: `@serve.batch(max_batch_size=${s.ray_serve.max_batch_size}, batch_wait_timeout_s=${s.ray_serve.batch_wait_timeout_s}), num_replicas=${s.ray_serve.num_replicas}` });
  return lines;
}

/** A titled block: an optional table and lines under it. */
export interface ServiceBlock {
  title: string;
  table?: { header: readonly string[]; rows: string[][]; firstNumeric: number };
  lines: ServiceLine[];
}

/** The curve, each knee with its probes, and the batching advice, in reading order; [] without service trials. */
export function serviceBlocks(report: Report): ServiceBlock[] {
  const blocks: ServiceBlock[] = [];
  const curves = serviceCurves(report);
  if (curves.some((c) => c.points.length > 0)) {
    const overloaded = curves.some((c) => c.points.some((p) => p.overloaded));
    blocks.push({
      title: 'Latency–throughput curve',
      table: { header: CURVE_HEADER, rows: curveRows(curves), firstNumeric: 1 },
      lines: overloaded ? ['OVERLOADED: arrivals outpaced service, the queue grew for as long as the trial ran; no stable percentile exists at that rate.'] : [],
    });
  }
  for (const k of report.knee ?? []) {
    const saturated = k.probes.filter((p) => report.trials.some((t) => t.spec.id === p.trialId && t.status === 'ok' && t.warnings.some((w) => w.code === 'generator-saturated')));
    const caveat = saturated.length === 0 ? [] : [`${saturated.length} of ${k.probes.length} probes (${saturated.map((p) => formatRate(p.rate, 'req/s')).join(', ')}): the generator could not send on time, so the knee may be this machine's limit rather than the model's`];
    blocks.push({ title: `Knee: ${k.budget}`, table: { header: KNEE_PROBE_HEADER, rows: kneeProbeRows(k), firstNumeric: 3 }, lines: [kneeLine(k), ...caveat] });
  }
  const a = report.batchingAdvice;
  if (a) {
    blocks.push({ title: 'Batching: measured service time S(b)', table: { header: SERVICE_TIME_HEADER, rows: serviceTimeRows(a), firstNumeric: 1 }, lines: [] });
    blocks.push({ title: `Batching advice (${a.budget}): predicted vs replayed`, table: { header: REPLAY_HEADER, rows: replayRows(a), firstNumeric: 3 }, lines: adviceLines(a) });
  }
  return blocks;
}
