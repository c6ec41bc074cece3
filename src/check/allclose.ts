// Element-wise comparison with the rule of numpy.testing.assert_allclose, which the ONNX backend
// tests use on every output (onnx/backend/test/runner: assert_similar_outputs):
//   |actual − expected| ≤ atol + rtol · |expected|, NaN equal to NaN, ±Inf equal only to itself.
// Defaults are the backend tests' own (onnx/backend/test/loader: rtol = 1e-3, atol = 1e-7).
// Non-numeric outputs (strings, bool) must be equal, as assert_similar_outputs requires.
import type { HostTensor } from '../adapters/adapter.js';
import { float16BitsToNumber } from '../inputs/synthetic.js';
import type { OutputComparison } from '../types.js';

export type { OutputComparison } from '../types.js';

export const DEFAULT_RTOL = 1e-3;
export const DEFAULT_ATOL = 1e-7;


function valueAt(tensor: HostTensor, i: number): number | string {
  const data = tensor.data;
  if (Array.isArray(data)) return data[i] ?? '';
  const raw = data[i] ?? 0;
  if (tensor.type === 'float16') return float16BitsToNumber(Number(raw));
  return typeof raw === 'bigint' ? Number(raw) : raw;
}

const exact = (type: string): boolean => type === 'string' || type === 'bool';

export function compareOutput(expected: HostTensor, actual: HostTensor, rtol = DEFAULT_RTOL, atol = DEFAULT_ATOL): OutputComparison {
  const base = { name: expected.name || actual.name, elements: expected.data.length, mismatched: 0, maxAbsError: 0 };
  if (expected.type !== actual.type) return { ...base, status: 'mismatch', detail: `type ${actual.type}, expected ${expected.type}` };
  const sameShape = expected.dims.length === actual.dims.length && expected.dims.every((d, i) => d === actual.dims[i]);
  if (!sameShape) return { ...base, status: 'mismatch', detail: `shape [${actual.dims.join(', ')}], expected [${expected.dims.join(', ')}]` };
  let mismatched = 0;
  let maxAbsError = 0;
  let first: string | undefined;
  for (let i = 0; i < expected.data.length; i++) {
    const want = valueAt(expected, i);
    const got = valueAt(actual, i);
    let ok: boolean;
    if (typeof want === 'string' || typeof got === 'string' || exact(expected.type)) ok = want === got;
    else if (Number.isNaN(want) || Number.isNaN(got)) ok = Number.isNaN(want) && Number.isNaN(got);
    else if (!Number.isFinite(want) || !Number.isFinite(got)) ok = want === got;
    else {
      const error = Math.abs(got - want);
      maxAbsError = Math.max(maxAbsError, error);
      ok = error <= atol + rtol * Math.abs(want);
    }
    if (!ok) {
      mismatched++;
      first ??= `element ${i}: ${String(got)}, expected ${String(want)}`;
    }
  }
  if (mismatched === 0) return { ...base, status: 'match', maxAbsError };
  return { ...base, status: 'mismatch', mismatched, maxAbsError, detail: `${mismatched} of ${expected.data.length} elements out of tolerance (first: ${first})` };
}
