// `--pipeline NAME|PATH` → a PipelineModule: a built-in (made with its --pipeline-opt options, which
// are checked here, before anything runs) or a user module. `none` is the pipeline of synthetic
// inputs: no data, nothing to preprocess — the timing loop keeps its own inputs (see isNonePipeline).
// Built-ins are imported when chosen, so a run without --pipeline image never loads sharp.
import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { InferbenchError } from '../errors.js';
import { IMAGE_EXTENSIONS, TENSOR_EXTENSIONS } from './formats.js';
import { isGlob } from './glob.js';
import { loadPipelineModule, MODULE_EXTENSIONS } from './load-module.js';
import { parsePostprocessSteps } from './postprocess.js';
import type { PipelineModule } from './types.js';

export const BUILTIN_PIPELINES = ['image', 'text', 'tensors', 'none'] as const;
export type BuiltinPipeline = (typeof BUILTIN_PIPELINES)[number];

export interface ResolvePipelineOptions {
  /** `--pipeline-opt key=value` pairs: the built-ins check them; user modules read ctx.options. */
  options?: Record<string, string>;
}

const NONE: PipelineModule = {
  name: 'none',
  preprocess() {
    throw new InferbenchError('usage', '--pipeline none reads no --data', 'choose --pipeline image|text|tensors|./module.mjs, or drop --data for synthetic inputs');
  },
};

export function isNonePipeline(module: PipelineModule): boolean {
  return module === NONE;
}

function looksLikePath(name: string): boolean {
  return /[\\/]/.test(name) || (MODULE_EXTENSIONS as readonly string[]).includes(extname(name));
}

export async function resolvePipeline(name: BuiltinPipeline | string, opts: ResolvePipelineOptions = {}): Promise<PipelineModule> {
  const options = opts.options ?? {};
  switch (name) {
    case 'image':
      return (await import('./image.js')).createImagePipeline(options);
    case 'text':
      return (await import('./text.js')).createTextPipeline(options);
    case 'tensors':
      return (await import('./tensors.js')).createTensorsPipeline(options);
    case 'none':
      if (Object.keys(options).length > 0) throw new InferbenchError('usage', '--pipeline-opt has no meaning with --pipeline none');
      return NONE;
  }
  if (looksLikePath(name)) return loadPipelineModule(name);
  throw new InferbenchError('usage', `unknown pipeline '${name}'`, `built-ins: ${BUILTIN_PIPELINES.join(', ')}; or a module path such as ./pipeline.mjs`);
}

/**
 * Flags that only mean something with another one are refused, not silently ignored: --data-cache
 * without --data, --labels without a --postprocess step that picks classes (topk=K, argmax).
 */
export function checkPipelineFlags(flags: { data?: string | undefined; dataCache?: boolean | undefined; postprocess?: string | undefined; labels?: string | undefined }): void {
  if (flags.dataCache && !flags.data) {
    throw new InferbenchError('usage', '--data-cache keeps the items of --data in memory, but no --data is given', 'pass --data FILE|DIR|GLOB, or drop --data-cache');
  }
  const steps = flags.postprocess === undefined ? [] : parsePostprocessSteps(flags.postprocess).steps;
  if (flags.labels && !steps.some((s) => s.kind === 'topk' || s.kind === 'argmax')) {
    throw new InferbenchError('usage', `--labels ${flags.labels} names the classes that --postprocess topk=K or argmax picks, but neither step is given`, 'add --postprocess softmax,topk=5 (or argmax), or drop --labels');
  }
}

/**
 * The built-in that fits `--data` when --pipeline is not given: by the file's (or glob's)
 * extension, or for a directory by the extension most of its files have; null if none fits.
 */
export function pipelineForData(path: string): BuiltinPipeline | null {
  const entries = directoryEntries(path);
  if (entries) {
    if (entries.some((e) => e.startsWith('test_data_set_'))) return 'tensors';
    const votes = new Map<BuiltinPipeline, number>();
    for (const entry of entries) {
      const kind = pipelineForExtension(extname(entry).toLowerCase());
      if (kind) votes.set(kind, (votes.get(kind) ?? 0) + 1);
    }
    return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  }
  return pipelineForExtension(extname(path.replace(/[{}]/g, '')).toLowerCase());
}

function directoryEntries(path: string): string[] | null {
  try {
    return statSync(path).isDirectory() ? readdirSync(path) : null;
  } catch (error) {
    // A missing path (or a symbolic link to one) is said first, before any guess at its pipeline.
    if (!isGlob(path)) throw missingData(path, error);
    return null; // a glob: judged by its extension; openDataSource reports one that matches nothing
  }
}

function missingData(path: string, error: unknown): InferbenchError {
  const code = (error as NodeJS.ErrnoException).code;
  let dangling = '';
  try {
    if (lstatSync(path).isSymbolicLink()) dangling = ` (a symbolic link to ${readlinkSync(path)}, which does not exist)`;
  } catch {
    // not there at all
  }
  const why = code === 'ENOENT' || code === 'ENOTDIR' ? `not found${dangling}` : `cannot be read (${code ?? String(error)})`;
  return new InferbenchError('input-invalid', `--data ${path}: ${why}`, 'pass a file, a directory or a quoted glob such as "data/**/*.jpg"');
}

function pipelineForExtension(ext: string): BuiltinPipeline | null {
  if ((IMAGE_EXTENSIONS as readonly string[]).includes(ext)) return 'image';
  if (ext === '.txt') return 'text';
  if ((TENSOR_EXTENSIONS as readonly string[]).includes(ext)) return 'tensors';
  return null;
}
