// The messages between a paired run and a side that lives in a child process (child-side.ts in
// the parent, side-child.ts in the child). Samples cross as typed arrays (advanced serialization).
import type { ColdStart, InputDescription, ModelInfo, PhaseBound, TrialSpec, WarmupSummary } from '../types.js';
import type { ResolvedProfileOptions } from '../profile-options.js';

export interface OpenRequest {
  type: 'open';
  /** The file this side runs (the model, or its precision variant). */
  path: string;
  spec: TrialSpec;
  options: Omit<ResolvedProfileOptions, 'signal'>;
}

export type SideRequest =
  | OpenRequest
  | { type: 'first' }
  | { type: 'warmup'; bound: PhaseBound }
  | { type: 'harness' }
  | { type: 'block'; k: number }
  | { type: 'close' };

/** One block's samples per recorded stage (µs), in the recorder's stage order, and its wall time. */
export interface BlockSamples {
  stages: Float64Array[];
  wallNs: number;
}

export type SideReply =
  | { type: 'opened'; info: ModelInfo; backend: string; shapes: [string, number[]][]; hasLoad: boolean; inputs: InputDescription[]; loadMs: number; batch: number | null }
  | { type: 'first'; first: Omit<ColdStart, 'modelLoadMs'> }
  | { type: 'warmup'; warmup: WarmupSummary }
  | { type: 'harness'; us: number }
  | { type: 'block'; block: BlockSamples }
  | { type: 'closed' }
  | { type: 'error'; code: string; message: string; hint?: string };
