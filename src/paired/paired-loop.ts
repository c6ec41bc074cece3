// The interleaved measurement of two sides: both warmed up, then short blocks — k iterations of
// base and k of head back to back, the order drawn per block from a seeded generator — until the
// bound is met. Each side records its own samples; the loop records where every block ends and
// how long each half took on the wall clock. What a side is (a session in this process, or a
// child process holding one) is behind PairedSide, so one loop serves both modes.
import type { PhaseBound, StopReason, WarmupSummary, ColdStart } from '../types.js';
import { elapsedNs, now } from '../measure/clock.js';
import { mulberry32 } from '../measure/prng.js';
import { MAX_ITERATIONS } from '../measure/stop-rules.js';
import type { StageRecorder } from '../measure/recorder.js';
import { quickHalfWidth, type PairedBlocks } from './paired-stats.js';
import { MAX_EPOCHS } from '../compare/flag-values.js';

export { MAX_EPOCHS };

export interface PairedSide {
  /** Where this side's measured samples go (one recorder for all its blocks). */
  readonly recorder: StageRecorder;
  /** The cold first iteration (not recorded). */
  first(): Promise<Omit<ColdStart, 'modelLoadMs'>>;
  warmup(bound: PhaseBound, signal: AbortSignal | undefined): Promise<WarmupSummary>;
  /** The loop's own cost per iteration (µs), from the same loop with the work taken out. */
  harnessCostUs(): Promise<number>;
  /**
   * Runs `k` iterations into `recorder`; resolves with the block's wall time (ns). `lane` (duet):
   * the child process to run them in; the side then keeps its model running, unrecorded, until
   * stopFill().
   */
  block(k: number, lane?: 0 | 1): Promise<number>;
  stopFill?(): void;
}

/**
 * A block lasts about this long per side. Short enough that both halves of a block see the same
 * machine state (on the development VM it holds for seconds, moving by ±20% between states);
 * long enough that the switch between sessions is a small part of it. The prototype used
 * blocks of 10 runs of a 2 ms model.
 */
export const BLOCK_TARGET_MS = 20;
export const MAX_BLOCK_ITERATIONS = 500;
/**
 * With -n, blocks are made small enough that the run has at least this many pairs: the bootstrap
 * resamples blocks, and a handful of them cannot say how much pairs vary (paired-stats.ts caps a
 * verdict from fewer than MIN_BLOCKS_FOR_VERDICT).
 */
export const COUNT_TARGET_BLOCKS = 100;

/**
 * Auto bound: measure at least AUTO.minMs and AUTO.minBlocks, then stop once the quick interval's
 * half-width is at most a quarter of the threshold (a fixed-width stopping rule in the sense of
 * Chow & Robbins 1965: it looks at the precision, never at the estimate, so it does not bias the
 * verdict), or at AUTO.maxMs (the "at most 10 s of measuring per comparison").
 */
export const AUTO = { minMs: 2_000, minBlocks: 30, maxMs: 10_000, precisionShare: 0.25 } as const;

export interface PairedMeasurement {
  blocks: PairedBlocks & { baseFirst: boolean[] };
  iterationsPerBlock: number;
  durationMs: number;
  stopReason: StopReason;
  warmup: { base: WarmupSummary; head: WarmupSummary };
  first: { base: Omit<ColdStart, 'modelLoadMs'>; head: Omit<ColdStart, 'modelLoadMs'> };
  harnessUs: { base: number; head: number };
}

export interface PairedLoopOptions {
  warmup: PhaseBound;
  /** count: iterations per side; time: the whole measurement (both sides); auto: see AUTO. */
  measure: PhaseBound;
  seed: number;
  /** The practical threshold the verdict will use (the auto bound's precision goal). */
  threshold: number;
  /** Stage the auto bound watches: 'total' (the request). */
  signal?: AbortSignal | undefined;
  onProgress?: ((blocks: number, elapsedMs: number) => void) | undefined;
  /** Duet: both halves of a block run at the same time (sides in separate processes), not one after the other. */
  duet?: boolean;
  /**
   * Epochs: the measurement is split into this many parts, each after the first on a fresh pair
   * of sessions from `reopen` (default 1, and 1 without `reopen`). See DEFAULT_EPOCHS.
   */
  epochs?: number;
  reopen?: ReopenSides;
}

