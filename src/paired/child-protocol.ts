// The messages between a paired run and a child process that holds sides of it (child-side.ts in
// the parent, side-child.ts in the child). With --isolate a child holds one side; in duet mode
// each of the two children holds both, and every block the run picks which child runs which side.
// Samples cross as typed arrays (advanced serialization).
import type { ColdStart, InputDescription, ModelInfo, PhaseBound, TrialSpec, WarmupSummary } from '../types.js';
import type { ResolvedProfileOptions } from '../profile-options.js';

export type SideName = 'base' | 'head';

export interface OpenRequest {
  type: 'open';
  side: SideName;
  /** The file this side runs (the model, or its precision variant). */
  path: string;
  spec: TrialSpec;
  options: Omit<ResolvedProfileOptions, 'signal'>;
}

export type SideRequest =
  | OpenRequest
  | { type: 'first'; side: SideName }
  | { type: 'warmup'; side: SideName; bound: PhaseBound }
  | { type: 'harness'; side: SideName }
  /** fill: after replying, keep running unrecorded iterations until 'stop-fill' (duet). */
  | { type: 'block'; side: SideName; k: number; fill: boolean }
  /** Ends the filler; takes no reply, and overtakes the queue of requests. */
  | { type: 'stop-fill' }
  | { type: 'close' };

/** One block's samples per recorded stage (µs), in the recorder's stage order, and its wall time. */
export interface BlockSamples {
  stages: Float64Array[];
  wallNs: number;
}

export type OpenedReply = { type: 'opened'; info: ModelInfo; backend: string; shapes: [string, number[]][]; hasLoad: boolean; inputs: InputDescription[]; loadMs: number; batch: number | null };

export type SideReply =
  | OpenedReply
  | { type: 'first'; first: Omit<ColdStart, 'modelLoadMs'> }
  | { type: 'warmup'; warmup: WarmupSummary }
  | { type: 'harness'; us: number }
  | { type: 'block'; block: BlockSamples }
  | { type: 'closed' }
  | { type: 'error'; code: string; message: string; hint?: string };
