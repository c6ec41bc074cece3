// Which stage the page faults happen in. The timed loop cannot say: reading the counters between
// its clock reads would put a getrusage(2) call and an object allocation into the timed region.
// So after the measured phase, a short untimed pass runs the same prepare / run / collect and
// reads process.resourceUsage().minorPageFault between them. Nothing runs between one request's
// collect and the next prepare (the loop never yields there): deferred frees and GC happen inside
// the stages, mostly while run() awaits.
import type { HostTensor, Session } from '../adapters/adapter.js';
import type { MemoryAccounting } from '../types.js';

/** Requests in the attribution pass: enough to average a few GC cycles, short even at 10 ms each. */
export const ATTRIBUTION_ITERATIONS = 20;
/**
 * The pass runs only when the measured phase faulted at least this often per request (32 KiB of
 * fresh 4 KiB pages): below it there is nothing worth placing, and the extra runs would count in
 * the session's leak check (tfjs) for no gain.
 */
export const ATTRIBUTION_MIN_FAULTS = 8;

export interface FaultAttribution {
  faultsByStage: NonNullable<MemoryAccounting['faultsByStage']>;
  outputBytesPerIteration: number;
}

const minorFaults = (): number => process.resourceUsage().minorPageFault;

export async function attributeFaults(session: Session, inputs: readonly HostTensor[], iterations = ATTRIBUTION_ITERATIONS): Promise<FaultAttribution> {
  const sum = { preprocess: 0, inference: 0, postprocess: 0 };
  let outputBytes = 0;
  for (let i = 0; i < iterations; i++) {
    const a = minorFaults();
    const feeds = session.prepare(inputs);
    const b = minorFaults();
    const outputs = await session.run(feeds);
    const c = minorFaults();
    const host = session.collect(outputs);
    const d = minorFaults();
    sum.preprocess += b - a;
    sum.inference += c - b;
    sum.postprocess += d - c;
    outputBytes = bytesOfOutputs(host);
  }
  const per = (x: number): number => x / Math.max(1, iterations);
  return {
    faultsByStage: { preprocess: per(sum.preprocess), inference: per(sum.inference), postprocess: per(sum.postprocess), iterations },
    outputBytesPerIteration: outputBytes,
  };
}

/** Bytes of one request's host outputs (string tensors count 2 bytes per UTF-16 unit). */
export function bytesOfOutputs(outputs: readonly HostTensor[]): number {
  let bytes = 0;
  for (const o of outputs) {
    bytes += Array.isArray(o.data) ? o.data.reduce((n, s) => n + 2 * s.length, 0) : (o.data as { byteLength: number }).byteLength;
  }
  return bytes;
}