/**
 * Fresh sessions for epoch `epoch` (≥ 1), recording into the run's recorders. The caller opens
 * them before it closes the previous epoch's, so that they land elsewhere in memory.
 */
export type ReopenSides = (recorders: { base: StageRecorder; head: StageRecorder }, epoch: number) => Promise<{ base: PairedSide; head: PairedSide }>;

/**
 * Epochs of a paired comparison. Where a session's memory lands moves its speed for as long as it
 * lives: the same 4-layer chain against itself measured 0.971–1.024 over six runs, each run's own
 * interval about ±0.1% wide (2026-12-02). Reopening both sessions per epoch draws the placement
 * again, and the spread between epochs goes into the interval (paired-stats.ts widenByEpochs).
 */
export const DEFAULT_EPOCHS = 5;

/** Iterations per block from the warm-up's pace: BLOCK_TARGET_MS of the slower side. */
export function blockSize(warmup: { base: WarmupSummary; head: WarmupSummary }, bound: PhaseBound): number {
  const pace = Math.max(msPerIteration(warmup.base), msPerIteration(warmup.head));
  const k = pace > 0 ? Math.round(BLOCK_TARGET_MS / pace) : 10;
  const capped = Math.min(MAX_BLOCK_ITERATIONS, Math.max(1, k));
  return bound.kind === 'count' ? Math.min(capped, Math.max(1, Math.floor(bound.iterations / COUNT_TARGET_BLOCKS))) : capped;
}

function msPerIteration(w: WarmupSummary): number {
  return w.iterations > 0 ? w.durationMs / w.iterations : 0;
}

export async function runPairedLoop(base: PairedSide, head: PairedSide, options: PairedLoopOptions): Promise<PairedMeasurement> {
  // Every epoch gets at least one iteration a side: -n 3 makes at most three.
  const asked = options.reopen === undefined ? 1 : Math.max(1, Math.floor(options.epochs ?? 1));
  const epochs = options.measure.kind === 'count' ? Math.min(asked, options.measure.iterations) : asked;
  const first = { base: await base.first(), head: await head.first() };
  const warmup = { base: await base.warmup(options.warmup, options.signal), head: await head.warmup(options.warmup, options.signal) };
  const harnessUs = { base: await base.harnessCostUs(), head: await head.harnessCostUs() };
  const k = blockSize(warmup, options.measure);
  const random = mulberry32(options.seed);
  const loopStart = now();
  const blocks = { baseEnds: [] as number[], headEnds: [] as number[], baseWallNs: [] as number[], headWallNs: [] as number[], baseFirst: [] as boolean[], epochs: [] as number[] };
  const recorders = { base: base.recorder, head: head.recorder };
  let sides = { base, head };
  let measuredMs = 0;
  let stopReason: StopReason = 'interrupted';
  for (let epoch = 0; epoch < epochs; epoch++) {
    // A time bound (--duration, or auto's cap) bounds the whole run, reopening and warm-ups
    // included: once the wall clock has passed it, no further epoch starts.
    if (epoch > 0 && elapsedNs(loopStart, now()) / 1e6 >= wallBoundMs(options.measure)) break;
    if (epoch > 0) {
      sides = await options.reopen!(recorders, epoch);
      // The fresh sessions' cold iteration and warm-up, not recorded.
      await sides.base.first();
      await sides.head.first();
      await sides.base.warmup(options.warmup, options.signal);
      await sides.head.warmup(options.warmup, options.signal);
    }
    const epochStart = now();
    const epochBlocks = blocks.baseEnds.length;
    let reason: StopReason | null = options.signal?.aborted ? 'interrupted' : null;
    while (reason === null) {
      const done = recorders.base.count;
      const size = options.measure.kind === 'count' ? Math.min(k, countTarget(options.measure.iterations, epoch, epochs) - done) : k;
      // Alternating: which side runs first. Duet: which side runs in the first lane.
      const baseFirst = random() < 0.5;
      const [baseWall, headWall] = options.duet ? await duetBlock(sides.base, sides.head, size, baseFirst) : await alternate(sides.base, sides.head, size, baseFirst);
      blocks.baseFirst.push(baseFirst);
      blocks.baseWallNs.push(baseWall);
      blocks.headWallNs.push(headWall);
      blocks.baseEnds.push(recorders.base.count);
      blocks.headEnds.push(recorders.head.count);
      blocks.epochs.push(epoch);
      const epochMs = elapsedNs(epochStart, now()) / 1e6;
      options.onProgress?.(blocks.baseEnds.length, measuredMs + epochMs);
      const progress = { epoch, epochs, measuredMs: measuredMs + epochMs, epochMs, epochBlocks: blocks.baseEnds.length - epochBlocks };
      reason = options.signal?.aborted ? 'interrupted' : stopRule(options, recorders, blocks, progress);
    }
    measuredMs += elapsedNs(epochStart, now()) / 1e6;
    stopReason = reason;
    if (reason === 'interrupted' || reason === 'max-iterations') break;
  }
  return { blocks, iterationsPerBlock: k, durationMs: measuredMs, stopReason, warmup, first, harnessUs };
}

