// One trial's measurement on an open session: cold start, warm-up until steady, the harness's own
// cost, then the measured phase, summarised per stage. Never prints; progress goes to a callback.
import type {
  ColdStart,
  HarnessOverhead,
  LatencyTimeline,
  MeasureSummary,
  MemoryAccounting,
  PhaseBound,
  StopReason,
  TrialOk,
  WarmupSummary,
  Warning,
} from '../types.js';
import { median, timerCostNs } from './clock.js';
import { ATTRIBUTION_MIN_FAULTS } from './fault-attribution.js';
import { startMemoryProbe } from './memory-probe.js';
import { createWarmupDetector, driftRatio, isDrifting, noiseWarnings } from './convergence.js';
import { StageRecorder } from './recorder.js';
import { latencyTimeline, WARMUP_TRACE_CAPACITY } from './latency-timeline.js';
import { relativeRateInterval } from './throughput-interval.js';
import { summarizeStage } from './stats.js';
import { MAX_ITERATIONS, measureStopRule, warmupDone, type StopRule } from './stop-rules.js';
import type { LoopResult, TrialDriver } from './timed-loop.js';

export type TrialPhase = 'warmup' | 'measure';

export interface RunTrialOptions {
  warmup: PhaseBound;
  measure: PhaseBound;
  signal?: AbortSignal | undefined;
  /** Told when warm-up and measurement begin, so a failure can name its phase. */
  onPhaseStart?: ((phase: TrialPhase) => void | Promise<void>) | undefined;
  onProgress?: ((phase: TrialPhase, iterations: number, elapsedMs: number) => void) | undefined;
  /**
   * Keep measuring past the bound while `undecided` says so (a --budget that the samples cannot
   * decide yet, src/sweep/decide-budgets.ts), for at most `capMs` more; asked every 10% more
   * samples (at least EXTENSION_CHECK_MIN), outside the timed region.
   */
  extend?: { undecided: (recorder: StageRecorder) => boolean; capMs: number } | undefined;
}

/** The fewest iterations between two checks of an extension's `undecided`. */
const EXTENSION_CHECK_MIN = 50;

type Extension = NonNullable<MeasureSummary['extension']>;

/**
 * The bound's stop rule, carried on while `extend.undecided` holds (up to its cap). `outcome` is
 * filled in when an extension started, so the summary can say what ended it.
 */
export function extendedStopRule(bound: PhaseBound, recorder: StageRecorder, extend: RunTrialOptions['extend']): { rule: StopRule; started: () => { n: number; ms: number; outcome: Extension['outcome'] } | null } {
  const base = measureStopRule(bound);
  if (extend === undefined || extend.capMs <= 0) return { rule: base, started: () => null };
  let ext: { reason: StopReason; n: number; ms: number; next: number; outcome: Extension['outcome'] } | null = null;
  const rule: StopRule = (n, ms) => {
    if (ext === null) {
      const reason = base(n, ms);
      if (reason === null || !extend.undecided(recorder)) return reason;
      ext = { reason, n, ms, next: n + Math.max(EXTENSION_CHECK_MIN, Math.ceil(n / 10)), outcome: 'interrupted' };
      return null;
    }
    if (ms - ext.ms >= extend.capMs || n >= MAX_ITERATIONS) {
      ext.outcome = 'time-cap';
      return ext.reason;
    }
    if (n < ext.next) return null;
    ext.next = n + Math.max(EXTENSION_CHECK_MIN, Math.ceil(n / 10));
    if (extend.undecided(recorder)) return null;
    ext.outcome = 'decided';
    return ext.reason;
  };
  return { rule, started: () => ext };
}

export interface TrialMeasurement {
  firstIteration: Omit<ColdStart, 'modelLoadMs'>;
  warmup: WarmupSummary;
  measure: MeasureSummary;
  stages: TrialOk['stages'];
  overhead: HarnessOverhead;
  warnings: Warning[];
  /** Faults, GC and RSS over the measured phase (the output handling is the caller's to add). */
  memory?: Omit<MemoryAccounting, 'outputs'>;
  /** Inference latency over warm-up and measured iterations, windowed for drawing. */
  latencyTimeline?: LatencyTimeline;
  /** The throughput's 95% interval relative to its value, by batch means over the `total` times (throughput-interval.ts). */
  rateInterval?: { relative: [number, number]; windows: number; level: number };
}

