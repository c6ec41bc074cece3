// Starting the sampler's worker from built JavaScript and from the TypeScript source alike.
//
// Built (dist/sample/sampler.js): `./sampler-worker.js` sits next to this module; it is started as
// is. From source (vitest runs src/**/*.ts in-process through its own transform, which a worker
// thread does not inherit): there is no .js file, and Node 20 cannot run TypeScript. Rather than
// make the tests depend on a fresh `tsc` build of dist/ (a stale build would test old code
// silently), the worker then starts through a tiny bootstrap that registers module hooks
// (`module.register`, Node ≥ 20.6) which transpile .ts files with the project's own `typescript`
// devDependency (`transpileModule`: type erasure only, no type check) and map the `.js` import
// specifiers of the source tree to their `.ts` files. That path exists only in a source checkout;
// an installed package always takes the first.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const TS_HOOKS = `
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
let ts;
export async function initialize(data) { ts = (await import(data.typescript)).default; }
export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent && parent.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const url = new URL(specifier.slice(0, -3) + '.ts', parent);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true };
  const output = ts.transpileModule(source, { compilerOptions: options, fileName: fileURLToPath(url) }).outputText;
  return { format: 'module', source: output, shortCircuit: true };
}`;

const BOOTSTRAP = `
const { register } = require('node:module');
const { workerData } = require('node:worker_threads');
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(TS_HOOKS)}), { data: { typescript: workerData.typescriptUrl } });
import(workerData.entryUrl);`;

/**
 * Starts the worker module `base` (a URL without extension, e.g. new URL('./x', import.meta.url)):
 * `base.js` when built, else `base.ts` through the TypeScript bootstrap.
 */
export function startModuleWorker(base: URL, workerData: object): Worker {
  const built = new URL(`${base.href}.js`);
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData });
  const source = new URL(`${base.href}.ts`);
  const typescriptUrl = pathToFileURL(createRequire(import.meta.url).resolve('typescript')).href;
  return new Worker(BOOTSTRAP, { eval: true, workerData: { ...workerData, entryUrl: source.href, typescriptUrl } });
}

/** Starts `sampler-worker` next to this module. */
export function startSamplerWorker(workerData: object): Worker {
  return startModuleWorker(new URL('./sampler-worker', import.meta.url), workerData);
}