/** The wall-clock time after which no further epoch starts: the time bound, or auto's cap; none for a count. */
function wallBoundMs(bound: PairedLoopOptions['measure']): number {
  return bound.kind === 'time' ? bound.ms : bound.kind === 'count' ? Infinity : AUTO.maxMs;
}

/** Iterations a side by the end of `epoch`, of `total` over `epochs`. */
function countTarget(total: number, epoch: number, epochs: number): number {
  return Math.round((total * (epoch + 1)) / epochs);
}

/** One half after the other; resolves with [base, head] wall times. */
async function alternate(base: PairedSide, head: PairedSide, size: number, baseFirst: boolean): Promise<[number, number]> {
  if (baseFirst) {
    const baseWall = await base.block(size);
    return [baseWall, await head.block(size)];
  }
  const headWall = await head.block(size);
  return [await base.block(size), headWall];
}

/**
 * Both halves at once, one per lane (child process), the lanes swapped at random per block; the
 * first lane is asked first. The side that ends first keeps running until the other ends too.
 * Without that, the faster model's iterations always ran beside the slower one while the slower
 * one's last iterations ran alone; without the swap, each side kept its lane's core. On this
 * 2-vCPU VM either one skewed the ratio: 3× the work measured 0.85–2.1× (2026-12-02), against
 * 2.35× alternating. Resolves with [base, head] wall times.
 */
async function duetBlock(base: PairedSide, head: PairedSide, size: number, baseInFirstLane: boolean): Promise<[number, number]> {
  const walls = baseInFirstLane ? Promise.all([base.block(size, 0), head.block(size, 1)]) : Promise.all([head.block(size, 0), base.block(size, 1)]).then(([h, b]) => [b, h] as [number, number]);
  const done = await walls;
  base.stopFill?.();
  head.stopFill?.();
  return done;
}

interface EpochProgress {
  epoch: number;
  epochs: number;
  /** Measured so far, all epochs (ms), and in this epoch. */
  measuredMs: number;
  epochMs: number;
  epochBlocks: number;
}

/** Whether this epoch ends here, and why. Each bound is shared out evenly over the epochs. */
function stopRule(options: PairedLoopOptions, recorders: { base: StageRecorder; head: StageRecorder }, blocks: PairedBlocks, p: EpochProgress): StopReason | null {
  const bound = options.measure;
  const share = (p.epoch + 1) / p.epochs;
  if (recorders.base.count >= MAX_ITERATIONS) return 'max-iterations';
  if (bound.kind === 'count') return recorders.base.count >= countTarget(bound.iterations, p.epoch, p.epochs) ? 'iterations' : null;
  if (bound.kind === 'time') return p.measuredMs >= bound.ms * share ? 'duration' : null;
  if (p.measuredMs >= AUTO.maxMs * share) return 'auto-time-budget';
  if (p.epochMs < AUTO.minMs / p.epochs || p.epochBlocks < Math.ceil(AUTO.minBlocks / p.epochs) || blocks.baseEnds.length < AUTO.minBlocks) return null;
  // Checked every tenth block: the quick interval costs O(samples), outside every timed region.
  if (blocks.baseEnds.length % 10 !== 0) return null;
  const samples = { base: recorders.base.samplesOf('total').subarray(0, recorders.base.count), head: recorders.head.samplesOf('total').subarray(0, recorders.head.count) };
  return quickHalfWidth(samples, blocks) <= AUTO.precisionShare * options.threshold ? 'auto-target' : null;
}