/**
 * The empty-body loop that prices the harness runs in rounds; the first rounds pay for JIT
 * compilation of the loop with a new session shape, so the median round is the steady cost.
 */
const CALIBRATION_ROUNDS = 11;
const CALIBRATION_ITERATIONS = 1_000;
/** Above this share of inference p50 the harness's own cost is worth a warning. */
const OVERHEAD_WARNING_SHARE = 0.01;

/** Runs a trial on a driver: synthetic inputs (syntheticDriver) or a data pipeline (pipelineDriver). */
export async function runTrial(driver: TrialDriver, options: RunTrialOptions): Promise<TrialMeasurement> {
  const firstIteration = await timeFirstIteration(driver);
  options.onPhaseStart?.('warmup');
  const trace = new Float64Array(WARMUP_TRACE_CAPACITY);
  const warmup = await warmUp(driver, options, trace);

  const perIterationUs = await harnessCostUs(driver);

  const bound = options.measure;
  // Awaited: a remote target snapshots its server's counters here, before the first measured request.
  await options.onPhaseStart?.('measure');
  const recorder = new StageRecorder(bound.kind === 'count' ? bound.iterations : null, driver.hasLoad);
  const probe = startMemoryProbe();
  const stopping = extendedStopRule(bound, recorder, options.extend);
  const measuredLoop = await driver.loop(recorder, {
    stop: stopping.rule,
    signal: options.signal,
    onProgress: options.onProgress && ((n, ms) => options.onProgress?.('measure', n, ms)),
  });
  const loop = withExtension(measuredLoop, stopping.started());
  const counted = probe.stop(loop.iterations);
  const attribution = counted.minorFaultsPerIteration >= ATTRIBUTION_MIN_FAULTS ? await driver.attributeFaults?.() : undefined;
  const memory = { ...counted, outputBytesPerIteration: attribution?.outputBytesPerIteration ?? null, ...(attribution && { faultsByStage: attribution.faultsByStage }) };
  const timeline = latencyTimeline(trace.subarray(0, Math.min(warmup.iterations, trace.length)), recorder.samplesOf('inference').subarray(0, recorder.count), warmup.iterations);
  const rateInterval = relativeRateInterval(recorder.samplesOf('total'), recorder.count);
  return { ...summarizeMeasurement({ recorder, loop, bound, firstIteration, warmup, perIterationUs, memory }), latencyTimeline: timeline, ...(rateInterval && { rateInterval }) };
}

/** The loop's result, with how far an extension went when one started. */
export function withExtension(loop: LoopResult, ext: { n: number; ms: number; outcome: Extension['outcome'] } | null): LoopResult & { extension?: Extension } {
  if (ext === null) return loop;
  return { ...loop, extension: { iterations: loop.iterations - ext.n, durationMs: loop.durationMs - ext.ms, outcome: ext.outcome } };
}

export interface MeasuredPhases {
  /** The measured phase's samples, in completion order. */
  recorder: StageRecorder;
  loop: LoopResult & { extension?: Extension };
  bound: PhaseBound;
  firstIteration: Omit<ColdStart, 'modelLoadMs'>;
  warmup: WarmupSummary;
  perIterationUs: number;
  memory?: Omit<MemoryAccounting, 'outputs'>;
}

