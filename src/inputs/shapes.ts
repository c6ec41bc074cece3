// Turns a model's input shapes (with symbolic and dynamic dims) plus the user's pins into concrete
// shapes. The rules, in order of precedence:
//
//  1. `--shape input=AxBxC` wins for that input. Its rank must equal the model's and every fixed dim
//     must agree (else 'shape-invalid'). The sizes it gives to symbolic dims bind those names for
//     the other inputs too (ids and attention_mask share 'seq'), unless `--dim` says otherwise.
//  2. A fixed dim (a number >= 0) is itself. A negative number is treated as an unnamed dynamic dim.
//  3. A symbolic dim (a name) gets, in order: `--dim name=N`; the size a `--shape` gave it; the
//     sweep's `batch` when the name is a batch dim (see batchDimOf, or a batch-like name); then a
//     default for well-known names: batch-like → 1, sequence-like → 128. Anything else is
//     unresolved. One name gets one size across all inputs, as ONNX symbolic dims mean.
//  4. An unnamed dynamic dim (null or '') at axis 0 is the batch: `batch`, or 1. Elsewhere it is
//     unresolved: only `--shape` can size it.
//  `--batch-dim NAME` replaces the batch heuristics of 3 and 4: that symbolic dim, and only it,
//  takes the sweep's batch (time-major [seq, N] layouts, or names no heuristic knows); other
//  batch-like names and an unnamed axis 0 then default to 1.
//  Unresolved → 'dim-unresolved' naming the input, dim and axis, with the flag that fixes it.
//  Pins naming no input (or, for --dim, no symbolic dim) of the model → 'usage' listing the inputs.
import { InferbenchError } from '../errors.js';
import type { Dim, TensorSpec } from '../types.js';
import type { InputPins } from './pins.js';

const BATCH_NAME = /batch|^(n|b|bs|nb)$/i;
const SEQUENCE_NAMES = new Set([
  'sequence',
  'seq',
  'seq_len',
  'seqlen',
  'sequence_length',
  'max_seq_len',
  'tokens',
  'length',
  'num_tokens',
]);
/** Default for a sequence-like dim: a common BERT-style length, short enough to be quick. */
export const DEFAULT_SEQUENCE_LENGTH = 128;

function isSymbolic(dim: Dim): dim is string {
  return typeof dim === 'string' && dim !== '';
}
function isUnnamed(dim: Dim): boolean {
  return dim === null || dim === '' || (typeof dim === 'number' && dim < 0);
}
function isBatchName(name: string): boolean {
  return BATCH_NAME.test(name);
}
function isSequenceName(name: string): boolean {
  return SEQUENCE_NAMES.has(name.toLowerCase());
}

/**
 * The axis that holds the batch, or null: axis 0 when it is dynamic (named or not) and its name is
 * not sequence-like (time-major [seq, batch] layouts); else the first dim with a batch-like name
 * (batch, batch_size, N, bs, ...). `unk__*` (tf2onnx's unnamed dims) counts only at axis 0.
 */
export function batchDimOf(spec: TensorSpec, batchDim?: string): number | null {
  if (batchDim !== undefined) {
    const axis = spec.shape.indexOf(batchDim);
    return axis < 0 ? null : axis;
  }
  const first = spec.shape[0];
  if (first !== undefined && (isUnnamed(first) || (isSymbolic(first) && !isSequenceName(first)))) return 0;
  const i = spec.shape.findIndex((d) => isSymbolic(d) && isBatchName(d));
  return i < 0 ? null : i;
}

function formatDim(dim: Dim): string {
  return dim === null || dim === '' ? '?' : String(dim);
}
function describeInputs(specs: readonly TensorSpec[]): string {
  const list = specs.map((s) => `${s.name} [${s.shape.map(formatDim).join(', ')}] ${s.type}`);
  return `the model's inputs: ${list.join('; ') || '(none)'}`;
}

/** Every pin must name an input (or, for --dim, a symbolic dim) of the model: typos must not pass. */
export function checkPinNames(specs: readonly TensorSpec[], pins: InputPins): void {
  const inputs = new Set(specs.map((s) => s.name));
  const perInput: [string, Map<string, unknown>][] = [
    ['--shape', pins.shapes],
    ['--value', pins.values],
    ['--range', pins.ranges],
    ['--input-file', pins.files],
  ];
  for (const [flag, map] of perInput) {
    for (const name of map.keys()) {
      if (!inputs.has(name)) {
        throw new InferbenchError('usage', `${flag} names '${name}', which is not an input of the model`, describeInputs(specs));
      }
    }
  }
  const symbols = new Set(specs.flatMap((s) => s.shape.filter(isSymbolic)));
  if (pins.batchDim !== undefined && !symbols.has(pins.batchDim)) {
    const known = symbols.size > 0 ? `symbolic dims: ${[...symbols].join(', ')}; ` : 'the model has no symbolic dims, so its batch is fixed; ';
    throw new InferbenchError('usage', `--batch-dim names '${pins.batchDim}', which is not a dim of the model`, known + describeInputs(specs));
  }
  for (const name of pins.dims.keys()) {
    if (!symbols.has(name)) {
      const known = symbols.size > 0 ? `symbolic dims: ${[...symbols].join(', ')}; ` : 'the model has no symbolic dims; ';
      throw new InferbenchError('usage', `--dim names '${name}', which is not a dim of the model`, known + describeInputs(specs));
    }
  }
}

