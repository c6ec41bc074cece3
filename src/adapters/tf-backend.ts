// TensorFlow.js backend selection (ARCHITECTURE convention 8): tfjs-node (native libtensorflow)
// when it is installed and loads, else the wasm backend, else the pure-JS cpu backend — recording
// why each faster option was skipped. Everything is imported lazily through a `ModuleLoader`, so
// `--help` never loads tfjs and tests can make a package "unloadable" to exercise the fallback.
//
// Device names (what `--device` accepts for TensorFlow models):
//   cpu        the fastest CPU backend available: tensorflow > wasm > tfjs-cpu   (default)
//   tensorflow tfjs-node's native backend (libtensorflow, CPU)
//   cuda       tfjs-node-gpu's native backend (libtensorflow with CUDA)
//   wasm       @tensorflow/tfjs-backend-wasm (XNNPACK; SIMD when the engine supports it)
//   tfjs-cpu   @tensorflow/tfjs-backend-cpu, the pure-JavaScript 'cpu' backend (slowest; always
//              available)
// tfjs names the pure-JS backend 'cpu' too; inferbench calls it 'tfjs-cpu' so that `--device cpu`
// means "the CPU, as fast as this install can run it", as it does for ONNX models.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { messageOf } from '../errors.js';
import type { Precision } from '../types.js';
import type { DeviceStatus } from './adapter.js';

/**
 * The TensorFlow.js that inferbench runs models with: tfjs-core's API (tensors, io, backends,
 * profile) plus the two model loaders. Built from the separate packages rather than the umbrella
 * `@tensorflow/tfjs`, which also bundles the WebGL backend, tfjs-data and core-js polyfills that a
 * Node CLI never uses (docs/install.md has the installed sizes).
 */
export type Tf = Core & Pick<typeof import('@tensorflow/tfjs-converter'), 'loadGraphModel'> & Pick<typeof import('@tensorflow/tfjs-layers'), 'loadLayersModel'>;
type Core = typeof import('@tensorflow/tfjs-core');
type Converter = typeof import('@tensorflow/tfjs-converter');
type Layers = typeof import('@tensorflow/tfjs-layers');
/** Resolves a package name to its module namespace; `(name) => import(name)` by default. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;
export type TfDevice = 'cpu' | 'tensorflow' | 'cuda' | 'wasm' | 'tfjs-cpu';
/** A concrete backend (what `cpu` resolves to). */
export type TfBackendKind = Exclude<TfDevice, 'cpu'>;

export const TF_DEVICES: readonly TfDevice[] = ['cpu', 'tensorflow', 'cuda', 'wasm', 'tfjs-cpu'];
/** Order in which `cpu` picks a backend: fastest first. */
const CPU_PREFERENCE: readonly TfBackendKind[] = ['tensorflow', 'wasm', 'tfjs-cpu'];

/** Package that provides each backend, and the tfjs backend name it registers. */
const PROVIDER: Record<TfBackendKind, { pkg: string; tfName: string }> = {
  tensorflow: { pkg: '@tensorflow/tfjs-node', tfName: 'tensorflow' },
  cuda: { pkg: '@tensorflow/tfjs-node-gpu', tfName: 'tensorflow' },
  wasm: { pkg: '@tensorflow/tfjs-backend-wasm', tfName: 'wasm' },
  'tfjs-cpu': { pkg: '@tensorflow/tfjs-backend-cpu', tfName: 'cpu' },
};

/**
 * Precisions each backend computes in. tfjs has no float16 or int8 compute dtype on any backend
 * in Node (webgl's half-float textures are browser-only); weights quantized at storage
 * (uint8/uint16/float16) are dequantized to float32 at load, so they still run fp32.
 */
const PRECISIONS: Record<TfBackendKind, readonly Precision[]> = {
  tensorflow: ['fp32'],
  cuda: ['fp32'],
  wasm: ['fp32'],
  'tfjs-cpu': ['fp32'],
};

export interface BackendProbe {
  device: TfBackendKind;
  available: boolean;
  /** What provides it, or why it cannot be used. */
  detail: string;
}

export interface ActiveBackend {
  tf: Tf;
  device: TfBackendKind;
  /** tfjs-node's namespace when the native backend runs (SavedModel loading, file IO). */
  node: TfNode | null;
  /** What really runs, e.g. 'tfjs 4.22.0 wasm (simd, 1 thread)'. */
  description: string;
  precisions: readonly Precision[];
  /** Faster backends that `cpu` passed over, with the reason. */
  skipped: { device: TfBackendKind; reason: string }[];
}

/** The part of tfjs-node's namespace that inferbench uses (typed here: it may be absent). */
export interface TfNode {
  version: { 'tfjs-node'?: string };
  node: {
    loadSavedModel(path: string, tags?: string[], signature?: string): Promise<TfNodeSavedModel>;
  };
}
export interface TfNodeSavedModel {
  inputs: { name: string; shape?: number[]; dtype: string }[];
  outputs: { name: string; shape?: number[]; dtype: string }[];
  predict(inputs: Record<string, unknown>): unknown;
  dispose(): void;
}

