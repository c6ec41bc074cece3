// `--pipeline NAME|PATH` → a PipelineModule: a built-in (made with its --pipeline-opt options, which
// are checked here, before anything runs) or a user module. `none` is the pipeline of synthetic
// inputs: no data, nothing to preprocess — the timing loop keeps its own inputs (see isNonePipeline).
import { extname } from 'node:path';
import { InferbenchError } from '../errors.js';
import { createImagePipeline, IMAGE_EXTENSIONS } from './image.js';
import { loadPipelineModule, MODULE_EXTENSIONS } from './load-module.js';
import { createTensorsPipeline } from './tensors.js';
import { createTextPipeline } from './text.js';
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
      return createImagePipeline(options);
    case 'text':
      return createTextPipeline(options);
    case 'tensors':
      return createTensorsPipeline(options);
    case 'none':
      if (Object.keys(options).length > 0) throw new InferbenchError('usage', '--pipeline-opt has no meaning with --pipeline none');
      return NONE;
  }
  if (looksLikePath(name)) return loadPipelineModule(name);
  throw new InferbenchError('usage', `unknown pipeline '${name}'`, `built-ins: ${BUILTIN_PIPELINES.join(', ')}; or a module path such as ./pipeline.mjs`);
}

/** The built-in that fits `--data` by its extension, when --pipeline is not given; null if none does. */
export function pipelineForData(path: string): BuiltinPipeline | null {
  const ext = extname(path.replace(/[{}]/g, '')).toLowerCase();
  if ((IMAGE_EXTENSIONS as readonly string[]).includes(ext)) return 'image';
  if (ext === '.txt') return 'text';
  if (ext === '.npy' || ext === '.pb') return 'tensors';
  return null;
}
