// Backend selection and its fallback: with the module loader injected, tfjs-node (and wasm) can be
// made unloadable, and the devices list, the backend that `cpu` resolves to, and the recorded
// reasons must follow. The backends that do run here are real tfjs backends, not fakes.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { SessionOptions } from '../../src/adapters/adapter.js';
import { createTfAdapter, tfAdapter } from '../../src/adapters/tf.js';
import { loadFailureReason, precisionSkipReason, threadsUnsupported, TfRuntime, type ModuleLoader } from '../../src/adapters/tf-backend.js';
import { rejection } from '../helpers/errors.js';

/** The TF.js packages package.json depends on (tfjs-node optionally), sorted. */
const TFJS_PACKAGES = [
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-converter',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-node',
];

const MLP = join('fixtures', 'tf', 'mlp', 'model.json');
const options = (device: string): SessionOptions => ({ device, intraOpThreads: null, interOpThreads: null, graphOptimization: 'all' });

/** Node's own "not installed" error for an ESM import of a missing package. */
function notFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find package '${pkg}' imported from /work/main/src/adapters/tf-backend.ts`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/** The real loader, except that the named packages fail the way `fail` says. */
function loaderWithout(fail: Record<string, (pkg: string) => Error>): ModuleLoader {
  return (specifier) => {
    const make = fail[specifier];
    return make ? Promise.reject(make(specifier)) : import(specifier);
  };
}

let tfjsNodeInstalled = true;
try {
  createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
} catch {
  tfjsNodeInstalled = false;
}

describe('fallback when tfjs-node cannot be loaded', () => {
  const runtime = new TfRuntime(loaderWithout({ '@tensorflow/tfjs-node': notFound, '@tensorflow/tfjs-node-gpu': notFound }));
  const adapter = createTfAdapter(runtime);

  test('devices(): tensorflow and cuda unavailable with the reason; cpu resolves to wasm and says why', async () => {
    const devices = await adapter.devices();
    const byName = Object.fromEntries(devices.map((d) => [d.device, d]));
    expect(Object.keys(byName)).toEqual(['cpu', 'tensorflow', 'cuda', 'wasm', 'tfjs-cpu']);
    expect(byName.tensorflow).toMatchObject({ available: false });
    expect(byName.tensorflow?.detail).toBe(
      '@tensorflow/tfjs-node: not installed (optional dependency; its install needs network access to download libtensorflow): npm install @tensorflow/tfjs-node',
    );
    expect(byName.cuda?.detail).toMatch(/tfjs-node-gpu: not installed/);
    expect(byName.wasm).toMatchObject({ available: true });
    expect(byName['tfjs-cpu']).toMatchObject({ available: true });
    expect(byName.cpu?.available).toBe(true);
    expect(byName.cpu?.detail).toMatch(/^fastest CPU backend here: wasm \(tensorflow skipped: @tensorflow\/tfjs-node: not installed/);
  });

  test('a session on cpu runs wasm and records the skipped backend', async () => {
    const active = await runtime.activate('cpu');
    expect(active.device).toBe('wasm');
    expect(active.skipped).toEqual([{ device: 'tensorflow', reason: expect.stringMatching(/not installed/) as unknown }]);
    const session = await adapter.open(MLP, options('cpu'));
    expect(session.backend).toMatch(/^tfjs 4\.\d+\.\d+ wasm/);
    await session.close();
  });

  test('asking for tensorflow explicitly is a device-unavailable error that names the reason', async () => {
    const error = await rejection(adapter.open(MLP, options('tensorflow')));
    expect(error.code).toBe('device-unavailable');
    expect(error.message).toMatch(/device tensorflow unavailable: @tensorflow\/tfjs-node: not installed/);
  });
});

describe('fallback to the pure-JS cpu backend when wasm fails too', () => {
  const broken = (): Error => new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');
  const runtime = new TfRuntime(loaderWithout({ '@tensorflow/tfjs-node': broken, '@tensorflow/tfjs-node-gpu': notFound, '@tensorflow/tfjs-backend-wasm': notFound }));
  const adapter = createTfAdapter(runtime);

  test('an installed but broken tfjs-node is told apart from a missing one', async () => {
    const tensorflow = (await adapter.devices()).find((d) => d.device === 'tensorflow');
    expect(tensorflow?.detail).toBe('@tensorflow/tfjs-node: installed but failed to load: libtensorflow.so.2: cannot open shared object file: No such file or directory');
  });

  test('cpu resolves to tfjs-cpu with both reasons recorded, and the session says so', async () => {
    const cpu = (await adapter.devices()).find((d) => d.device === 'cpu');
    expect(cpu?.detail).toMatch(/^fastest CPU backend here: tfjs-cpu \(tensorflow skipped: .*installed but failed to load.*; wasm skipped: .*not installed/);
    const session = await adapter.open(MLP, options('cpu'));
    expect(session.backend).toMatch(/^tfjs 4\.\d+\.\d+ cpu \(pure JS\)$/);
    const out = session.collect(await session.run(session.prepare([{ name: 'x', type: 'float32', dims: [1, 64], data: new Float32Array(64).fill(0.5) }])));
    expect(out[0]?.dims).toEqual([1, 10]);
    await session.close();
  });
});

describe('the TF.js packages inferbench loads', () => {
  // inferbench depends on tfjs-core, -backend-cpu, -converter, -layers and -backend-wasm, not on the
  // umbrella @tensorflow/tfjs (WebGL, tfjs-data, core-js). The umbrella still arrives as
  // tfjs-node's own dependency where tfjs-node installs, so make it unloadable here: layers and
  // graph models must run on both bundled backends without it.
  const requested = new Set<string>();
  const without = loaderWithout({ '@tensorflow/tfjs': notFound, '@tensorflow/tfjs-node': notFound, '@tensorflow/tfjs-node-gpu': notFound });
  const runtime = new TfRuntime((specifier) => {
    requested.add(specifier);
    return without(specifier);
  });
  const adapter = createTfAdapter(runtime);

  test('layers and graph models run on wasm and tfjs-cpu from the separate packages alone', async () => {
    for (const device of ['wasm', 'tfjs-cpu']) {
      for (const model of [MLP, join('fixtures', 'tf', 'graph', 'model.json')]) {
        const session = await adapter.open(model, options(device));
        const input = session.info.inputs[0]!;
        const dims = input.shape.map((d) => (typeof d === 'number' ? d : 1)); // batch (and any symbolic dim) 1
        const out = session.collect(await session.run(session.prepare([{ name: input.name, type: 'float32', dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.5) }])));
        expect(out[0]?.dims).toEqual(model === MLP ? [1, 10] : [1, 4]);
        await session.close();
      }
    }
    // Each pinned package, and tfjs-node-gpu (asked for, never a dependency: it needs CUDA).
    expect([...requested].sort()).toEqual([...TFJS_PACKAGES, '@tensorflow/tfjs-node-gpu'].sort());
    const tfjsCpu = (await adapter.devices()).find((d) => d.device === 'tfjs-cpu');
    expect(tfjsCpu?.detail).toMatch(/^@tensorflow\/tfjs-backend-cpu 4\.\d+\.\d+: pure-JavaScript cpu backend/);
  });

  test('package.json pins each TF.js package, tfjs-node included, to one exact version, and that one is installed', async () => {
    // tfjs packages work in lockstep (their peerDependencies name one exact tfjs-core), and
    // tfjs-node depends on the umbrella at its own exact version: one version keeps one tfjs-core.
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<'dependencies' | 'optionalDependencies', Record<string, string>>;
    const tfjs = Object.entries({ ...pkg.dependencies, ...pkg.optionalDependencies }).filter(([name]) => name.startsWith('@tensorflow/'));
    expect(tfjs.map(([name]) => name).sort()).toEqual(TFJS_PACKAGES);
    const versions = new Set(tfjs.map(([, version]) => version));
    expect(versions.size).toBe(1);
    const [version] = versions;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await runtime.tf()).version_core).toBe(version); // the tfjs-core that loads
  });
});

describe('this machine, default loader', () => {
  test.skipIf(tfjsNodeInstalled)('tfjs-node is absent here: recorded as not installed, cpu is wasm', async () => {
    const devices = await tfAdapter.devices();
    expect(devices.find((d) => d.device === 'tensorflow')?.detail).toMatch(/not installed \(optional dependency/);
    expect(devices.find((d) => d.device === 'cpu')?.detail).toMatch(/^fastest CPU backend here: wasm/);
  });

  test('an unknown device names the valid ones', async () => {
    const error = await rejection(tfAdapter.open(MLP, options('webgpu')));
    expect(error.code).toBe('device-unavailable');
    expect(error.hint).toMatch(/cpu, tensorflow, cuda, wasm, tfjs-cpu/);
  });
});

describe('precision support', () => {
  test('every backend computes fp32 only; other precisions get a reason', async () => {
    for (const device of ['cpu', 'wasm', 'tfjs-cpu']) expect(await tfAdapter.precisions(device)).toEqual(['fp32']);
    expect(precisionSkipReason('wasm', 'fp32')).toBeNull();
    expect(precisionSkipReason('wasm', 'fp16')).toMatch(/float32 only on the wasm backend \(no fp16 kernels\)/);
    expect(precisionSkipReason('tfjs-cpu', 'int8')).toMatch(/no int8 kernels/);
  });
});

describe('threads and where each backend computes', () => {
  test('wasm and tfjs-cpu compute on one thread; tfjs-node has no thread setting; no backend has inter-op threads', () => {
    expect(threadsUnsupported('wasm', null, null)).toBeNull();
    expect(threadsUnsupported('wasm', 1, null)).toBeNull();
    expect(threadsUnsupported('tfjs-cpu', 1, null)).toBeNull();
    expect(threadsUnsupported('wasm', 4, null)).toMatch(/^--threads 4: the wasm backend runs on one thread in Node/);
    expect(threadsUnsupported('tfjs-cpu', 2, null)).toMatch(/pure JavaScript on the main thread/);
    expect(threadsUnsupported('tensorflow', 2, null)).toMatch(/tfjs-node has no thread setting/);
    expect(threadsUnsupported('tensorflow', null, null)).toBeNull();
    expect(threadsUnsupported('wasm', null, 2)).toMatch(/^--inter-threads 2: tensorflow.js has no inter-op thread setting/);
  });

  test('the adapter tells the analysis which devices are the host CPU and how many threads really compute', async () => {
    const runtime = new TfRuntime(loaderWithout({ '@tensorflow/tfjs-node': notFound, '@tensorflow/tfjs-node-gpu': notFound }));
    const adapter = createTfAdapter(runtime);
    expect(['cpu', 'wasm', 'tfjs-cpu', 'tensorflow', 'cuda'].map((d) => adapter.onCpu?.(d))).toEqual([true, true, true, true, false]);
    expect(await adapter.computeThreads?.('cpu', null)).toBe(1); // cpu is wasm here
    expect(await adapter.computeThreads?.('tfjs-cpu', 4)).toBe(1);
    expect(await adapter.computeThreads?.('tensorflow', null)).toBeNull();
    const error = await rejection(adapter.open(MLP, { ...options('wasm'), intraOpThreads: 2 }));
    expect(error.code).toBe('device-unavailable');
    expect(error.message).toMatch(/^--threads 2: the wasm backend runs on one thread/);
  });
});

describe('loadFailureReason', () => {
  test('not installed vs failed to load', () => {
    expect(loadFailureReason('@tensorflow/tfjs-node', Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'"), { code: 'MODULE_NOT_FOUND' }))).toMatch(/^not installed/);
    // A missing dependency *of* the package is a broken install, not a missing package.
    expect(loadFailureReason('@tensorflow/tfjs-node', notFound('node-pre-gyp'))).toMatch(/^installed but failed to load/);
  });
});
