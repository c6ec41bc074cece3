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
//  5. Still open: a default from the input's evident layout (guess-shapes.ts: image H/W → 224,
//     a token sequence → 128), reported as guessed. What no layout explains → one
//     'dim-unresolved' error listing every open dim, with a command line that sets them all.
//  Pins naming no input (or, for --dim, no symbolic dim) of the model → 'usage' listing the inputs.
import { InferbenchError } from '../errors.js';
import type { Dim, TensorSpec } from '../types.js';
import type { InputPins } from './pins.js';
import { layoutDefault, unresolvedError, type GuessedDim, type OpenDim } from './guess-shapes.js';

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

/** Concrete shapes for every input, by name. `batch` is the sweep's batch size, or null. */
export function resolveShapes(specs: TensorSpec[], pins: InputPins, batch: number | null, model?: string): Map<string, number[]> {
  return resolveInputShapes(specs, pins, batch, model).shapes;
}

/**
 * Concrete shapes, and the dims that were guessed from the input's layout (guess-shapes.ts)
 * because nothing else resolved them. What no layout explains is one 'dim-unresolved' error
 * listing every open dim; `model` makes its hint a complete command line.
 */
export function resolveInputShapes(specs: TensorSpec[], pins: InputPins, batch: number | null, model?: string): { shapes: Map<string, number[]>; guessed: GuessedDim[] } {
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

  const resolvedBySpec = new Map<string, (number | null)[]>();
  for (const spec of specs) {
    const given = pins.shapes.get(spec.name);
    resolvedBySpec.set(spec.name, given !== undefined ? [...given] : spec.shape.map((d, axis): number | null => {
      if (typeof d === 'number' && d >= 0) return d;
      if (isSymbolic(d)) return sizeOfName(d);
      if (axis !== 0) return null;
      return chosen === undefined ? (batch ?? 1) : 1;
    }));
  }
  const guessed = guessOpenDims(specs, resolvedBySpec);
  const open: OpenDim[] = [];
  for (const spec of specs) {
    const resolved = resolvedBySpec.get(spec.name)!;
    resolved.forEach((size, axis) => size === null && open.push({ spec, axis, resolved }));
  }
  if (open.length > 0) throw unresolvedError(open, model);
  return { shapes: new Map([...resolvedBySpec].map(([name, dims]) => [name, dims as number[]])), guessed };
}

/**
 * Fills open dims from each input's layout, in place. A symbolic name gets one size everywhere
 * (the first guess binds it, as ONNX symbolic dims mean one size), so an input with no evident
 * layout still resolves a name that another input's layout sized.
 */
function guessOpenDims(specs: readonly TensorSpec[], resolvedBySpec: Map<string, (number | null)[]>): GuessedDim[] {
  const guessed: GuessedDim[] = [];
  const byName = new Map<string, GuessedDim>();
  for (const spec of specs) {
    const resolved = resolvedBySpec.get(spec.name)!;
    resolved.forEach((size, axis) => {
      if (size !== null) return;
      const dim = spec.shape[axis];
      const name = dim !== undefined && isSymbolic(dim) ? dim : null;
      const guess = layoutDefault(spec, axis);
      if (!guess || (name !== null && byName.has(name))) return;
      const entry = { input: spec.name, axis, dim: name, size: guess.size, layout: guess.layout };
      guessed.push(entry);
      if (name !== null) byName.set(name, entry);
      resolved[axis] = guess.size;
    });
  }
  // Names guessed in one input size the same name wherever it is still open.
  for (const spec of specs) {
    const resolved = resolvedBySpec.get(spec.name)!;
    resolved.forEach((size, axis) => {
      const dim = spec.shape[axis];
      const bound = size === null && dim !== undefined && isSymbolic(dim) ? byName.get(dim) : undefined;
      if (bound) resolved[axis] = bound.size;
    });
  }
  return guessed;
}
