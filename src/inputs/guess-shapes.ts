// Default sizes for dynamic dims that neither the model, the flags nor the data resolve, read from
// the input's evident layout — the way optimum-benchmark gives every task default input shapes
// (batch_size 1, sequence_length, height/width 224 for image models: optimum_benchmark/
// generators/input_generator.py and the scenario's `input_shapes`). A guess is never silent: the
// trial carries a `guessed-shapes` warning naming each guessed dim and the flag that sets it, and
// the report's input descriptions record it. Where no layout is evident nothing is guessed and the
// error lists every unresolved dim at once (unresolvedError).
import { InferbenchError } from '../errors.js';
import type { Dim, ElementType, TensorSpec } from '../types.js';

/** Image height and width: the ImageNet crop nearly every vision backbone was trained at. */
export const DEFAULT_IMAGE_SIZE = 224;
/** Token sequence length when the name does not say (the same 128 as a sequence-like name). */
export const DEFAULT_TOKEN_SEQUENCE = 128;
/** Channel counts that mark an axis as the channel axis of an image (grey, RGB, RGBA). */
const IMAGE_CHANNELS = new Set([1, 3, 4]);
const INTEGER_TYPES = new Set<ElementType>(['int64', 'int32', 'uint32', 'int16', 'uint16', 'int8', 'uint8']);
const FLOAT_TYPES = new Set<ElementType>(['float32', 'float16', 'float64']);

/** One dim the layout filled in. */
export interface GuessedDim {
  input: string;
  axis: number;
  /** The symbolic name, or null for an unnamed dynamic dim. */
  dim: string | null;
  size: number;
  /** The layout it was read from, e.g. 'image [N, 3, H, W]'. */
  layout: string;
}

const isDynamic = (d: Dim | undefined): boolean => d === null || d === '' || typeof d === 'string' || (typeof d === 'number' && d < 0);
const fixedIn = (d: Dim | undefined, set: Set<number>): boolean => typeof d === 'number' && set.has(d);

/** The layout-based default for one axis of an input, or null when its layout says nothing. */
export function layoutDefault(spec: TensorSpec, axis: number): { size: number; layout: string } | null {
  const s = spec.shape;
  if (axis === 0) return null; // the batch: resolved as 1 (or --batch) before any guess
  if (s.length === 4 && FLOAT_TYPES.has(spec.type)) {
    // NCHW: a fixed channel count at axis 1 and dynamic H/W; NHWC: the channels last.
    if (fixedIn(s[1], IMAGE_CHANNELS) && (axis === 2 || axis === 3) && (isDynamic(s[2]) || isDynamic(s[3]))) {
      return { size: DEFAULT_IMAGE_SIZE, layout: `image [N, ${String(s[1])}, H, W]` };
    }
    if (fixedIn(s[3], IMAGE_CHANNELS) && (axis === 1 || axis === 2) && (isDynamic(s[1]) || isDynamic(s[2]))) {
      return { size: DEFAULT_IMAGE_SIZE, layout: `image [N, H, W, ${String(s[3])}]` };
    }
  }
  // Token ids, masks, type ids: an integer [N, S] input is a token sequence.
  if (s.length === 2 && axis === 1 && INTEGER_TYPES.has(spec.type)) return { size: DEFAULT_TOKEN_SEQUENCE, layout: 'token sequence [N, S]' };
  // Nothing else is evident: a float [N, ?, D] may be a sequence of vectors, but it may as well be
  // a recurrent state [layers, N, D] whose open dim is a batch that must match another input's.
  return null;
}

const dimLabel = (g: { dim: string | null; axis: number }): string => (g.dim === null ? `axis ${g.axis} (unnamed)` : `'${g.dim}' (axis ${g.axis})`);

/** "guessed shapes: x 'h' (axis 2) = 224, ... (image [N, 3, H, W]) — set them with ..." */
export function guessedShapesMessage(guessed: readonly GuessedDim[], shapes: ReadonlyMap<string, number[]>): string {
  const byInput = new Map<string, GuessedDim[]>();
  for (const g of guessed) byInput.set(g.input, [...(byInput.get(g.input) ?? []), g]);
  const parts = [...byInput].map(([input, dims]) => `input '${input}' ${dims.map((g) => `${dimLabel(g)} = ${g.size}`).join(', ')} (${dims[0]!.layout})`);
  const flags = new Set<string>();
  for (const g of guessed) flags.add(g.dim === null ? `--shape ${g.input}=${(shapes.get(g.input) ?? []).join('x')}` : `--dim ${g.dim}=<n>`);
  return `the model leaves these dims open, so their sizes are guesses from the input's layout: ${parts.join('; ')} — set them with ${[...flags].join(' ')}`;
}

/** One unresolved dim, for the all-dims error. */
export interface OpenDim {
  spec: TensorSpec;
  axis: number;
  /** The input's shape so far: sizes where known, null where open. */
  resolved: (number | null)[];
}

/**
 * Every unresolved dim in one error: the message names them all, and the hint is one complete
 * command line that sets each (`<n>` where a size is needed).
 */
export function unresolvedError(open: readonly OpenDim[], model: string | undefined): InferbenchError {
  const byInput = new Map<string, OpenDim[]>();
  for (const o of open) byInput.set(o.spec.name, [...(byInput.get(o.spec.name) ?? []), o]);
  const describe = (o: OpenDim): string => {
    const dim = o.spec.shape[o.axis];
    return typeof dim === 'string' && dim !== '' ? `dim '${dim}' (axis ${o.axis})` : `dynamic dim at axis ${o.axis} (no name)`;
  };
  const message = open.length === 1
    ? `input '${open[0]!.spec.name}': ${describe(open[0]!)} is unresolved`
    : `${open.length} dims are unresolved: ${[...byInput].map(([name, dims]) => `input '${name}' ${dims.map(describe).join(', ')}`).join('; ')}`;
  const flags: string[] = [];
  const named = new Set<string>();
  for (const [name, dims] of byInput) {
    const unnamed = dims.some((o) => !(typeof o.spec.shape[o.axis] === 'string' && o.spec.shape[o.axis] !== ''));
    if (unnamed) {
      // Unnamed dims can only be set through the whole shape.
      const shape = dims[0]!.resolved.map((size) => (size === null ? '<n>' : String(size)));
      flags.push(`--shape ${name}=${shape.join('x')}`);
      continue;
    }
    for (const o of dims) {
      const dim = o.spec.shape[o.axis] as string;
      if (!named.has(dim)) flags.push(`--dim ${dim}=<n>`);
      named.add(dim);
    }
  }
  const why = open.length === 1 ? '' : ' (all of them)';
  const hint = `no layout to guess from: give the size${open.length === 1 ? '' : 's'}${why}, e.g. inferbench profile ${model ?? 'MODEL'} ${flags.join(' ')}`;
  return new InferbenchError('dim-unresolved', message, hint);
}