type Wasm = typeof import('@tensorflow/tfjs-backend-wasm');

/** A CommonJS package imported from ESM may arrive as `{ default: module.exports }`. */
function unwrap<T>(namespace: unknown): T {
  const ns = namespace as { default?: T };
  return (ns.default ?? namespace) as T;
}

const defaultLoader: ModuleLoader = (specifier) => import(specifier);
const NOT_INSTALLED_HINT: Record<string, string> = {
  '@tensorflow/tfjs-node': 'not installed (optional dependency; its install needs network access to download libtensorflow): npm install @tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu': 'not installed (needs CUDA, cuDNN and network access to download libtensorflow-gpu): npm install @tensorflow/tfjs-node-gpu',
};

/** Reason a package could not be imported, worded for `inferbench devices`. */
export function loadFailureReason(pkg: string, error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  const message = messageOf(error);
  const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(pkg);
  if (missing) return NOT_INSTALLED_HINT[pkg] ?? `not installed: npm install ${pkg}`;
  return `installed but failed to load: ${(message.split('\n')[0] ?? message).trim()}`;
}

/**
 * One TensorFlow.js runtime: the loader, the probe results and the active backend. tfjs backends
 * are process-global state, so a process should use one of these (the default is shared).
 */
export class TfRuntime {
  private tfModule: Promise<Tf> | undefined;
  private probes: Promise<BackendProbe[]> | undefined;
  private readonly nodeModules = new Map<TfBackendKind, TfNode>();
  private active: ActiveBackend | undefined;
  private loadedVersion: string | undefined;
  private cpuVersion = '';

  constructor(private readonly load: ModuleLoader = defaultLoader) {}

  /**
   * tfjs-core with the cpu backend registered and the graph/layers model loaders, with its
   * console logging off. Each package is imported once (Node caches the CommonJS module), so the
   * cpu backend and its kernels register once, also when tfjs-node later loads the umbrella
   * `@tensorflow/tfjs` it depends on: npm dedupes every tfjs package to the one 4.22.0 copy
   * (package.json pins them to that exact version, as tfjs-node pins its own).
   */
  tf(): Promise<Tf> {
    this.tfModule ??= (async () => {
      const core = unwrap<Core>(await this.load('@tensorflow/tfjs-core'));
      // The core never prints: PROD silences tfjs's "install tfjs-node" banner and its warnings.
      core.env().set('PROD', true);
      // Importing the cpu backend registers it and its kernels (a side effect of the import).
      this.cpuVersion = unwrap<{ version_cpu: string }>(await this.load(PROVIDER['tfjs-cpu'].pkg)).version_cpu;
      const { loadGraphModel } = unwrap<Converter>(await this.load('@tensorflow/tfjs-converter'));
      const { loadLayersModel } = unwrap<Layers>(await this.load('@tensorflow/tfjs-layers'));
      this.loadedVersion = core.version_core;
      return { ...core, loadGraphModel, loadLayersModel };
    })();
    return this.tfModule;
  }

  /** Version of @tensorflow/tfjs-core once loaded, for the environment fingerprint. */
  version(): string {
    return this.loadedVersion ?? 'not loaded';
  }

  /** Tries to load every backend once; the answers are cached. */
  probe(): Promise<BackendProbe[]> {
    this.probes ??= (async () => {
      await this.tf(); // backends register into tfjs-core's engine: load it (and the cpu backend) first
      const results: BackendProbe[] = [];
      for (const device of ['tensorflow', 'cuda', 'wasm', 'tfjs-cpu'] as const) results.push(await this.probeOne(device));
      return results;
    })();
    return this.probes;
  }

  private async probeOne(device: TfBackendKind): Promise<BackendProbe> {
    const { pkg } = PROVIDER[device];
    if (device === 'tfjs-cpu') return { device, available: true, detail: `${pkg} ${this.cpuVersion}: pure-JavaScript cpu backend (slowest)` };
    try {
      if (device === 'wasm') {
        const wasm = unwrap<Wasm>(await this.load(pkg));
        wasm.setWasmPaths(wasmDistDir());
        return { device, available: true, detail: `${pkg} ${wasm.version_wasm}: WebAssembly (XNNPACK), .wasm files from node_modules` };
      }
      // tfjs-node prints libtensorflow's CPU-feature banner at load unless told otherwise.
      process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
      const node = unwrap<TfNode>(await this.load(pkg));
      this.nodeModules.set(device, node);
      return { device, available: true, detail: `${pkg} ${node.version['tfjs-node'] ?? ''}: native libtensorflow`.trim() };
    } catch (error) {
      return { device, available: false, detail: `${pkg}: ${loadFailureReason(pkg, error)}` };
    }
  }

  /** DeviceStatus per inferbench device name; `cpu` says which backend it resolves to and why. */
  async devices(): Promise<DeviceStatus[]> {
    const probes = await this.probe();
    const { device: chosen, skipped } = pickCpu(probes);
    const why = skipped.map((s) => `${s.device} skipped: ${s.reason}`).join('; ');
    const cpu: DeviceStatus = { device: 'cpu', available: true, detail: `fastest CPU backend here: ${chosen}${why ? ` (${why})` : ''}` };
    return [cpu, ...probes.map((p) => ({ device: p.device, available: p.available, detail: p.detail }))];
  }

