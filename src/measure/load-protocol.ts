// What the main thread and a load-worker stream tell each other (concurrent.ts ⇄ load-worker.ts).
// Kept apart from the worker module, which starts running when imported.
import type { SessionOptions } from '../adapters/adapter.js';
import type { InputPins } from '../inputs/pins.js';
import type { PhaseBound } from '../types.js';

export interface LoadWorkerData {
  index: number;
  model: string;
  session: SessionOptions;
  shapes: [string, number[]][];
  pins: InputPins;
  seed: number;
  warmup: PhaseBound;
  measure: PhaseBound;
  /** Int32 control block: see CONTROL below. */
  control: SharedArrayBuffer;
  /** BigInt64 [start time of the measured phase, hrtime ns], written by the main thread before GO. */
  clock: SharedArrayBuffer;
}

/** Slots of the Int32 control block. */
export const CONTROL = { go: 0, stop: 1, issued: 2, completed: 3, length: 4 } as const;

export type LoadWorkerMessage =
  | { type: 'ready'; firstIteration?: { firstInferenceMs: number; firstTotalMs: number }; warmup?: { iterations: number; durationMs: number; convergedAt: number | null }; perIterationUs?: number }
  | { type: 'done'; stages: Float64Array[]; completedAtNs: Float64Array; stoppedBy: string | null }
  | { type: 'error'; message: string; phase: 'open' | 'inputs' | 'cold-start' | 'warmup' | 'measure' };

