// What the main thread and a model instance's worker tell each other (instances.ts ⇄
// instance-worker.ts). Kept apart from the worker module, which starts running when imported.
import type { SessionOptions } from '../adapters/adapter.js';
import type { HostTensor } from '../model/spec.js';
import type { BatchStagesMs } from './batcher.js';

export interface InstanceWorkerData {
  index: number;
  model: string;
  session: SessionOptions;
  /** Input name → batch axis (null: the input has none; requests share it). */
  batchAxes: [string, number | null][];
}

export type InstanceRequest = { type: 'run'; id: number; payloads: HostTensor[][]; counts: number[] };

export type InstanceMessage =
  | { type: 'ready'; backend: string }
  | { type: 'done'; id: number; results: HostTensor[][]; stagesMs: BatchStagesMs }
  | { type: 'error'; id: number | null; message: string };
