// A paired comparison of two models whose inputs differ (Silero VAD v4 takes h and c, v5 takes
// state): each side builds its inputs from its own metadata, and a pin (--shape, --dim, --value,
// --range, --input-file, --batch-dim) applies to every side that has that input or dim. A name
// neither side has is still the usage error a typo deserves.
import { InferbenchError, isInferbenchError } from '../errors.js';
import type { TensorSpec } from '../types.js';
import { checkPinNames } from './shapes.js';
import type { InputPins } from './pins.js';

const symbolsOf = (specs: readonly TensorSpec[]): Set<string> => new Set(specs.flatMap((s) => s.shape.filter((d): d is string => typeof d === 'string' && d !== '')));

/** The pins that concern a model with these inputs: those naming its inputs, its symbolic dims. */
export function pinsFor(specs: readonly TensorSpec[], pins: InputPins): InputPins {
  const inputs = new Set(specs.map((s) => s.name));
  const symbols = symbolsOf(specs);
  const own = <V>(map: Map<string, V>, names: Set<string>): Map<string, V> => new Map([...map].filter(([name]) => names.has(name)));
  return {
    shapes: own(pins.shapes, inputs),
    dims: own(pins.dims, symbols),
    values: own(pins.values, inputs),
    ranges: own(pins.ranges, inputs),
    files: own(pins.files, inputs),
    ...(pins.batchDim !== undefined && symbols.has(pins.batchDim) && { batchDim: pins.batchDim }),
  };
}

/** Throws the usage error of checkPinNames for a pin that names an input or dim of neither side. */
export function checkPinNamesOfEither(base: readonly TensorSpec[], head: readonly TensorSpec[], pins: InputPins): void {
  const key = (s: TensorSpec): string => `${s.name} ${JSON.stringify(s.shape)}`;
  const seen = new Set(base.map(key));
  try {
    checkPinNames([...base, ...head.filter((s) => !seen.has(key(s)))], pins);
  } catch (error) {
    if (!isInferbenchError(error)) throw error;
    throw new InferbenchError(error.code, error.message.replace(/ of the model$/, ' of either model'), error.hint?.replace("the model's inputs", "the models' inputs (base, then head's own)"));
  }
}
