// Where each precision variant of a model comes from, in the order issue 3 asks for: a file the
// user named (`--variant int8=model.int8.onnx`), a conventional sibling file next to the model, or
// null, meaning "generate it" (generatedVariant, in variant-cache.ts, re-exported here).
import { readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isFile } from '../io/is-file.js';
import { InferbenchError } from '../errors.js';
import type { Precision } from '../types.js';

export { defaultVariantCacheDir, generatedVariant, VARIANT_METHODS, type GeneratedVariant, type VariantProvenance } from './variant-cache.js';

export type VariantPrecision = Exclude<Precision, 'fp32'>;
export type VariantSource = 'user' | 'sibling' | 'generated' | 'original';

export interface VariantFile {
  path: string;
  source: VariantSource;
}

/**
 * Suffixes that exporters put on a variant's file name, most specific first. From Hugging Face
 * optimum (`ORTQuantizer` saves `<stem>_quantized.onnx`), transformers.js model repos
 * (`onnx/model_fp16.onnx`, `model_quantized.onnx`, `model_int8.onnx`, `model_uint8.onnx`), and
 * common hand-made names (`model.fp16.onnx`, `model-int8.onnx`, `model_float16.onnx`).
 * (q4 / bnb4 / q4f16 files are 4-bit: not an int8 variant, so not matched.)
 */
export const SIBLING_TAGS: Readonly<Record<VariantPrecision, readonly string[]>> = {
  fp16: ['fp16', 'float16', 'f16', 'half'],
  int8: ['int8', 'quantized', 'qint8', 'uint8', 'quint8', 'q8', 'quant'],
  // Static QDQ files: ORT's quantize_static examples save `<stem>.qdq.onnx` / `<stem>_qdq.onnx`.
  'int8-static': ['qdq', 'int8_static', 'int8-static', 'static_quant'],
};
/** Between the model's stem and the tag: `model_fp16`, `model.fp16`, `model-fp16`. */
export const SIBLING_SEPARATORS = ['_', '.', '-'] as const;

const PRECISIONS: readonly VariantPrecision[] = ['fp16', 'int8', 'int8-static'];

/** File names a sibling variant may have, in order of preference. */
export function siblingNames(modelPath: string, precision: VariantPrecision): string[] {
  const file = basename(modelPath);
  const stem = file.slice(0, file.length - extname(file).length);
  const ext = extname(file) || '.onnx';
  return SIBLING_TAGS[precision].flatMap((tag) => SIBLING_SEPARATORS.map((sep) => `${stem}${sep}${tag}${ext}`));
}


/** The first conventional sibling that exists (names compared case-insensitively), or null. */
export function findSibling(modelPath: string, precision: VariantPrecision): string | null {
  const dir = dirname(modelPath);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return null;
  }
  const byLowerName = new Map(entries.map((e) => [e.toLowerCase(), e]));
  for (const name of siblingNames(modelPath, precision)) {
    const entry = byLowerName.get(name.toLowerCase());
    if (entry !== undefined && isFile(join(dir, entry))) return join(dir, entry);
  }
  return null;
}

/**
 * Each precision's model file: fp32 is the model itself; fp16 / int8 are the user's file, else a
 * sibling, else null ("generate it"). A user-named file that does not exist is an error.
 */
export function findVariants(modelPath: string, userVariants: Partial<Record<VariantPrecision, string>> = {}): Record<Precision, VariantFile | null> {
  const result: Record<Precision, VariantFile | null> = { fp32: { path: modelPath, source: 'original' }, fp16: null, int8: null, 'int8-static': null };
  for (const precision of PRECISIONS) {
    const user = userVariants[precision];
    if (user !== undefined) {
      if (!isFile(user)) {
        throw new InferbenchError('model-not-found', `--variant ${precision}=${user}: file not found (${resolve(user)})`, `check the path, or leave out --variant ${precision} to use a sibling file or let inferbench generate the ${precision} variant`);
      }
      result[precision] = { path: user, source: 'user' };
      continue;
    }
    const sibling = findSibling(modelPath, precision);
    result[precision] = sibling === null ? null : { path: sibling, source: 'sibling' };
  }
  return result;
}
