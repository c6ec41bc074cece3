// Loads a user's `--pipeline ./pipeline.(mjs|js|cjs|ts|mts)` module and checks its shape, so a
// mistake reads "pipeline.mjs exports no preprocess function", not "x is not a function" mid-run.
// A module exports a PipelineModule as its default export, or its steps as named exports.
//
// TypeScript: Node 20 cannot import .ts. When `esbuild` can be imported, the module is bundled with
// it (local imports inlined, packages left external, type-only imports erased) to a hidden .mjs
// next to the source, so its package imports resolve from the user's node_modules as they would for
// the .ts, imported, and deleted. Without esbuild, a plain import() is tried: it works on Node ≥
// 22.18 / 23.6 (type stripping) or under a loader (`node --import tsx`); otherwise the error says
// how to compile it.
import { access, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InferbenchError, messageOf } from '../errors.js';
import type { PipelineModule } from './types.js';

const STEPS = ['setup', 'decode', 'preprocess', 'postprocess', 'teardown'] as const;
const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);
export const MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs', '.ts', '.mts', '.cts'] as const;

/** The part of esbuild's API used here (esbuild is optional, so its types are not imported). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
}

async function importEsbuild(): Promise<Esbuild | null> {
  const name = 'esbuild'; // a variable: tsc must not require the optional package's types
  try {
    return (await import(name)) as Esbuild;
  } catch {
    return null;
  }
}

/** Bundles a .ts module with esbuild; the JavaScript text (ESM, inline source map). */
export async function compileTypeScript(path: string, esbuild: Esbuild, label = path): Promise<string> {
  try {
    const result = await esbuild.build({
      entryPoints: [path],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles?.[0]?.text ?? '';
  } catch (error) {
    throw new InferbenchError('usage', `pipeline ${label} does not compile: ${messageOf(error)}`, 'fix the TypeScript error, or pass a compiled .mjs');
  }
}

/** Imports compiled JavaScript from a hidden file beside `source` (removed again afterwards). */
async function importCompiled(source: string, code: string): Promise<Record<string, unknown>> {
  const file = join(dirname(source), `.${basename(source)}.inferbench-${process.pid}-${Date.now()}.mjs`);
  await writeFile(file, code);
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } finally {
    await unlink(file).catch(() => undefined);
  }
}

async function importModule(path: string, label: string): Promise<Record<string, unknown>> {
  if (TS_EXTENSIONS.has(extname(path))) {
    const esbuild = await importEsbuild();
    if (esbuild) return importCompiled(path, await compileTypeScript(path, esbuild, label));
  }
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new InferbenchError(
        'usage',
        `pipeline ${label}: this Node.js (${process.version}) cannot load TypeScript, and esbuild is not installed`,
        `compile it (npx tsc --module nodenext ${label}) and pass the .js, install esbuild, or run on Node ≥ 22.18`,
      );
    }
    throw new InferbenchError('usage', `pipeline ${label} failed to load: ${messageOf(error)}`, 'run it with node to see the error in full');
  }
}

/** Checks a module's exports and returns its PipelineModule (the default export, or the named steps). */
export function validatePipelineModule(exports: Record<string, unknown>, label: string): PipelineModule {
  const fallback = exports.default;
  const candidate = (typeof fallback === 'object' && fallback !== null && !('preprocess' in exports) ? fallback : exports) as Record<string, unknown>;
  const where = candidate === exports ? 'exports' : 'default export has';
  if (typeof candidate.preprocess !== 'function') {
    throw new InferbenchError(
      'usage',
      `pipeline ${label} exports no preprocess function`,
      'export default { preprocess(items, ctx) { return [{ name, type, dims, data }]; } } — or export function preprocess',
    );
  }
  for (const step of STEPS) {
    const value = candidate[step];
    if (value !== undefined && typeof value !== 'function') {
      throw new InferbenchError('usage', `pipeline ${label}: ${step} is a ${typeof value}, not a function`, `its ${where} ${step}; make it a function or remove it`);
    }
  }
  const { name, extensions, unit } = candidate;
  if (name !== undefined && typeof name !== 'string') throw new InferbenchError('usage', `pipeline ${label}: name must be a string`);
  if (extensions !== undefined && !(Array.isArray(extensions) && extensions.every((e) => typeof e === 'string' && e.startsWith('.')))) {
    throw new InferbenchError('usage', `pipeline ${label}: extensions must be an array like ['.jpg', '.png']`);
  }
  if (unit !== undefined && unit !== 'file' && unit !== 'line' && unit !== 'directory') {
    throw new InferbenchError('usage', `pipeline ${label}: unit must be 'file', 'line' or 'directory'`);
  }
  if (candidate !== exports) return candidate as unknown as PipelineModule;
  // Named exports: a plain object of the steps (a namespace object cannot be extended).
  const module: Record<string, unknown> = {};
  for (const key of ['name', 'extensions', 'unit', ...STEPS]) if (exports[key] !== undefined) module[key] = exports[key];
  return module as unknown as PipelineModule;
}

/** Imports and validates a pipeline module; `label` (default: the path as given) names it in errors. */
export async function loadPipelineModule(path: string, label = path): Promise<PipelineModule> {
  const absolute = resolve(path);
  await access(absolute).catch(() => {
    throw new InferbenchError('usage', `pipeline module not found: ${label}`, 'pass --pipeline image|text|tensors|none, or a path such as ./pipeline.mjs');
  });
  const module = validatePipelineModule(await importModule(absolute, label), label);
  if (module.name === undefined) module.name = label;
  return module;
}
