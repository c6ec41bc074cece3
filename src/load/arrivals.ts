// The arrival schedule of an open-loop probe, computed up front: every request's INTENDED arrival
// as an offset in ms from the probe's start (t = 0), on the monotonic clock the driver reads. It
// never depends on how the model is doing — that is what makes the load open (LoadGen's Server
// scenario and perf_analyzer's request-rate mode pre-generate theirs the same way).
//
// - constant: gap 1/rate, first arrival at 0.
// - poisson: exponential gaps with mean 1/rate (inverse transform, −ln(1−U)/rate) from the
//   repo's seeded mulberry32, first arrival at 0; the same seed gives the same schedule anywhere
//   (LoadGen fixes schedule_rng_seed for the same reason).
// - trace: a file of arrival offsets (ms, one per line, sorted, ≥ 0), shifted to start at 0 and
//   time-scaled to the requested rate; looped (period = span + one mean gap) when the probe
//   wants more arrivals than it holds, as perf_analyzer loops --request-intervals.
import { readFileSync } from 'node:fs';
import { InferbenchError, messageOf } from '../errors.js';
import { mulberry32 } from '../measure/prng.js';
import type { ArrivalKind } from '../types.js';

/** Arrival times ms from the start, non-decreasing. */
export type Schedule = Float64Array;

/** A parsed trace: offsets (ms) shifted to start at 0, and the trace's own rate (req/s). */
export interface Trace {
  offsetsMs: Float64Array;
  rate: number;
}

/** More arrivals than this in one probe is a mistake (10 min at 50k/s is 3e7: 240 MB of doubles). */
export const MAX_SCHEDULED = 5_000_000;

export interface ScheduleRequest {
  kind: ArrivalKind;
  /** Requests per second (> 0). */
  rate: number;
  seed: number;
  /** Exactly this many arrivals … */
  count?: number;
  /** … or every arrival before this offset (ms). */
  durationMs?: number;
  /** For kind 'trace'. */
  trace?: Trace;
}

export function arrivalSchedule(request: ScheduleRequest): Schedule {
  const { rate } = request;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new InferbenchError('usage', `the arrival rate must be above 0 requests/s, got ${rate}`, 'e.g. --rate 200 or --rate 100..800:x2');
  const expected = request.count ?? ((request.durationMs ?? 0) * rate) / 1000;
  if (expected > MAX_SCHEDULED) throw new InferbenchError('usage', `that probe would schedule about ${Math.round(expected)} requests, over the ${MAX_SCHEDULED} one probe holds`, 'use a shorter --duration, a smaller -n or a lower --rate');
  const next = gapSource(request);
  const out: number[] = [];
  const count = request.count ?? MAX_SCHEDULED;
  const end = request.durationMs ?? Infinity;
  for (let t = 0; out.length < count && t < end; t += next()) out.push(t);
  return Float64Array.from(out);
}

/** The gap (ms) after each arrival, for each kind. */
function gapSource(request: ScheduleRequest): () => number {
  const meanGapMs = 1000 / request.rate;
  if (request.kind === 'constant') return () => meanGapMs;
  if (request.kind === 'poisson') {
    const uniform = mulberry32(request.seed);
    return () => -Math.log(1 - uniform()) * meanGapMs;
  }
  const trace = request.trace;
  if (!trace) throw new InferbenchError('usage', 'trace arrivals need a trace file', 'pass --arrivals path/to/offsets.txt');
  const scale = trace.rate / request.rate;
  const offsets = trace.offsetsMs;
  let i = 0;
  return () => {
    // The gap from arrival i to i+1; past the end, the loop's seam is one mean gap.
    const gap = i + 1 < offsets.length ? offsets[i + 1]! - offsets[i]! : 1000 / trace.rate;
    i = (i + 1) % offsets.length;
    return gap * scale;
  };
}

/**
 * Reads a trace file: one arrival offset in ms per line (blank lines and `#` comments skipped).
 * Negative, non-numeric or decreasing offsets are refused with the line that says so.
 */
export function readTrace(path: string): Trace {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InferbenchError('usage', `--arrivals ${path}: cannot read the trace (${messageOf(error)})`, 'pass constant, poisson, or a file of arrival offsets in ms, one per line');
  }
  return parseTrace(text, path);
}

export function parseTrace(text: string, path: string): Trace {
  const values: number[] = [];
  const hint = 'a trace holds one arrival offset in ms per line, ≥ 0 and sorted ascending (e.g. 0, 3.5, 4.1, …)';
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const value = Number(line);
    const where = `--arrivals ${path}, line ${index + 1}`;
    if (!Number.isFinite(value) || !/^[-+]?[\d.]+(e[-+]?\d+)?$/i.test(line)) throw new InferbenchError('usage', `${where}: '${line}' is not an offset in ms`, hint);
    if (value < 0) throw new InferbenchError('usage', `${where}: negative offset ${value} ms`, hint);
    const previous = values.at(-1);
    if (previous !== undefined && value < previous) throw new InferbenchError('usage', `${where}: ${value} ms comes after ${previous} ms — the offsets are not sorted`, hint);
    values.push(value);
  }
  if (values.length < 2) throw new InferbenchError('usage', `--arrivals ${path}: a trace needs at least 2 arrivals, found ${values.length}`, hint);
  const first = values[0]!;
  const span = values.at(-1)! - first;
  if (!(span > 0)) throw new InferbenchError('usage', `--arrivals ${path}: every arrival is at the same offset, so the trace has no rate`, hint);
  return { offsetsMs: Float64Array.from(values, (v) => v - first), rate: ((values.length - 1) * 1000) / span };
}

/** Requests per second the schedule offers: (n − 1) gaps over its span; 0 for fewer than 2. */
export function offeredRate(schedule: Schedule): number {
  const n = schedule.length;
  if (n < 2) return 0;
  const span = schedule[n - 1]! - schedule[0]!;
  return span > 0 ? ((n - 1) * 1000) / span : 0;
}