/** Statistics, overhead and warnings of a measured phase (one stream or several merged). */
export function summarizeMeasurement({ recorder, loop, bound, firstIteration, warmup, perIterationUs, memory }: MeasuredPhases): TrialMeasurement {
  const stages = Object.fromEntries(
    recorder.stages.map((stage) => [stage, summarizeStage(recorder.samplesOf(stage), recorder.count, recorder.histogramOf(stage))]),
  ) as TrialOk['stages'];
  const inferenceSamples = recorder.samplesOf('inference');
  const measure: MeasureSummary = {
    iterations: loop.iterations,
    durationMs: loop.durationMs,
    stopReason: loop.stopReason,
    bound,
    driftRatio: driftRatio(inferenceSamples, recorder.count),
    ...(loop.extension && { extension: loop.extension }),
  };
  const overhead: HarnessOverhead = {
    timerNs: timerCostNs(),
    perIterationUs,
    shareOfInferenceP50: stages.inference.p50Ms > 0 ? perIterationUs / (stages.inference.p50Ms * 1000) : 0,
  };
  const warnings = [
    ...noiseWarnings(stages.inference, isDrifting(inferenceSamples, recorder.count), measure.driftRatio),
    ...warmupWarnings(warmup),
    ...overheadWarnings(overhead),
  ];
  return { firstIteration, warmup, measure, stages, overhead, warnings, ...(memory && { memory }) };
}

/** Per-iteration cost (µs) of the timing loop itself: clock reads, recording, stop checks. */
export async function harnessCostUs(driver: TrialDriver): Promise<number> {
  const perRound: number[] = [];
  for (let round = 0; round < CALIBRATION_ROUNDS; round++) {
    const loop = await driver.emptyLoop(new StageRecorder(CALIBRATION_ITERATIONS, driver.hasLoad), {
      stop: (n) => (n >= CALIBRATION_ITERATIONS ? 'iterations' : null),
    });
    perRound.push((loop.durationMs * 1000) / loop.iterations);
  }
  return median(perRound);
}

/** The cold iteration, through the same loop as every other so that it is timed the same way. */
export async function timeFirstIteration(driver: TrialDriver): Promise<Omit<ColdStart, 'modelLoadMs'>> {
  let first = { firstInferenceMs: 0, firstTotalMs: 0 };
  const sink = {
    record: (_pre: number, inferenceNs: number, _post: number, totalNs: number) => {
      first = { firstInferenceMs: inferenceNs / 1e6, firstTotalMs: totalNs / 1e6 };
    },
  };
  await driver.loop(sink, { stop: () => 'iterations' });
  return first;
}

/** Warm-up until steady; `trace`, when given, receives the first inference samples (µs) for the timeline. */
export async function warmUp(driver: TrialDriver, options: Pick<RunTrialOptions, 'warmup' | 'signal' | 'onProgress'>, trace?: Float64Array): Promise<WarmupSummary> {
  const bound = options.warmup;
  const detector = createWarmupDetector();
  let traced = 0;
  const sink = {
    record: (_pre: number, inferenceNs: number) => {
      detector.push(inferenceNs / 1000);
      if (trace !== undefined && traced < trace.length) trace[traced++] = inferenceNs / 1000;
    },
  };
  if (bound.kind === 'count' && bound.iterations === 0) {
    return { iterations: 0, durationMs: 0, convergedAt: null, bound };
  }
  const loop = await driver.loop(sink, {
    stop: (n, ms) => (warmupDone(bound, n, ms, detector.convergedAt !== null) ? 'iterations' : null),
    signal: options.signal,
    onProgress: options.onProgress && ((n, ms) => options.onProgress?.('warmup', n, ms)),
  });
  return { iterations: loop.iterations, durationMs: loop.durationMs, convergedAt: detector.convergedAt, bound };
}

function warmupWarnings(warmup: WarmupSummary): Warning[] {
  if (warmup.convergedAt !== null || warmup.iterations === 0) return [];
  return [{
    code: 'not-converged',
    message: `latency had not reached a steady state after ${warmup.iterations} warm-up iterations; the first measured samples may be slower — increase --warmup (e.g. --warmup 5s)`,
  }];
}

function overheadWarnings(overhead: HarnessOverhead): Warning[] {
  if (overhead.shareOfInferenceP50 <= OVERHEAD_WARNING_SHARE) return [];
  return [{
    code: 'high-overhead',
    message: `the harness costs ${overhead.perIterationUs.toFixed(2)} µs per iteration, ${(overhead.shareOfInferenceP50 * 100).toFixed(1)}% of inference p50: the model is too fast to time one call at a time; compare totals across a larger --batch`,
  }];
}
