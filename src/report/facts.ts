// Report pieces shared by the Markdown and console exporters, as label/value pairs and rows, so
// both say the same thing and only the layout differs. Every number in them comes from format.ts.
import { serviceFacts, serviceStages } from './service-facts.js';
import { accountingFacts, memoryFacts } from './memory-facts.js';
import { formatCoverageDetail } from './format.js';
import type { AccuracyMetrics, Environment, InputDescription, ModelInfo, PercentileKey, Report, StageStats, TensorSpec, TrialOk, TrialSpec } from '../types.js';
import { PERCENTILE_KEYS } from '../measure/sample-rules.js';
import { TIMED_STAGES } from '../types.js';
import { formatCount, formatMs, formatUs, formatNs, formatBytes, formatRate, formatPercent, formatCI, formatLevel, percentileLabel, formatPercentileCell, formatShape, formatBound, formatStopReason, formatPhase, formatConvergence, formatThreads, formatBatch, formatMHz, shortHash, formatSignificant } from './format.js';

import type { Fact } from './fact.js';

export type { Fact } from './fact.js';

export const STAGE_TABLE_HEADER: readonly string[] = [
  'stage',
  ...PERCENTILE_KEYS.map(percentileLabel),
  'mean',
  'stddev',
  'min',
  'max',
  'n',
];

/** One stage-table row, matching STAGE_TABLE_HEADER. */
export function stageRow(stage: string, stats: StageStats): string[] {
  return [
    stage,
    ...PERCENTILE_KEYS.map((key) => formatPercentileCell(stats, key)),
    formatMs(stats.meanMs),
    formatMs(stats.stddevMs),
    formatMs(stats.minMs),
    formatMs(stats.maxMs),
    formatCount(stats.count),
  ];
}

/**
 * "Debian GNU/Linux 12". Reports before 0.1.0's fix stored the release inside `distro` too
 * ("Debian GNU/Linux 12" + "12"): strip it there, so old and new reports name the OS alike.
 */
export function osName(os: Environment['os']): string {
  const distro = os.release && os.distro.endsWith(` ${os.release}`) ? os.distro.slice(0, -os.release.length - 1) : os.distro;
  return `${distro} ${os.release}`.trim();
}

export function environmentFacts(env: Environment): Fact[] {
  const { cpu, os } = env;
  const runtimes = env.runtimes.map((runtime) => {
    // What the installed package provides; whether each runs here is the trial's (probed) business.
    const eps = runtime.executionProviders.length > 0 ? ` (installed: ${runtime.executionProviders.join(', ')})` : '';
    return `${runtime.name} ${runtime.version}${eps}`;
  });
  const gpus = env.gpus.map((gpu) => `${gpu.name} (${formatBytes(gpu.memoryBytes)}, driver ${gpu.driver})`);
  return [
    ['Host', env.hostname],
    [
      'CPU',
      // VMs often report no clock speed: leave it out rather than print "n/a".
      `${cpu.model} (${formatCount(cpu.physicalCores)} cores, ${formatCount(cpu.logicalCores)} threads${cpu.speedMHz ? `, ${formatMHz(cpu.speedMHz)}` : ''})`,
    ],
    ['Memory', formatBytes(env.memoryBytes)],
    ['OS', `${osName(os)} (${os.platform} ${os.arch}, kernel ${os.kernel})`],
    ['Node', env.node],
    ['Runtime', runtimes.length > 0 ? runtimes.join('; ') : 'none'],
    ['GPU', gpus.length > 0 ? gpus.join('; ') : (env.gpuNote ?? 'none')],
  ];
}

export function modelFacts(model: ModelInfo): Fact[] {
  const facts: Fact[] = [
    ['Path', model.path],
    ['Size', formatBytes(model.sizeBytes)],
    ['SHA-256', shortHash(model.sha256)],
  ];
  const details = [
    model.producer,
    model.irVersion === undefined ? undefined : `IR v${model.irVersion}`,
    model.opsets?.map((opset) => `${opset.domain || 'ai.onnx'} ${opset.version}`).join(', '),
    model.nodeCount === undefined ? undefined : `${formatCount(model.nodeCount)} nodes`,
  ].filter((part): part is string => part !== undefined && part !== '');
  if (details.length > 0) facts.push(['Graph', details.join(' · ')]);
  return facts;
}

