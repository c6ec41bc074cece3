// Builds the host tensors a trial feeds the model: from --input-file, --value or --range pins, from
// name heuristics (masks, token type / position / token ids), or seeded random data by type.
// Deterministic: each input draws from its own mulberry32 stream seeded from hash(seed, name), so
// adding or renaming one input never changes another's values. Everything here runs before timing.
import type { HostTensor, TypedArray } from '../adapters/adapter.js';
import { InferbenchError } from '../errors.js';
import type { ElementType, InputDescription, TensorSpec } from '../types.js';
import { formatBytes } from '../report/format.js';
import { readInputFile } from './input-file.js';
import type { InputPins } from './pins.js';
import { checkPinNames } from './shapes.js';
import { mulberry32Step } from '../measure/prng.js';

type NumericType = Exclude<ElementType, 'string'>;
type IntType = Exclude<NumericType, 'float16' | 'float32' | 'float64'>;

/** Token ids are drawn from [0, TOKEN_ID_LIMIT): inside any real vocabulary (BERT's is 30522). */
export const TOKEN_ID_LIMIT = 1000;
/** Refuse inputs larger than this: typed arrays beyond it fail late with an obscure RangeError. */
export const MAX_INPUT_BYTES = 2 ** 32;

/** Value limits of integer types; 64-bit ones are limited to what a JS number holds exactly. */
const INT_LIMITS: Record<IntType, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  bool: [0, 1],
};

type NumberArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
const NUMBER_ARRAYS: Record<Exclude<NumericType, 'float16' | 'int64' | 'uint64' | 'bool'>, new (n: number) => NumberArray> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
};
const BYTES: Record<NumericType, number> = {
  float16: 2, float32: 4, float64: 8, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1,
};

// ---- seeded randomness -----------------------------------------------------------------------

/** FNV-1a 32-bit hash of a string: derives one stream seed per (seed, input name). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seeded stream: mulberry32 (Tommy Ettinger, public domain) — small, fast, well mixed. */
export class RandomStream {
  private state: number;
  private spare: number | null = null;

  /** How sources name this stream: 'seed 42'. */
  readonly tag: string;

  constructor(seed: number, name: string) {
    this.state = fnv1a(`${seed}\u0000${name}`);
    this.tag = `seed ${seed}`;
  }

  /** The next uint32. */
  nextUint32(): number {
    const [value, next] = mulberry32Step(this.state);
    this.state = next;
    return value;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** Standard normal by Box–Muller; the second value of each pair is kept for the next call. */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform())); // 1 - u is in (0, 1]: no log(0)
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Uniform integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo));
  }
}

// ---- float16 ---------------------------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * IEEE 754 binary16 bits of `value`, rounded to nearest, ties to even, with subnormals, ±0, ±inf
 * (|value| >= 65520 overflows) and NaN (0x7e00 quiet). The value is first rounded to float32, so
 * a float64 lying within float32 rounding of a half-way point may round differently from a direct
 * conversion — irrelevant for synthetic data.
 */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | (mant === 0 ? 0x7c00 : 0x7e00);
  const e = exp - 127 + 15; // the half-precision biased exponent
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal (2^-25): rounds to ±0
    const full = mant | 0x800000; // the implicit leading 1
    const shift = 14 - e;
    const half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const tie = 1 << (shift - 1);
    return sign | (rest > tie || (rest === tie && (half & 1) === 1) ? half + 1 : half); // 0x400 = smallest normal
  }
  const bits = sign | (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return rest > 0x1000 || (rest === 0x1000 && (bits & 1) === 1) ? bits + 1 : bits; // a carry into the exponent is right, up to inf
}

/** The number that binary16 `bits` encode. */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

// ---- choosing values -------------------------------------------------------------------------

interface Plan {
  source: string;
  value: (index: number) => number;
}

function isInt(type: NumericType): type is IntType {
  return type !== 'float16' && type !== 'float32' && type !== 'float64';
}

/** The name without case or TensorFlow's ':0' suffix, for the heuristics. */
function baseName(name: string): string {
  return name.toLowerCase().replace(/:\d+$/, '');
}

function checkInts(name: string, type: IntType, flag: string, ...values: number[]): void {
  const [min, max] = INT_LIMITS[type];
  if (values.some((v) => !Number.isInteger(v) || v < min || v > max)) {
    throw new InferbenchError(
      'input-invalid',
      `${flag} for input '${name}' does not fit its type ${type}`,
      `give integers in [${min}, ${max}]${flag === '--range' ? ' (hi is exclusive: up to max+1)' : ''}`,
    );
  }
}

function pinnedPlan(spec: TensorSpec & { type: NumericType }, pins: InputPins, rng: RandomStream): Plan | null {
  const value = pins.values.get(spec.name);
  if (value !== undefined) {
    if (isInt(spec.type)) checkInts(spec.name, spec.type, '--value', value);
    return { source: `const ${value}`, value: () => value };
  }
  const range = pins.ranges.get(spec.name);
  if (range === undefined) return null;
  const [lo, hi] = range;
  if (isInt(spec.type)) {
    checkInts(spec.name, spec.type, '--range', lo, hi - 1);
    return { source: `uniform int [${lo},${hi}) ${rng.tag}`, value: () => rng.int(lo, hi) };
  }
  return { source: `uniform [${lo},${hi}) ${rng.tag}`, value: () => lo + rng.uniform() * (hi - lo) };
}

