// The raw numbers of one probe, per request and per batch, preallocated before the first send
// (no allocation per request beyond the batcher's own), and their summary into StageStats.
import { createLatencyHistogram, recordMicros } from '../measure/histogram.js';
import { summarizeStage } from '../measure/stats.js';
import type { BatchSizeStats, ServiceStages, StageStats } from '../types.js';

/** Per-request columns, ms. */
const REQUEST_COLUMNS = ['queue', 'batch', 'crossing', 'preprocess', 'inference', 'postprocess', 'total', 'uncorrected', 'lag'] as const;
type Column = (typeof REQUEST_COLUMNS)[number];

export class ProbeRecord {
  readonly columns: Record<Column, Float64Array>;
  /** Completed requests (rows filled in completion order). */
  completed = 0;
  /** Send lag of every SENT request, by request index (the generator's verdict counts them all). */
  readonly lagBySend: Float64Array;
  readonly batchItems: number[] = [];
  readonly batchServiceMs: number[] = [];
  readonly batchInferenceMs: number[] = [];
  lastCompletionAt = -Infinity;

  constructor(readonly capacity: number) {
    this.columns = Object.fromEntries(REQUEST_COLUMNS.map((c) => [c, new Float64Array(capacity)])) as Record<Column, Float64Array>;
    this.lagBySend = new Float64Array(capacity);
  }

  addRequest(values: Record<Column, number>): void {
    const row = this.completed++;
    for (const c of REQUEST_COLUMNS) this.columns[c][row] = values[c];
  }

  addBatch(items: number, serviceMs: number, inferenceMs: number): void {
    this.batchItems.push(items);
    this.batchServiceMs.push(serviceMs);
    this.batchInferenceMs.push(inferenceMs);
  }

  stages(): ServiceStages {
    return Object.fromEntries(REQUEST_COLUMNS.map((c) => [c, statsOfMs(this.columns[c], this.completed)])) as ServiceStages;
  }

  byBatchSize(): BatchSizeStats[] {
    const sizes = [...new Set(this.batchItems)].sort((a, b) => a - b);
    return sizes.map((size) => {
      const values = this.batchInferenceMs.filter((_, i) => this.batchItems[i] === size);
      return { batchSize: size, batches: values.length, inference: statsOfMs(Float64Array.from(values), values.length) };
    });
  }

  serviceTime(): { meanMs: number; secondMomentMs2: number; stats: StageStats } {
    const s = this.batchServiceMs;
    const n = s.length;
    const mean = n > 0 ? s.reduce((a, b) => a + b, 0) / n : 0;
    const second = n > 0 ? s.reduce((a, b) => a + b * b, 0) / n : 0;
    return { meanMs: mean, secondMomentMs2: second, stats: statsOfMs(Float64Array.from(s), n) };
  }

  meanBatchSize(): number {
    const n = this.batchItems.length;
    return n > 0 ? this.batchItems.reduce((a, b) => a + b, 0) / n : 0;
  }
}

/** StageStats of the first `n` values (ms), through the same µs histogram as every stage. */
export function statsOfMs(valuesMs: Float64Array, n: number): StageStats {
  const us = new Float64Array(n);
  const histogram = createLatencyHistogram();
  for (let i = 0; i < n; i++) {
    us[i] = valuesMs[i]! * 1000;
    recordMicros(histogram, us[i]!);
  }
  return summarizeStage(us, n, histogram);
}
