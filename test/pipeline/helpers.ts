// Shared by the pipeline tests: a fixture's metadata (through the real adapter), a PipelineContext
// for it, and a run of host tensors through a real onnxruntime-node session.
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { HostTensor, TypedArray } from '../../src/adapters/adapter.js';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { emptyPins } from '../../src/inputs/pins.js';
import { resolveShapes } from '../../src/inputs/shapes.js';
import type { PipelineContext } from '../../src/pipeline/types.js';
import type { ModelInfo } from '../../src/types.js';

export const DATA = join('test', 'data', 'pipeline');
export const fixture = (name: string): string => join('fixtures', name);

const infos = new Map<string, ModelInfo>();
export async function modelInfo(name: string): Promise<ModelInfo> {
  const known = infos.get(name);
  if (known) return known;
  const session = await onnxAdapter.open(fixture(name), { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all' });
  infos.set(name, session.info);
  await session.close();
  return session.info;
}

export async function contextFor(name: string, batch: number, options: Record<string, string> = {}, dims: Record<string, number> = {}): Promise<PipelineContext> {
  const info = await modelInfo(name);
  const pins = emptyPins();
  for (const [k, v] of Object.entries(dims)) pins.dims.set(k, v);
  return { inputs: info.inputs, outputs: info.outputs, shapes: resolveShapes(info.inputs, pins, batch), batch, options };
}

const sessions = new Map<string, ort.InferenceSession>();
/** Runs host tensors through a real ORT session on the fixture; outputs as host tensors. */
export async function runModel(name: string, feeds: HostTensor[]): Promise<HostTensor[]> {
  let session = sessions.get(name);
  if (!session) {
    session = await ort.InferenceSession.create(fixture(name), { intraOpNumThreads: 1 });
    sessions.set(name, session);
  }
  const inputs: Record<string, ort.Tensor> = {};
  for (const t of feeds) inputs[t.name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
  const outputs = await session.run(inputs);
  return session.outputNames.map((n) => {
    const t = outputs[n] as ort.Tensor;
    return { name: n, type: t.type as 'float32', dims: [...t.dims], data: t.data as TypedArray };
  });
}

export async function closeSessions(): Promise<void> {
  await Promise.all([...sessions.values()].map((s) => s.release()));
  sessions.clear();
}
