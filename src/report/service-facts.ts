// The facts of an open-loop service trial, shared by every exporter (console, Markdown, HTML):
// its stages in request order, what was offered and achieved, the batching, the service time and
// the verdicts. An overloaded trial says so beside its numbers: they are this run's, not a stable latency.
import type { ClientPoolSection, LoadShare, ServiceEvidence, ServiceSection, StageStats, TrialOk } from '../types.js';
import { formatMs, formatPercent, formatRate } from './format.js';

/** A service trial's stages in the order a request passes them, then the two views of its lateness. */
export const SERVICE_STAGE_ORDER = ['queue', 'batch', 'crossing', 'preprocess', 'inference', 'postprocess', 'total', 'uncorrected', 'lag'] as const;

/** [stage label, its stats] in SERVICE_STAGE_ORDER, for the stages the trial has. */
export function serviceStages(trial: TrialOk): [string, StageStats][] {
  const stages = trial.stages as Partial<Record<string, StageStats>>;
  // A URL target's queue is the client's: the send's lag and the wait for a free connection.
  const labels: Record<string, string> = { total: 'total (from intended arrival)', uncorrected: 'uncorrected (from send)', ...(trial.service?.client && { queue: 'queue (lag + wait for a connection)' }) };
  return SERVICE_STAGE_ORDER.flatMap((stage) => {
    const stats = stages[stage];
    return stats ? [[labels[stage] ?? stage, stats] as [string, StageStats]] : [];
  });
}

export function serviceFacts(trial: TrialOk): [string, string][] {
  const s = trial.service;
  if (s === undefined) return [];
  const { settings, requests } = s;
  const arrivals = settings.arrivals === 'poisson' ? `poisson, seed ${settings.seed}` : settings.arrivals === 'trace' ? `trace ${settings.trace ?? ''}` : 'constant';
  return [
    ['Load', `offered ${formatRate(s.offeredRate, 'req/s')} (${arrivals}), sent ${formatRate(s.sentRate, 'req/s')}, achieved ${formatRate(s.achievedRate, 'req/s')}`],
    ...(s.split ? [['Split', splitLine(s.split)] as [string, string]] : []),
    ['Requests', `${requests.completed} of ${requests.scheduled} served, ${requests.dropped} dropped, ${requests.unfinished} unfinished${requests.sent < requests.scheduled ? `, ${requests.scheduled - requests.sent} not sent` : ''}`],
    ...(s.client ? clientFacts(s, s.client) : [
      ['Batching', batchingLine(s)] as [string, string],
      ['Service time', `mean ${formatMs(s.serviceTime.meanMs)}, p99 ${formatMs(s.serviceTime.stats.p99Ms)} (dispatch → instance free, crossing included); utilisation ${formatPercent(s.utilisation)}`] as [string, string],
    ]),
    ['Overload', overloadLine(s)],
    ['Generator', generatorLine(s)],
  ];
}

/** --rate R --shard I/N against one server: which share of the load these numbers are. */
function splitLine(split: LoadShare): string {
  const total = formatRate(split.totalRate, 'req/s');
  if (split.shards.length === 1) return `shard ${split.shards[0]}: 1/${split.count} of a load of ${total} split over ${split.count} clients of one server (inferbench merge adds the shards)`;
  const overlap = split.concurrent === false ? '; their probes did NOT all overlap in time' : ', at once';
  return `${split.shards.length} of ${split.count} shards of a load of ${total} (${formatRate(split.rate, 'req/s')} offered together${overlap}): rates added, duration the span`;
}

/** A URL target: the server batches; the client's pool, its waits and its one-time serialisation. */
function clientFacts(s: ServiceSection, c: ClientPoolSection): [string, string][] {
  return [
    ['Client', `${c.connections} connection${c.connections === 1 ? '' : 's'}, one request at a time each (the server batches); ${c.verdict === 'ok' ? 'kept up' : 'POOL-LIMITED'}: ${formatPercent(c.waited.share)} of requests waited over 1 ms for a connection (p99 ${formatMs(c.waited.p99Ms)}); busy on average ≈ ${c.neededConnections.toFixed(1)} (rate × request time)`],
    ['Body', `serialised once per connection (${formatMs(c.serializeMs)}) and sent as is: preprocess is the hand-off only`],
    ['Request time', `mean ${formatMs(s.serviceTime.meanMs)}, p99 ${formatMs(s.serviceTime.stats.p99Ms)} (dispatch → response read); unloaded ${formatMs(c.unloadedRequestMs)}; connections busy ${formatPercent(s.utilisation)}`],
  ];
}

function batchingLine(s: ServiceSection): string {
  const { settings } = s;
  const instances = `${settings.instances} instance${settings.instances === 1 ? '' : 's'} × ${s.threadsPerInstance} thread${s.threadsPerInstance === 1 ? '' : 's'}`;
  const queue = settings.queueLimit === null ? '' : `, queue limit ${settings.queueLimit}`;
  if (settings.maxBatch === 1) return `none (max batch 1); ${instances}${queue}`;
  return `${settings.batching}, max batch ${settings.maxBatch}, max delay ${formatMs(settings.maxDelayMs)}; mean batch ${s.meanBatchSize.toFixed(2)} items over ${s.batches} batches; ${instances}${queue}`;
}

function overloadLine(s: ServiceSection): string {
  const queue = s.client ? 'requests outstanding' : 'queue';
  if (s.overload.verdict === 'stable') return `stable (${queue} max ${s.queue.maxDepth}, slope ${s.queue.slopePerSec.toFixed(1)} req/s)`;
  return `OVERLOADED${s.overload.endedEarly ? ', ended early' : ''}: ${evidenceText(s.overload.evidence)} — the latencies above grow with the run's length: this run's, not a stable p99`;
}

function generatorLine(s: ServiceSection): string {
  const g = s.generator;
  const detail = `${formatPercent(g.lateShare)} of sends over 1 ms late, lag p99 ${formatMs(g.lagP99Ms)}, event-loop delay p99 ${formatMs(g.eventLoopDelayP99Ms)}`;
  return g.verdict === 'ok' ? `kept up: ${detail}` : `SATURATED (could not send on time): ${detail}`;
}

function evidenceText(evidence: readonly ServiceEvidence[]): string {
  return evidence.map((e) => `${e.metric} ${+e.value.toFixed(3)} ${e.unit} (threshold ${+e.threshold.toFixed(3)})`).join('; ');
}
