// The user's input pins: what the command line says about a model's inputs, parsed from strings
// like `ids=1x128`. Each parser throws InferbenchError('usage') with the correct syntax as hint.
// Names are matched against the model later (shapes.ts), where a typo becomes an error too.
import { InferbenchError } from '../errors.js';

export interface InputPins {
  /** `--shape name=1x3x224x224`: the full shape of one input. */
  shapes: Map<string, number[]>;
  /** `--dim seq=128`: the size of a symbolic dim, wherever it appears. */
  dims: Map<string, number>;
  /** `--value sr=16000`: fill an input with one constant. */
  values: Map<string, number>;
  /**
   * `--range ids=0:30000`: uniform values in [lo, hi) — lo inclusive, hi exclusive, for integer
   * inputs (lo..hi-1) and float inputs alike. lo < hi.
   */
  ranges: Map<string, [number, number]>;
  /** `--input-file ids=path/to/ids.npy`: read the input from a .npy or raw .bin file. */
  files: Map<string, string>;
  /** `--batch-dim N`: the symbolic dim the sweep's batch sets, when the heuristic cannot tell. */
  batchDim?: string;
}

export function emptyPins(): InputPins {
  return { shapes: new Map(), dims: new Map(), values: new Map(), ranges: new Map(), files: new Map() };
}

interface PinSyntax {
  flag: string;
  example: string;
}

const SHAPE: PinSyntax = { flag: '--shape', example: '--shape input=1x3x224x224 (or 1,3,224,224)' };
const DIM: PinSyntax = { flag: '--dim', example: '--dim batch=4' };
const VALUE: PinSyntax = { flag: '--value', example: '--value sr=16000' };
const RANGE: PinSyntax = { flag: '--range', example: '--range ids=0:30000 (lo inclusive, hi exclusive)' };
const FILE: PinSyntax = { flag: '--input-file', example: '--input-file ids=path/to/ids.npy (.npy or raw .bin)' };

function usage(syntax: PinSyntax, raw: string, why: string): InferbenchError {
  return new InferbenchError('usage', `${syntax.flag} '${raw}': ${why}`, `expected ${syntax.example}`);
}

/**
 * Splits `name=value`. Names may hold ':' or '/' (TensorFlow's `input:0`); the value of a file pin
 * may hold '=', so files split at the first '=' and everything else at the last.
 */
function splitPin(raw: string, syntax: PinSyntax, at: 'first' | 'last'): [string, string] {
  const i = at === 'first' ? raw.indexOf('=') : raw.lastIndexOf('=');
  if (i < 0) throw usage(syntax, raw, "missing '='");
  const name = raw.slice(0, i).trim();
  const value = raw.slice(i + 1).trim();
  if (name === '') throw usage(syntax, raw, 'missing the name before =');
  if (value === '') throw usage(syntax, raw, 'missing the value after =');
  return [name, value];
}

const INTEGER = /^[0-9]+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function positiveInt(text: string, syntax: PinSyntax, raw: string, what: string): number {
  const n = Number(text);
  if (!INTEGER.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw usage(syntax, raw, `${what} '${text}' is not a positive integer`);
  }
  return n;
}

function finiteNumber(text: string, syntax: PinSyntax, raw: string, what: string): number {
  const n = Number(text);
  if (!NUMBER.test(text) || !Number.isFinite(n)) throw usage(syntax, raw, `${what} '${text}' is not a number`);
  return n;
}

/** `x=1x3x224x224` or `x=1,3,224,224`. Every dim is a positive integer. */
export function parseShapePin(raw: string): [string, number[]] {
  const [name, value] = splitPin(raw, SHAPE, 'last');
  const parts = value.split(/[x,]/i).map((p) => p.trim());
  const dims = parts.map((p) => positiveInt(p, SHAPE, raw, 'dim'));
  return [name, dims];
}

