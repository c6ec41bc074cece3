// Accuracy drift of a precision variant against the fp32 model on identical inputs: max abs
// error, a relative error, cosine similarity, and top-1 agreement where an output looks like class
// scores. Pure functions over host tensors; float16 outputs (a variant converted without
// keep_io_types) are decoded from their raw bits first.
import type { HostTensor } from '../adapters/adapter.js';
import { InferbenchError } from '../errors.js';
import type { AccuracyMetrics } from '../types.js';
import { float16BitsToNumber } from '../inputs/synthetic.js';

export type { AccuracyMetrics } from '../types.js';

export interface OutputAccuracy extends AccuracyMetrics {
  name: string;
  elements: number;
}

export interface AccuracyComparison {
  /** All outputs together: errors over every element, cosine of the concatenation, top-1 over all rows. */
  overall: AccuracyMetrics;
  outputs: OutputAccuracy[];
}

/** Sums from which the metrics are computed, so per-output sums add up to the overall ones. */
interface Sums {
  elements: number;
  maxAbs: number;
  absError: number;
  absReference: number;
  dot: number;
  normRef: number;
  normCand: number;
  rows: number;
  rowsAgree: number;
}

const emptySums = (): Sums => ({ elements: 0, maxAbs: 0, absError: 0, absReference: 0, dot: 0, normRef: 0, normCand: 0, rows: 0, rowsAgree: 0 });

/** Numbers of a host tensor as float64: float16 bits decoded, (u)int64 converted, bool as 0/1. */
export function tensorValues(tensor: HostTensor): Float64Array {
  const data = tensor.data;
  if (Array.isArray(data)) {
    throw new InferbenchError('runtime-error', `output '${tensor.name}' holds strings, which have no numeric accuracy`);
  }
  if (tensor.type === 'float16') return Float64Array.from(data as Uint16Array, (bits) => float16BitsToNumber(bits));
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, (v) => Number(v));
  return Float64Array.from(data as ArrayLike<number>);
}

/** Looks like [batch, classes] scores: rank 2 with at least 2 classes. */
export function isClassScores(dims: readonly number[]): boolean {
  return dims.length === 2 && (dims[1] ?? 0) >= 2;
}

function argmax(values: Float64Array, start: number, length: number): number {
  let best = start;
  for (let i = start + 1; i < start + length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best - start;
}

function accumulate(sums: Sums, reference: Float64Array, candidate: Float64Array, dims: readonly number[]): void {
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] ?? 0;
    const c = candidate[i] ?? 0;
    const error = Math.abs(c - r);
    // A NaN in the candidate must show, not vanish in a comparison (and then it sticks).
    if (Number.isNaN(error) || error > sums.maxAbs) sums.maxAbs = error;
    sums.absError += error;
    sums.absReference += Math.abs(r);
    sums.dot += r * c;
    sums.normRef += r * r;
    sums.normCand += c * c;
  }
  sums.elements += reference.length;
  if (!isClassScores(dims)) return;
  const [rows = 0, classes = 0] = dims;
  for (let row = 0; row < rows; row++) {
    sums.rows += 1;
    if (argmax(reference, row * classes, classes) === argmax(candidate, row * classes, classes)) sums.rowsAgree += 1;
  }
}

function metrics(s: Sums): AccuracyMetrics {
  // √(a·b) rather than √a·√b: identical outputs give exactly 1 (√(x²) is exact in IEEE arithmetic).
  const norms = Math.sqrt(s.normRef * s.normCand);
  // Two all-zero outputs are identical (cosine 1); one all-zero output is orthogonal to anything.
  const cosine = norms === 0 ? (s.normRef === s.normCand ? 1 : 0) : s.dot / norms;
  return {
    maxAbsError: s.maxAbs,
    meanRelativeError: s.absReference === 0 ? (s.absError === 0 ? 0 : Infinity) : s.absError / s.absReference,
    cosineSimilarity: Math.min(1, Math.max(-1, cosine)),
    top1Agreement: s.rows === 0 ? null : s.rowsAgree / s.rows,
  };
}

/**
 * Compares a variant's outputs with the reference's, matched by name. Throws when an output is
 * missing or its shape differs: that is a broken variant, not a drift to measure.
 */
export function compareOutputs(reference: readonly HostTensor[], candidate: readonly HostTensor[]): AccuracyComparison {
  const { identical: _, ...comparison } = compareOutputSets([{ reference, candidate }]);
  return comparison;
}

/**
 * The drift over several input sets: every set's elements pooled per output (errors, cosine and
 * top-1 over all of them), and whether every element of every set was bit-identical.
 */
export function compareOutputSets(pairs: readonly { reference: readonly HostTensor[]; candidate: readonly HostTensor[] }[]): AccuracyComparison & { identical: boolean } {
  const overall = emptySums();
  const perOutput = new Map<string, Sums>();
  let identical = true;
  for (const { reference, candidate } of pairs) {
    for (const ref of reference) {
      const cand = candidate.find((c) => c.name === ref.name);
      if (!cand) throw new InferbenchError('runtime-error', `the variant has no output '${ref.name}'`);
      if (ref.dims.join('x') !== cand.dims.join('x')) {
        throw new InferbenchError('runtime-error', `output '${ref.name}': the variant's shape [${cand.dims.join(', ')}] differs from the reference's [${ref.dims.join(', ')}]`);
      }
      const sums = perOutput.get(ref.name) ?? emptySums();
      perOutput.set(ref.name, sums);
      const refValues = tensorValues(ref);
      const candValues = tensorValues(cand);
      identical &&= refValues.every((r, i) => Object.is(r, candValues[i]) || r === candValues[i]);
      accumulate(sums, refValues, candValues, ref.dims);
      accumulate(overall, refValues, candValues, ref.dims);
    }
  }
  const outputs = [...perOutput].map(([name, sums]) => ({ name, elements: sums.elements, ...metrics(sums) }));
  return { overall: metrics(overall), outputs, identical: pairs.length > 0 && identical };
}