/** Rows of a tensor table: [name, type, shape]. */
export function tensorRows(tensors: readonly TensorSpec[]): string[][] {
  return tensors.map((tensor) => [tensor.name, tensor.type, formatShape(tensor.shape)]);
}

/** "cpu · fp32 · batch 1 · 4 threads · graph opt all". */
export function trialConfig(spec: TrialSpec): string {
  const inter = spec.interThreads === null ? '' : ` (inter-op ${formatCount(spec.interThreads)})`;
  return [
    spec.device,
    spec.precision,
    `batch ${formatBatch(spec.batch)}`,
    `threads ${formatThreads(spec.threads)}${inter}`,
    ...((spec.concurrency ?? 1) > 1 ? [`concurrency ${formatCount(spec.concurrency ?? 1)} (one session per stream)`] : []),
    `graph opt ${spec.graphOptimization}`,
  ].join(' · ');
}

/** Everything about an ok trial besides its stage table, in reading order. */
export function trialFacts(trial: TrialOk): Fact[] {
  const { coldStart, overhead, warmup, measure } = trial;
  const inference = trial.stages.inference;
  const level = formatLevel(inference.ci.level);
  return [
    ['Backend', trial.backend],
    ...serviceFacts(trial),
    ...endpointFacts(trial),
    [
      'Cold start',
      `model load ${formatMs(coldStart.modelLoadMs)}, first inference ${formatMs(coldStart.firstInferenceMs)} (first total ${formatMs(coldStart.firstTotalMs)})`,
    ],
    [
      `Inference ${level} CI`,
      `p50 ${formatCI(inference.ci.p50Ms)}, p99 ${formatCI(inference.ci.p99Ms)}; CV ${formatPercent(inference.cv)}`,
    ],
    [
      'Throughput',
      `${formatRate(trial.throughput.inferencesPerSec)}, ${formatRate(trial.throughput.itemsPerSec, 'items/s')}`,
    ],
    ...accountingFacts(trial),
    ['Peak RSS', formatBytes(trial.peakRssBytes)],
    ...memoryFacts(trial),
    [
      'Harness overhead',
      `${formatUs(overhead.perIterationUs)} per iteration (${formatPercent(overhead.shareOfInferenceP50)} of inference p50; timer ${formatNs(overhead.timerNs)})`,
    ],
    [
      'Warm-up',
      `${formatPhase(warmup.iterations, warmup.durationMs)}, ${formatConvergence(warmup.convergedAt)} (bound: ${formatBound(warmup.bound)})`,
    ],
    [
      'Measured',
      // With --repeat the bound applies to each repetition: say so, or "1,000 iterations; reached
      // the requested 500" reads as a contradiction.
      `${formatPhase(measure.iterations, measure.durationMs)}${trial.repetitions ? ` over ${formatCount(trial.repetitions.length)} repetitions; each` : ';'} stopped: ${formatStopReason(measure.stopReason, measure.bound)}; drift ${formatPercent(measure.driftRatio)}${trial.repetitions ? ' (worst repetition)' : ''}`,
    ],
    ...repetitionFacts(trial),
    ...variantFacts(trial),
  ];
}

/** A remote target: what its stages are, and the server's own account (statistics extension averages). */
function endpointFacts(trial: TrialOk): Fact[] {
  const endpoint = trial.endpoint;
  if (!endpoint) return [];
  const facts: Fact[] = [['Stages', 'preprocess = serialize, inference = request (send → last byte of the response: network + server), postprocess = deserialize']];
  const s = endpoint.server;
  if (s) {
    const batch = s.executions > 0 ? `; ${(s.requests / s.executions).toFixed(2)} requests per execution` : '';
    facts.push(['Server', `averages over ${formatCount(s.requests)} requests (statistics extension, no percentiles): queue ${formatUs(s.queueUs)}, compute input ${formatUs(s.computeInputUs)}, infer ${formatUs(s.computeInferUs)}, output ${formatUs(s.computeOutputUs)}${batch}${s.failed > 0 ? `; ${formatCount(s.failed)} failed` : ''}`]);
  } else {
    // KServe REST reads /v2/models/NAME/stats; our .proto leaves Triton's gRPC ModelStatistics out; TF Serving has none.
    const why = endpoint.protocol === 'kserve-v2' ? 'the server has no statistics extension' : endpoint.protocol === 'kserve-v2-grpc' ? 'not read over gRPC (profile the REST URL for them)' : 'TF Serving has no statistics extension';
    facts.push(['Server', `${why}: where the request time goes inside the server is not known`]);
  }
  return facts;
}

