// TensorFlow adapter: TensorFlow.js layers and graph models (model.json) on tfjs-node, wasm or the
// pure-JS cpu backend, and SavedModel directories on tfjs-node. Backend choice and its fallback
// reasons live in tf-backend.ts, file reading in tf-model.ts, the timed stages in tf-session.ts.
import { InferbenchError, messageOf } from '../errors.js';
import type { ModelInfo, Precision } from '../types.js';
import type { DeviceStatus, HostTensor, RuntimeAdapter, SessionOptions } from './adapter.js';
import type { OpProfile } from '../types.js';
import { isTfDevice, sharedTfRuntime, TF_DEVICES, threadsUnsupported, type ActiveBackend, type TfRuntime } from './tf-backend.js';
import { isTfModelPath, readTfModel, signatureShape, tensorSpec, type TfModelFiles } from './tf-model.js';
import { profileRuns, tfOpProfile } from './tf-op-profile.js';
import { outputList, TfSession, type TfRunner } from './tf-session.js';

export { TfSession, checkTensorLeak, type TensorLeak } from './tf-session.js';
export { profileRuns, tfOpProfile } from './tf-op-profile.js';

type GraphModel = import('@tensorflow/tfjs-converter').GraphModel;
type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;
type Tensor = import('@tensorflow/tfjs-core').Tensor;

export interface TfAdapter extends RuntimeAdapter {
  open(path: string, options: SessionOptions): Promise<TfSession>;
  /** Precisions the device's backend computes in; others should become skipped trials. */
  precisions(device: string): Promise<readonly Precision[]>;
  /** The per-operator profile of an open session (tf.profile()), outside any timing. */
  profileSession(session: TfSession, inputs: readonly HostTensor[], iterations: number): Promise<OpProfile>;
}

const INSTALL_NODE_HINT =
  'npm install @tensorflow/tfjs-node (needs network access: its install downloads libtensorflow), or convert the model with ' +
  'tensorflowjs_converter --input_format=tf_saved_model DIR OUT and profile OUT/model.json';

export function createTfAdapter(runtime: TfRuntime = sharedTfRuntime()): TfAdapter {
  const adapter: TfAdapter = {
    runtime: 'tensorflow.js',
    version: () => runtime.version(),
    accepts: isTfModelPath,
    devices: (): Promise<DeviceStatus[]> => runtime.devices(),
    precisions: (device) => runtime.precisions(device),
    // Every TensorFlow device but cuda computes on the host CPU: classify and roofline them as CPU.
    onCpu: (device: string) => isTfDevice(device) && device !== 'cuda',
    async computeThreads(device: string, requested: number | null): Promise<number | null> {
      if (!isTfDevice(device)) return requested;
      const kind = await runtime.backendFor(device);
      return kind === 'wasm' || kind === 'tfjs-cpu' ? 1 : requested;
    },
    async precisionUnsupported(device: string, precision: Precision): Promise<string | null> {
      if ((await runtime.precisions(device)).includes(precision)) return null;
      return `tensorflow.js computes in float32 only on the ${device} backend (no ${precision} kernels); quantized weights are dequantized to fp32 at load`;
    },

    async open(path: string, options: SessionOptions): Promise<TfSession> {
      if (!isTfDevice(options.device)) {
        throw new InferbenchError('device-unavailable', `unknown device '${options.device}' for a TensorFlow model`, `use one of: ${TF_DEVICES.join(', ')} (inferbench devices lists what this machine can run)`);
      }
      if (options.outputs === 'fetches') {
        throw new InferbenchError('usage', '--outputs fetches needs an ONNX model: tensorflow.js has no preallocated outputs', 'use --outputs drop, dispose or reuse for TensorFlow models');
      }
      const files = await readTfModel(path);
      const device = files.format === 'saved-model' ? await savedModelDevice(runtime, path, options.device) : options.device;
      let active: ActiveBackend;
      try {
        active = await runtime.activate(device);
      } catch (error) {
        throw new InferbenchError('device-unavailable', messageOf(error), 'run `inferbench devices` to see what this machine can run');
      }
      // A thread count the backend cannot use must not label a trial that ran otherwise.
      const threads = threadsUnsupported(active.device, options.intraOpThreads, options.interOpThreads);
      if (threads) throw new InferbenchError('device-unavailable', threads, 'leave --threads and --inter-threads out for TensorFlow models (or use --threads 1 on wasm and tfjs-cpu)');
      let runner: TfRunner;
      try {
        runner = await loadRunner(active, files);
      } catch (error) {
        if (error instanceof InferbenchError) throw error;
        throw new InferbenchError('model-invalid', `tfjs cannot load ${path}: ${(messageOf(error).split('\n')[0] ?? '').trim()}`, 'check that the model was written by tensorflowjs_converter or tf.LayersModel.save() and that its ops are supported by tfjs');
      }
      const info: ModelInfo = {
        path,
        format: files.format,
        sizeBytes: files.sizeBytes,
        sha256: files.sha256,
        inputs: runner.inputs,
        outputs: runner.outputs,
        ...(files.producer !== undefined && { producer: files.producer }),
        ...(files.nodeCount !== undefined && { nodeCount: files.nodeCount }),
      };
      return new TfSession(active.tf, runner, info, active.description, active.device, options.outputs === 'reuse');
    },

    async profileSession(session: TfSession, inputs: readonly HostTensor[], iterations: number): Promise<OpProfile> {
      return tfOpProfile(await profileRuns(session, inputs, iterations), session.backendKind);
    },

    async profileOps(path, spec, inputs, iterations): Promise<OpProfile> {
      const session = await adapter.open(path, { device: spec.device, intraOpThreads: spec.threads, interOpThreads: spec.interThreads, graphOptimization: spec.graphOptimization });
      try {
        return await adapter.profileSession(session, inputs, iterations);
      } finally {
        await session.close();
      }
    },
  };
  return adapter;
}

