// Where the loop's stage times go: one raw-sample array (for exact mean/stddev, quantile CIs and
// drift) and one HDR histogram (the report's source of truth) per stage, allocated up front.
import { TIMED_STAGES, type TimedStage } from '../types.js';
import { createLatencyHistogram, recordMicros, type Histogram } from './histogram.js';
import type { IterationSink } from './timed-loop.js';

const DEFAULT_CAPACITY = 16_384;

export class StageRecorder implements IterationSink {
  count = 0;
  readonly histograms: Record<TimedStage, Histogram>;
  private samples: Record<TimedStage, Float64Array>;

  constructor(expectedIterations: number | null) {
    const capacity = expectedIterations ?? DEFAULT_CAPACITY;
    this.samples = mapStages(() => new Float64Array(Math.max(1, capacity)));
    this.histograms = mapStages(() => createLatencyHistogram());
  }

  record(preprocessNs: number, inferenceNs: number, postprocessNs: number, totalNs: number): void {
    const i = this.count;
    if (i === this.samples.total.length) this.grow(); // rare: doubling, outside the timed region
    const s = this.samples;
    const h = this.histograms;
    const pre = (s.preprocess[i] = preprocessNs / 1000);
    const inf = (s.inference[i] = inferenceNs / 1000);
    const post = (s.postprocess[i] = postprocessNs / 1000);
    const total = (s.total[i] = totalNs / 1000);
    recordMicros(h.preprocess, pre);
    recordMicros(h.inference, inf);
    recordMicros(h.postprocess, post);
    recordMicros(h.total, total);
    this.count = i + 1;
  }

  /** Microsecond samples of a stage; only the first `count` entries are valid. */
  samplesOf(stage: TimedStage): Float64Array {
    return this.samples[stage];
  }

  private grow(): void {
    this.samples = mapStages((stage) => {
      const bigger = new Float64Array(this.samples[stage].length * 2);
      bigger.set(this.samples[stage]);
      return bigger;
    });
  }
}

function mapStages<T>(make: (stage: TimedStage) => T): Record<TimedStage, T> {
  return Object.fromEntries(TIMED_STAGES.map((stage) => [stage, make(stage)])) as Record<TimedStage, T>;
}
