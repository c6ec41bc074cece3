// Stacking requests into one model batch and splitting the outputs back: what a dynamic batcher's
// backend does with the requests it was handed (Triton concatenates along the batch dim of each
// input and slices each output by the requests' batch sizes).
import type { HostTensor, TypedArray } from '../model/spec.js';

type Data = HostTensor['data'];

/**
 * One tensor per input: the requests' tensors of that input concatenated along its batch axis
 * (`axes`: input name → axis; null = no batch axis: every request must carry the same shape, and
 * the first request's tensor is used, e.g. a constant setting fed beside the data).
 */
export function stackRequests(requests: readonly (readonly HostTensor[])[], axes: ReadonlyMap<string, number | null>): HostTensor[] {
  const first = requests[0];
  if (first === undefined) throw new RangeError('stackRequests: no requests');
  if (requests.length === 1) return [...first];
  return first.map((tensor, j) => {
    const parts = requests.map((r) => r[j]!);
    const axis = axes.get(tensor.name) ?? null;
    if (axis === null) return tensor;
    return concat(parts, axis);
  });
}

/**
 * The batch's outputs split back per request. Each output is cut along its batch axis — axis 0
 * when its size there is the batch's item count, else the first axis of that size — into slices
 * of `counts` items; an output with no such axis (a per-batch scalar) goes to every request whole.
 */
export function splitOutputs(outputs: readonly HostTensor[], counts: readonly number[]): HostTensor[][] {
  if (counts.length === 1) return [[...outputs]];
  const total = counts.reduce((a, b) => a + b, 0);
  const perRequest: HostTensor[][] = counts.map(() => []);
  for (const output of outputs) {
    const axis = output.dims[0] === total ? 0 : output.dims.indexOf(total);
    if (axis < 0) {
      for (const list of perRequest) list.push(output);
      continue;
    }
    slices(output, axis, counts).forEach((slice, i) => perRequest[i]!.push(slice));
  }
  return perRequest;
}

function blockShape(dims: readonly number[], axis: number): { outer: number; inner: number } {
  let outer = 1;
  let inner = 1;
  dims.forEach((d, k) => {
    if (k < axis) outer *= d;
    else if (k > axis) inner *= d;
  });
  return { outer, inner };
}

function concat(parts: readonly HostTensor[], axis: number): HostTensor {
  const head = parts[0]!;
  for (const p of parts) {
    const same = p.dims.length === head.dims.length && p.dims.every((d, k) => k === axis || d === head.dims[k]);
    if (!same || p.type !== head.type) throw new RangeError(`input '${head.name}': requests of shapes [${head.dims}] and [${p.dims}] cannot be stacked along axis ${axis}`);
  }
  const sizes = parts.map((p) => p.dims[axis]!);
  const dims = head.dims.map((d, k) => (k === axis ? sizes.reduce((a, b) => a + b, 0) : d));
  const { outer, inner } = blockShape(head.dims, axis);
  const length = outer * inner * dims[axis]!;
  const data = allocLike(head.data, length);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    parts.forEach((p, i) => {
      const block = sizes[i]! * inner;
      copyInto(data, at, p.data, o * block, block);
      at += block;
    });
  }
  return { name: head.name, type: head.type, dims, data };
}

function slices(tensor: HostTensor, axis: number, counts: readonly number[]): HostTensor[] {
  const { outer, inner } = blockShape(tensor.dims, axis);
  const total = tensor.dims[axis]!;
  let offset = 0;
  return counts.map((count) => {
    const dims = tensor.dims.map((d, k) => (k === axis ? count : d));
    const data = allocLike(tensor.data, outer * count * inner);
    for (let o = 0; o < outer; o++) copyInto(data, o * count * inner, tensor.data, (o * total + offset) * inner, count * inner);
    offset += count;
    return { name: tensor.name, type: tensor.type, dims, data };
  });
}

function allocLike(data: Data, length: number): Data {
  if (Array.isArray(data)) return new Array<string>(length);
  const Ctor = data.constructor as new (n: number) => TypedArray;
  return new Ctor(length);
}

function copyInto(target: Data, at: number, source: Data, from: number, length: number): void {
  if (Array.isArray(target) || Array.isArray(source)) {
    const s = source as string[];
    const t = target as string[];
    for (let i = 0; i < length; i++) t[at + i] = s[from + i]!;
    return;
  }
  (target as unknown as { set(a: ArrayLike<unknown>, offset: number): void }).set(source.subarray(from, from + length) as ArrayLike<unknown>, at);
}