/** The default adapter on the process-wide TensorFlow.js runtime. */
export const tfAdapter: TfAdapter = createTfAdapter();

/** A SavedModel runs only on tfjs-node; `cpu` means its tensorflow backend. */
async function savedModelDevice(runtime: TfRuntime, path: string, device: string): Promise<string> {
  const wanted = device === 'cpu' ? 'tensorflow' : device;
  if (wanted !== 'tensorflow' && wanted !== 'cuda') {
    throw new InferbenchError('device-unavailable', `${path} is a TensorFlow SavedModel, which only tfjs-node can run (device tensorflow or cuda), not ${device}`, INSTALL_NODE_HINT);
  }
  const probe = (await runtime.probe()).find((p) => p.device === wanted);
  if (!probe?.available) {
    throw new InferbenchError(
      'device-unavailable',
      `${path} is a TensorFlow SavedModel, which needs @tensorflow/tfjs-node${wanted === 'cuda' ? '-gpu' : ''}: ${probe?.detail ?? 'not installed'}`,
      INSTALL_NODE_HINT,
    );
  }
  return wanted;
}

async function loadRunner(active: ActiveBackend, files: TfModelFiles): Promise<TfRunner> {
  const { tf } = active;
  if (files.format === 'tfjs-layers') return layersRunner(await tf.loadLayersModel(files.handler!(tf)));
  if (files.format === 'tfjs-graph') return graphRunner(await tf.loadGraphModel(files.handler!(tf)));
  if (!active.node) throw new InferbenchError('device-unavailable', `${files.path} is a TensorFlow SavedModel, which needs @tensorflow/tfjs-node`, INSTALL_NODE_HINT);
  const model = await active.node.node.loadSavedModel(files.path);
  const outputs = model.outputs.map((o) => tensorSpec(o.name, o.dtype, o.shape, 'output'));
  const outputNames = outputs.map((o) => o.name);
  const inputNames = model.inputs.map((i) => i.name);
  return {
    inputs: model.inputs.map((i) => tensorSpec(i.name, i.dtype, i.shape, 'input')),
    outputs,
    execute: (feeds) => outputList(model.predict(named(inputNames, feeds)) as Tensor | Tensor[], outputNames),
    dispose: () => model.dispose(),
  };
}

function layersRunner(model: LayersModel): TfRunner {
  return {
    inputs: model.inputs.map((t, i) => tensorSpec(model.inputNames[i] ?? t.name, t.dtype, t.shape, 'input')),
    outputs: model.outputs.map((t, i) => tensorSpec(model.outputNames[i] ?? t.name, t.dtype, t.shape, 'output')),
    execute: (feeds) => outputList(model.predict(feeds.length === 1 ? feeds[0]! : feeds), []),
    dispose: () => model.dispose(),
  };
}

function graphRunner(model: GraphModel): TfRunner {
  const inputNames = model.inputs.map((i) => i.name);
  const outputNames = model.outputs.map((o) => o.name);
  // execute() is synchronous but refuses control-flow and dynamic-shape ops; those models need
  // executeAsync(), chosen on the first run that asks for it.
  let sync = true;
  const execute = (feeds: Tensor[]): Tensor[] | Promise<Tensor[]> => {
    const map = named(inputNames, feeds);
    if (sync) {
      try {
        return outputList(model.execute(map, outputNames), outputNames);
      } catch (error) {
        if (!messageOf(error).includes('executeAsync')) throw error;
        sync = false;
      }
    }
    return model.executeAsync(map, outputNames).then((r) => outputList(r, outputNames));
  };
  // Output nodes carry no shape attribute; the converter's signature declares them.
  const signature = model.modelSignature;
  return {
    inputs: model.inputs.map((i) => tensorSpec(i.name, i.dtype, i.shape ?? signatureShape(signature, 'inputs', i.name), 'input')),
    outputs: model.outputs.map((o) => tensorSpec(o.name, o.dtype, o.shape ?? signatureShape(signature, 'outputs', o.name), 'output')),
    execute,
    dispose: () => model.dispose(),
  };
}

function named(names: readonly string[], tensors: readonly Tensor[]): Record<string, Tensor> {
  const map: Record<string, Tensor> = {};
  for (let i = 0; i < names.length; i++) map[names[i]!] = tensors[i]!;
  return map;
}
