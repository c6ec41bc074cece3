// Where the loop's stage times go: one raw-sample array (for exact mean/stddev, quantile CIs and
// drift) and one HDR histogram (the report's source of truth) per stage, allocated up front.
// Indexed by position, not looked up by name: record() runs once per iteration.
import { TIMED_STAGES, type TimedStage } from '../types.js';
import { createLatencyHistogram, recordMicros, type Histogram } from './histogram.js';
import type { IterationSink } from './timed-loop.js';

const DEFAULT_CAPACITY = 16_384;

/** `load` is recorded only when the loop reads input data (a pipeline trial). */
export type RecordedStage = TimedStage | 'load';
const ORDER: readonly RecordedStage[] = [...TIMED_STAGES, 'load'];

export class StageRecorder implements IterationSink {
  count = 0;
  readonly stages: readonly RecordedStage[];
  private readonly histograms: Histogram[];
  private samples: Float64Array[];

  constructor(expectedIterations: number | null, withLoad = false) {
    this.stages = withLoad ? ORDER : TIMED_STAGES;
    const capacity = Math.max(1, expectedIterations ?? DEFAULT_CAPACITY);
    this.samples = this.stages.map(() => new Float64Array(capacity));
    this.histograms = this.stages.map(() => createLatencyHistogram());
  }

  record(preprocessNs: number, inferenceNs: number, postprocessNs: number, totalNs: number, loadNs = 0): void {
    const i = this.count;
    if (i === this.samples[0]!.length) this.grow(); // rare: doubling, outside the timed region
    this.put(0, i, preprocessNs);
    this.put(1, i, inferenceNs);
    this.put(2, i, postprocessNs);
    this.put(3, i, totalNs);
    if (this.samples.length > 4) this.put(4, i, loadNs);
    this.count = i + 1;
  }

  /** Microsecond samples of a stage; only the first `count` entries are valid. */
  samplesOf(stage: RecordedStage): Float64Array {
    return this.samples[this.indexOf(stage)]!;
  }

  histogramOf(stage: RecordedStage): Histogram {
    return this.histograms[this.indexOf(stage)]!;
  }

  private indexOf(stage: RecordedStage): number {
    const index = this.stages.indexOf(stage);
    if (index < 0) throw new RangeError(`stage ${stage} was not recorded`);
    return index;
  }

  private put(index: number, i: number, ns: number): void {
    const us = ns / 1000;
    this.samples[index]![i] = us;
    recordMicros(this.histograms[index]!, us);
  }

  private grow(): void {
    this.samples = this.samples.map((old) => {
      const bigger = new Float64Array(old.length * 2);
      bigger.set(old);
      return bigger;
    });
  }
}