/** --repeat: the spread between repetitions, shown even when it is small (run-to-run variance). */
function repetitionFacts(trial: TrialOk): Fact[] {
  const reps = trial.repetitions;
  if (reps === undefined || reps.length < 2) return [];
  const p50s = reps.map((r) => r.stages.inference.p50Ms);
  const sorted = [...p50s].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] ?? 0;
  const spread = median > 0 ? ((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)) / median : 0;
  const rates = reps.map((r) => r.throughput.inferencesPerSec);
  const range = `${formatRate(Math.min(...rates))} – ${formatRate(Math.max(...rates))}`;
  return [['Repetitions', `${formatCount(reps.length)} runs, inference p50 ${p50s.map(formatMs).join(', ')} (spread ${formatPercent(spread)}); throughput ${range}`]];
}

function variantFacts(trial: TrialOk): Fact[] {
  const facts: Fact[] = [];
  if (trial.variant) {
    const made = trial.variant.provenance ? `, ${trial.variant.provenance.method}` : '';
    facts.push(['Variant', `${trial.variant.path} (${trial.variant.source}${made})`]);
    if (trial.variant.coverage) facts.push(['Converted', formatCoverageDetail(trial.variant.coverage)]);
    const cal = trial.variant.calibration;
    if (cal) facts.push(['Calibrated on', `${formatCount(cal.inputSets)} input set${cal.inputSets === 1 ? '' : 's'}: ${cal.source}`]);
  }
  if (trial.accuracy) {
    const a = trial.accuracy;
    const identical = a.identical ? 'bit-identical to fp32 (nothing changed) — ' : '';
    facts.push(['Accuracy vs fp32', `${identical}${formatAccuracy(a.overall)} over ${formatCount(a.inputSets)} input set${a.inputSets === 1 ? '' : 's'} (${a.inputSource})`]);
  }
  return facts;
}

/** "cosine 0.99998, max |err| 0.0012, rel err 0.05%, top-1 100%". */
export function formatAccuracy(metrics: AccuracyMetrics): string {
  const top1 = metrics.top1Agreement === null ? '' : `, top-1 ${formatPercent(metrics.top1Agreement)}`;
  return `cosine ${metrics.cosineSimilarity.toFixed(5)}, max |err| ${formatSignificant(metrics.maxAbsError)}, rel err ${formatPercent(metrics.meanRelativeError)}${top1}`;
}


/** The input tensors the trial fed, one line each: "input float32 [1, 3, 224, 224] random-normal". */
export function inputLines(inputs: readonly InputDescription[]): string[] {
  return inputs.map((input) => `${input.name} ${input.type} ${formatShape(input.dims)} ${input.source}`);
}

/** Every percentile flagged in any stage of the trial. */
export function flaggedPercentiles(trial: TrialOk): PercentileKey[] {
  return PERCENTILE_KEYS.filter((key) => Object.values(trial.stages).some((s) => s.insufficient.includes(key)));
}

export const INTERRUPTED_BANNER =
  'Interrupted: the run was stopped before the sweep finished (Ctrl-C, SIGTERM, or the process was killed). The trials below are complete; the rest of the sweep is absent.';

/** The banner of an interrupted report; a merge with a shard missing says that instead (the lines below it name the shard). */
export function interruptedBanner(report: Pick<Report, 'merge'>): string {
  if (report.merge?.incomplete === undefined) return INTERRUPTED_BANNER;
  return 'Incomplete: a shard\'s report is missing or was interrupted (named below); the merged numbers cover the shards that reported.';
}


/** A trial's stage rows in request order: load (when input data was read), then the timed stages. */
export function stageRows(trial: TrialOk): string[][] {
  if (trial.service) return serviceStages(trial).map(([label, stats]) => stageRow(label, stats));
  const rows = TIMED_STAGES.map((stage) => stageRow(stage, trial.stages[stage]));
  return trial.stages.load ? [stageRow('load', trial.stages.load), ...rows] : rows;
}