/** `batch=4`: a symbolic dim's size, a positive integer. */
export function parseDimPin(raw: string): [string, number] {
  const [name, value] = splitPin(raw, DIM, 'last');
  return [name, positiveInt(value, DIM, raw, 'size')];
}

/** `sr=16000`: a finite number (checked against the input's type when inputs are built). */
export function parseValuePin(raw: string): [string, number] {
  const [name, value] = splitPin(raw, VALUE, 'last');
  return [name, finiteNumber(value, VALUE, raw, 'value')];
}

/** `ids=0:30000`: lo < hi; uniform in [lo, hi), so integer inputs get lo..hi-1. */
export function parseRangePin(raw: string): [string, [number, number]] {
  const [name, value] = splitPin(raw, RANGE, 'last');
  const parts = value.split(':');
  if (parts.length !== 2) throw usage(RANGE, raw, "the range must be lo:hi with one ':'");
  const lo = finiteNumber((parts[0] ?? '').trim(), RANGE, raw, 'lo');
  const hi = finiteNumber((parts[1] ?? '').trim(), RANGE, raw, 'hi');
  if (!(lo < hi)) throw usage(RANGE, raw, `lo (${lo}) must be less than hi (${hi})`);
  return [name, [lo, hi]];
}

/** `ids=path/to/ids.npy`: the path is kept as given; reading happens when inputs are built. */
export function parseFilePin(raw: string): [string, string] {
  return splitPin(raw, FILE, 'first');
}

type PinParser<T> = (raw: string) => [string, T];

/** One `name=value` pin added to the pins of its flag so far (repeatable flags); a name given twice is a usage error. */
function addPin<T>(parse: PinParser<T>, syntax: PinSyntax): (raw: string, previous: Record<string, T> | undefined) => Record<string, T> {
  return (raw, previous = {}) => {
    const [name, value] = parse(raw);
    if (Object.hasOwn(previous, name)) throw usage(syntax, raw, `'${name}' is given more than once`);
    return { ...previous, [name]: value };
  };
}

export const addShapePin = addPin(parseShapePin, SHAPE);
export const addDimPin = addPin(parseDimPin, DIM);
export const addValuePin = addPin(parseValuePin, VALUE);
export const addRangePin = addPin(parseRangePin, RANGE);
export const addFilePin = addPin(parseFilePin, FILE);

/**
 * --value, --range and --input-file each decide all of an input's values: an input given more
 * than one of them is a usage error.
 */
export function checkOneFillPerInput(pins: InputPins): void {
  const fills: [string, Map<string, unknown>][] = [
    ['--value', pins.values],
    ['--range', pins.ranges],
    ['--input-file', pins.files],
  ];
  const seen = new Map<string, string>();
  for (const [flag, map] of fills) {
    for (const name of map.keys()) {
      const other = seen.get(name);
      if (other !== undefined) {
        throw new InferbenchError(
          'usage',
          `input '${name}' is given both ${other} and ${flag}`,
          'give each input at most one of --value, --range and --input-file',
        );
      }
      seen.set(name, flag);
    }
  }
}

export interface PinStrings {
  shape?: string[];
  dim?: string[];
  value?: string[];
  range?: string[];
  inputFile?: string[];
}

/**
 * Parses every pin from raw strings. A name pinned twice by one flag, or given more than one of
 * --value, --range and --input-file, is a usage error.
 */
export function collectPins(strings: PinStrings): InputPins {
  const all = <T>(raws: string[] | undefined, add: (raw: string, previous: Record<string, T> | undefined) => Record<string, T>): Map<string, T> =>
    new Map(Object.entries((raws ?? []).reduce<Record<string, T> | undefined>((acc, raw) => add(raw, acc), undefined) ?? {}));
  const pins: InputPins = {
    shapes: all(strings.shape, addShapePin),
    dims: all(strings.dim, addDimPin),
    values: all(strings.value, addValuePin),
    ranges: all(strings.range, addRangePin),
    files: all(strings.inputFile, addFilePin),
  };
  checkOneFillPerInput(pins);
  return pins;
}
