// --check-outputs: run the model once on each ONNX test data set (test_data_set_N/input_K.pb)
// and compare what it computes with the shipped output_K.pb, outside any timing. A profile then
// also proves the model computes right on this machine and device.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTensor, RuntimeAdapter, SessionOptions } from '../adapters/adapter.js';
import { InferbenchError, messageOf } from '../errors.js';
import { parseTensorProto } from '../inputs/tensor-proto.js';
import type { DataSetCheck, ModelInfo, OutputCheck } from '../types.js';
import { compareOutput, DEFAULT_ATOL, DEFAULT_RTOL } from './allclose.js';

export type { DataSetCheck, OutputCheck } from '../types.js';



const SET = /^test_data_set_\d+$/;
const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** The test_data_set_N directories in `dir`, or `dir` itself when it is one. */
export function findDataSets(dir: string): string[] {
  const isDir = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
  if (!isDir(dir)) throw new InferbenchError('usage', `--check-outputs ${dir}: not a directory`, 'pass the directory holding test_data_set_N/ (the model\'s directory by default)');
  const name = dir.replace(/\/+$/, '').split('/').pop() ?? '';
  if (SET.test(name)) return [dir];
  const sets = readdirSync(dir).filter((n) => SET.test(n) && isDir(join(dir, n))).sort(natural).map((n) => join(dir, n));
  if (sets.length === 0) {
    throw new InferbenchError('usage', `--check-outputs: no test_data_set_N directory in ${dir}`, 'the ONNX test-data layout is test_data_set_0/input_0.pb ... output_0.pb; pass its directory with --check-outputs DIR');
  }
  return sets;
}

function tensors(dir: string, prefix: 'input' | 'output'): HostTensor[] {
  const pattern = new RegExp(`^${prefix}_\\d+\\.pb$`);
  return readdirSync(dir).filter((n) => pattern.test(n)).sort(natural).map((n) => parseTensorProto(readFileSync(join(dir, n)), join(dir, n)));
}

/** Name unnamed or misnamed tensors by position, as the backend tests feed them. */
function named(files: HostTensor[], specs: readonly { name: string }[]): HostTensor[] {
  const known = new Set(specs.map((s) => s.name));
  return files.map((t, i) => (known.has(t.name) ? t : { ...t, name: specs[i]?.name ?? t.name }));
}

async function checkOne(adapter: RuntimeAdapter, model: string, options: SessionOptions, dir: string, rtol: number, atol: number): Promise<DataSetCheck> {
  let info: ModelInfo | undefined;
  try {
    const session = await adapter.open(model, options);
    info = session.info;
    try {
      const inputs = named(tensors(dir, 'input'), info.inputs);
      const expected = named(tensors(dir, 'output'), info.outputs);
      const actual = session.collect(await session.run(session.prepare(inputs)));
      const outputs = expected.map((want, i) => {
        const got = actual.find((a) => a.name === want.name) ?? actual[i];
        return got ? compareOutput(want, got, rtol, atol) : { name: want.name, status: 'mismatch' as const, elements: want.data.length, mismatched: want.data.length, maxAbsError: 0, detail: 'the model gave no such output' };
      });
      return { path: dir, status: outputs.every((o) => o.status === 'match') ? 'match' : 'mismatch', outputs };
    } finally {
      await session.close();
    }
  } catch (error) {
    return { path: dir, status: 'error', outputs: [], error: messageOf(error) };
  }
}

export async function checkOutputs(adapter: RuntimeAdapter, model: string, dir: string, options: SessionOptions, rtol = DEFAULT_RTOL, atol = DEFAULT_ATOL): Promise<OutputCheck> {
  const dataSets: DataSetCheck[] = [];
  for (const set of findDataSets(dir)) dataSets.push(await checkOne(adapter, model, options, set, rtol, atol));
  const status = dataSets.some((d) => d.status === 'error') ? 'error' : dataSets.every((d) => d.status === 'match') ? 'match' : 'mismatch';
  return { device: options.device, rtol, atol, dataSets, status };
}
