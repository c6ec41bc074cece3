// Requests over a latency target, counted from a stage's histogram (what LoadGen's early-stopping
// rule needs: t, the over-latency count). HdrHistogram buckets are 0.1% wide (3 significant
// digits): a bucket counts as over when its lowest equivalent value is above the target, so a
// request within 0.1% above the target may count as within it — the resolution the percentiles
// have too.
import { decodeHistogram } from '../measure/histogram.js';

interface RecordedValues {
  reset(): void;
  hasNext(): boolean;
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
}

/** Values recorded above `targetMs` in an encoded µs histogram. */
export function countOverMs(encoded: string, targetMs: number): number {
  const histogram = decodeHistogram(encoded) as unknown as { recordedValuesIterator: RecordedValues; lowestEquivalentValue(v: number): number };
  const targetUs = targetMs * 1000;
  const values = histogram.recordedValuesIterator;
  values.reset();
  let over = 0;
  while (values.hasNext()) {
    const step = values.next();
    if (histogram.lowestEquivalentValue(step.valueIteratedTo) > targetUs) over += step.countAtValueIteratedTo;
  }
  return over;
}
