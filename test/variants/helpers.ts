// Shared by the variant tests: fixture bytes, seeded inputs identical for every variant, running
// a model held in memory through real onnxruntime-node, and decoding what a converter produced.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { decodeModel, graphOf } from '../../src/variants/onnx-graph.js';
import { mulberry32, normal } from '../helpers/rng.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturePath = (file: string): string => join(repoRoot, 'fixtures', file);
export const fixtureBytes = (file: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(file)));

export type FixtureName = 'mlp' | 'cnn' | 'transformer';
export const FIXTURE_NAMES: FixtureName[] = ['mlp', 'cnn', 'transformer'];

/** The transformer's sequence length in these tests. */
export const SEQUENCE = 16;

/** Seeded inputs for a fixture at a batch size: the same seed gives the same bytes. */
export function fixtureInputs(name: FixtureName, batch: number, seed = 42): HostTensor[] {
  const uniform = mulberry32(seed);
  const gauss = normal(uniform);
  const floats = (dims: number[]): HostTensor => ({ name: '', type: 'float32', dims, data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => gauss()) });
  if (name === 'mlp') return [{ ...floats([batch, 64]), name: 'x' }];
  if (name === 'cnn') return [{ ...floats([batch, 3, 64, 64]), name: 'image' }];
  const count = batch * SEQUENCE;
  const ids = BigInt64Array.from({ length: count }, () => BigInt(Math.floor(uniform() * 1000)));
  // The last quarter of each row is padding, so the mask path (Cast to float) matters.
  const mask = BigInt64Array.from({ length: count }, (_, i) => (i % SEQUENCE < (SEQUENCE * 3) / 4 ? 1n : 0n));
  return [
    { name: 'input_ids', type: 'int64', dims: [batch, SEQUENCE], data: ids },
    { name: 'attention_mask', type: 'int64', dims: [batch, SEQUENCE], data: mask },
  ];
}

export async function openBytes(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
}

export async function runSession(session: ort.InferenceSession, inputs: HostTensor[]): Promise<HostTensor[]> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const t of inputs) feeds[t.name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
  const outputs = await session.run(feeds);
  return session.outputNames.map((name) => {
    const t = outputs[name];
    if (!t) throw new Error(`no output ${name}`);
    return { name, type: t.type as HostTensor['type'], dims: [...t.dims], data: t.data as Float32Array };
  });
}

/** Runs model bytes once on inputs and releases the session. */
export async function runBytes(bytes: Uint8Array, inputs: HostTensor[]): Promise<HostTensor[]> {
  const session = await openBytes(bytes);
  try {
    return await runSession(session, inputs);
  } finally {
    await session.release();
  }
}

/** What a test checks of a converted model: op types, initializer element types, I/O types. */
export function describeModel(bytes: Uint8Array): {
  opTypes: string[];
  initializerTypes: Map<string, number>;
  inputTypes: number[];
  outputTypes: number[];
} {
  const graph = graphOf(decodeModel(bytes));
  return {
    opTypes: (graph.node ?? []).map((n) => n.opType ?? ''),
    initializerTypes: new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t.dataType ?? 0])),
    inputTypes: (graph.input ?? []).map((v) => v.type?.tensorType?.elemType ?? 0),
    outputTypes: (graph.output ?? []).map((v) => v.type?.tensorType?.elemType ?? 0),
  };
}