function heuristicPlan(spec: TensorSpec & { type: NumericType }, dims: number[], rng: RandomStream): Plan | null {
  const name = baseName(spec.name);
  if (name.includes('mask')) return { source: 'ones (mask)', value: () => 1 };
  if (name.endsWith('token_type_ids') || name.endsWith('segment_ids')) return { source: 'zeros (token types)', value: () => 0 };
  if (name.endsWith('position_ids')) {
    const row = dims[dims.length - 1] ?? 1;
    return { source: `positions 0..${row - 1} per row`, value: (i) => i % row };
  }
  const isIds = name === 'ids' || name === 'tokens' || name.endsWith('_ids');
  if (isIds && isInt(spec.type) && spec.type !== 'bool') {
    const hi = Math.min(TOKEN_ID_LIMIT, INT_LIMITS[spec.type][1] + 1);
    return { source: `token ids uniform [0,${hi}) ${rng.tag}`, value: () => rng.int(0, hi) };
  }
  return null;
}

function defaultPlan(type: NumericType, rng: RandomStream): Plan {
  if (!isInt(type)) return { source: `normal(0,1) ${rng.tag}`, value: () => rng.normal() };
  if (type === 'bool') return { source: `random bool ${rng.tag}`, value: () => rng.int(0, 2) };
  const hi = type === 'uint8' ? 256 : 100; // uint8 as pixels; other ints small and non-negative (safe as indices)
  return { source: `uniform int [0,${hi}) ${rng.tag}`, value: () => rng.int(0, hi) };
}

function encode(type: NumericType, count: number, value: (index: number) => number): TypedArray {
  if (type === 'float16') {
    const out = new Uint16Array(count);
    for (let i = 0; i < count; i++) out[i] = float32ToFloat16Bits(value(i));
    return out;
  }
  if (type === 'int64' || type === 'uint64') {
    const out = type === 'int64' ? new BigInt64Array(count) : new BigUint64Array(count);
    for (let i = 0; i < count; i++) out[i] = BigInt(value(i));
    return out;
  }
  if (type === 'bool') {
    const out = new Uint8Array(count); // ONNX Runtime's JS 'bool' tensors take a Uint8Array of 0/1
    for (let i = 0; i < count; i++) out[i] = value(i) ? 1 : 0;
    return out;
  }
  const out = new NUMBER_ARRAYS[type](count);
  for (let i = 0; i < count; i++) out[i] = value(i);
  return out;
}

function buildStrings(spec: TensorSpec, count: number, pins: InputPins, rng: RandomStream): { data: string[]; source: string } {
  if (pins.ranges.has(spec.name) || pins.files.has(spec.name)) {
    throw new InferbenchError('input-invalid', `input '${spec.name}' holds strings: only --value can set it`, `e.g. --value ${spec.name}=1`);
  }
  const value = pins.values.get(spec.name);
  if (value !== undefined) return { data: new Array<string>(count).fill(String(value)), source: `const '${value}'` };
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const word = (): string => Array.from({ length: rng.int(3, 9) }, () => letters[rng.int(0, 26)]).join('');
  return { data: Array.from({ length: count }, word), source: `random words (3-8 letters) ${rng.tag}` };
}

function buildOne(spec: TensorSpec, dims: number[], pins: InputPins, seed: number): { tensor: HostTensor; source: string } {
  const count = dims.reduce((a, b) => a * b, 1);
  const rng = new RandomStream(seed, spec.name);
  if (spec.type === 'string') {
    const { data, source } = buildStrings(spec, count, pins, rng);
    return { tensor: { name: spec.name, type: spec.type, dims: [...dims], data }, source };
  }
  const bytes = count * BYTES[spec.type];
  if (bytes > MAX_INPUT_BYTES) {
    // One configuration (a large batch) too big to build is that trial's failure, like an OOM:
    // the sweep records it and goes on with the sizes that fit.
    throw new InferbenchError('out-of-memory', `input '${spec.name}' of shape [${dims.join(', ')}] would take ${formatBytes(bytes)}, over the ${formatBytes(MAX_INPUT_BYTES)} a tensor may take`, 'pass a smaller --batch, --shape or --dim');
  }
  const file = pins.files.get(spec.name);
  if (file !== undefined) return { tensor: readInputFile(file, spec, dims), source: `file ${file}` };
  const numeric = spec as TensorSpec & { type: NumericType };
  const plan = pinnedPlan(numeric, pins, rng) ?? heuristicPlan(numeric, dims, rng) ?? defaultPlan(numeric.type, rng);
  const data = encode(numeric.type, count, plan.value);
  return { tensor: { name: spec.name, type: spec.type, dims: [...dims], data }, source: plan.source };
}

/**
 * One host tensor per model input, with a description of how its values were made. `shapes` comes
 * from resolveShapes; pins override the heuristics, which override the per-type defaults.
 */
export function buildInputs(
  specs: TensorSpec[],
  shapes: Map<string, number[]>,
  pins: InputPins,
  seed: number,
): { tensors: HostTensor[]; descriptions: InputDescription[] } {
  checkPinNames(specs, pins);
  const tensors: HostTensor[] = [];
  const descriptions: InputDescription[] = [];
  for (const spec of specs) {
    const dims = shapes.get(spec.name);
    if (dims === undefined) throw new Error(`buildInputs: no resolved shape for input '${spec.name}'`);
    const { tensor, source } = buildOne(spec, dims, pins, seed);
    tensors.push(tensor);
    descriptions.push({ name: spec.name, type: spec.type, dims: [...dims], source });
  }
  return { tensors, descriptions };
}