function checkShapePin(spec: TensorSpec, given: number[]): void {
  const fixedMismatch = spec.shape.some((d, i) => typeof d === 'number' && d >= 0 && d !== given[i]);
  if (given.length !== spec.shape.length || fixedMismatch) {
    const expected = `[${spec.shape.map(formatDim).join(', ')}]`;
    const why = given.length !== spec.shape.length ? `rank ${spec.shape.length}` : 'those fixed dims';
    throw new InferbenchError(
      'shape-invalid',
      `--shape ${spec.name}=${given.join('x')} does not fit input '${spec.name}': the model expects ${expected}`,
      `give ${why}, e.g. --shape ${spec.name}=${spec.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : '?')).join('x')}`,
    );
  }
}

/** Sizes that --shape pins give to symbolic names; --dim takes precedence and must not conflict. */
function bindingsFromShapes(specs: readonly TensorSpec[], pins: InputPins): Map<string, number> {
  const bound = new Map<string, number>();
  for (const spec of specs) {
    const given = pins.shapes.get(spec.name);
    if (given === undefined) continue;
    checkShapePin(spec, given);
    spec.shape.forEach((d, i) => {
      const size = given[i];
      if (!isSymbolic(d) || size === undefined) return;
      const pinned = pins.dims.get(d);
      if (pinned !== undefined && pinned !== size) {
        throw new InferbenchError(
          'shape-invalid',
          `--shape ${spec.name}=${given.join('x')} gives dim '${d}' size ${size} but --dim ${d}=${pinned}`,
          `make them agree, or drop one of them`,
        );
      }
      if (!bound.has(d)) bound.set(d, size);
    });
  }
  return bound;
}

function unresolved(spec: TensorSpec, axis: number, resolved: (number | null)[]): InferbenchError {
  const dim = spec.shape[axis] ?? null;
  const named = isSymbolic(dim);
  const example = resolved.map((size, i) => (i === axis && named ? '<n>' : size === null ? '?' : size)).join('x');
  return named
    ? new InferbenchError(
        'dim-unresolved',
        `input '${spec.name}': dim '${dim}' (axis ${axis}) is unresolved`,
        `pass --dim ${dim}=<n> or --shape ${spec.name}=${example}`,
      )
    : new InferbenchError(
        'dim-unresolved',
        `input '${spec.name}': dynamic dim at axis ${axis} has no name and no size`,
        `pass --shape ${spec.name}=${example} with the ? filled in`,
      );
}

/** Concrete shapes for every input, by name. `batch` is the sweep's batch size, or null. */
export function resolveShapes(specs: TensorSpec[], pins: InputPins, batch: number | null): Map<string, number[]> {
  checkPinNames(specs, pins);
  const fromShapes = bindingsFromShapes(specs, pins);
  const batchNames = new Set<string>();
  const chosen = pins.batchDim;
  for (const spec of specs) {
    const axis = batchDimOf(spec, chosen);
    const dim = axis === null ? undefined : spec.shape[axis];
    if (dim !== undefined && isSymbolic(dim)) batchNames.add(dim);
  }
  const sizeOfName = (name: string): number | null => {
    const size = pins.dims.get(name) ?? fromShapes.get(name);
    if (size !== undefined) return size;
    if (batchNames.has(name)) return batch ?? 1;
    if (isBatchName(name)) return chosen === undefined ? (batch ?? 1) : 1;
    return isSequenceName(name) ? DEFAULT_SEQUENCE_LENGTH : null;
  };

  const shapes = new Map<string, number[]>();
  for (const spec of specs) {
    const given = pins.shapes.get(spec.name);
    if (given !== undefined) {
      shapes.set(spec.name, [...given]);
      continue;
    }
    const resolved = spec.shape.map((d, axis): number | null => {
      if (typeof d === 'number' && d >= 0) return d;
      if (isSymbolic(d)) return sizeOfName(d);
      if (axis !== 0) return null;
      return chosen === undefined ? (batch ?? 1) : 1;
    });
    const missing = resolved.indexOf(null);
    if (missing >= 0) throw unresolved(spec, missing, resolved);
    shapes.set(spec.name, resolved as number[]);
  }
  return shapes;
}