  /** Sets the tfjs backend for `device` and waits until it is ready. */
  async activate(device: string): Promise<ActiveBackend> {
    if (!isTfDevice(device)) throw new Error(`unknown TensorFlow device '${device}'`);
    const probes = await this.probe();
    const { device: kind, skipped } = device === 'cpu' ? pickCpu(probes) : { device, skipped: [] };
    const probe = probes.find((p) => p.device === kind);
    if (!probe?.available) throw new Error(`device ${device} unavailable: ${probe?.detail ?? 'unknown'}`);
    const tf = await this.tf();
    if (this.active?.device === kind) return { ...this.active, skipped };
    if (!(await tf.setBackend(PROVIDER[kind].tfName))) throw new Error(`tfjs could not initialise the ${kind} backend`);
    await tf.ready();
    const node = this.nodeModules.get(kind) ?? null;
    this.active = {
      tf,
      device: kind,
      node,
      description: await describeBackend(tf, kind, node, this.load),
      precisions: PRECISIONS[kind],
      skipped,
    };
    return this.active;
  }

  /** The concrete backend a device name runs on (`cpu`: the fastest available). */
  async backendFor(device: TfDevice): Promise<TfBackendKind> {
    return device === 'cpu' ? pickCpu(await this.probe()).device : device;
  }

  /** The precisions a device computes in (for the sweep to skip others with a reason). */
  async precisions(device: string): Promise<readonly Precision[]> {
    if (!isTfDevice(device)) return [];
    return device === 'cpu' ? PRECISIONS[pickCpu(await this.probe()).device] : PRECISIONS[device];
  }
}

/**
 * Why a backend cannot run with these thread counts, or null. tfjs-backend-wasm has no threaded
 * build for Node (WASM_HAS_MULTITHREAD_SUPPORT is false under IS_NODE, tfjs issue #3830) and the
 * pure-JS backend runs on the main thread: one intra-op thread each. tfjs-node exposes no thread
 * setting at all (libtensorflow sizes its own pools). No backend has inter-op threads.
 */
export function threadsUnsupported(kind: TfBackendKind, intraOp: number | null, interOp: number | null): string | null {
  if (interOp !== null) return `--inter-threads ${interOp}: tensorflow.js has no inter-op thread setting on the ${kind} backend`;
  if (intraOp === null) return null;
  if (kind === 'wasm' || kind === 'tfjs-cpu') {
    return intraOp === 1 ? null : `--threads ${intraOp}: the ${kind} backend runs on one thread in Node${kind === 'wasm' ? ' (tfjs-backend-wasm has no multi-threaded build for Node)' : ' (pure JavaScript on the main thread)'}`;
  }
  return `--threads ${intraOp}: tfjs-node has no thread setting (libtensorflow sizes its own thread pools)`;
}

export function isTfDevice(device: string): device is TfDevice {
  return (TF_DEVICES as readonly string[]).includes(device);
}

/** Why a precision cannot run on a TensorFlow.js backend, or null when it can. */
export function precisionSkipReason(kind: TfBackendKind, precision: Precision): string | null {
  if (PRECISIONS[kind].includes(precision)) return null;
  return `tfjs computes in float32 only on the ${kind} backend (no ${precision} kernels); quantized weights are dequantized to fp32 at load`;
}

function pickCpu(probes: readonly BackendProbe[]): { device: TfBackendKind; skipped: { device: TfBackendKind; reason: string }[] } {
  const skipped: { device: TfBackendKind; reason: string }[] = [];
  for (const device of CPU_PREFERENCE) {
    const probe = probes.find((p) => p.device === device);
    if (probe?.available) return { device, skipped };
    skipped.push({ device, reason: probe?.detail ?? 'not probed' });
  }
  return { device: 'tfjs-cpu', skipped };
}

/** node_modules/@tensorflow/tfjs-backend-wasm/dist/ — the .wasm files, read from disk offline. */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

async function describeBackend(tf: Tf, kind: TfBackendKind, node: TfNode | null, load: ModuleLoader): Promise<string> {
  const version = tf.version_core;
  if (kind === 'tfjs-cpu') return `tfjs ${version} cpu (pure JS)`;
  if (kind === 'wasm') {
    const wasm = unwrap<Wasm>(await load(PROVIDER.wasm.pkg));
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'simd' : 'no simd';
    const threads = wasm.getThreadsCount();
    return `tfjs ${version} wasm (${simd}, ${threads} thread${threads === 1 ? '' : 's'})`;
  }
  return `tfjs-node${kind === 'cuda' ? '-gpu' : ''} ${node?.version['tfjs-node'] ?? version} tensorflow (libtensorflow${kind === 'cuda' ? ', CUDA' : ''})`;
}

let shared: TfRuntime | undefined;
/** The process-wide runtime (tfjs backends are global). */
export function sharedTfRuntime(): TfRuntime {
  shared ??= new TfRuntime();
  return shared;
}
