#!/usr/bin/env node
// The baseline for scripts/corpus.mjs: bare onnxruntime-node on one backend-test model with its
// shipped inputs (test_data_set_0/input_K.pb), no inferbench code on the run path except the
// TensorProto reader. Prints one JSON line: {"status":"ok"} or {"status":"error","error":"..."}.
// Usage: node scripts/corpus-bare.mjs <model-dir>
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { parseTensorProto } from '../dist/inputs/tensor-proto.js';

const dir = process.argv[2];
try {
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
  const set = join(dir, 'test_data_set_0');
  const files = existsSync(set) ? readdirSync(set).filter((n) => /^input_\d+\.pb$/.test(n)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : [];
  const feeds = {};
  files.forEach((name, i) => {
    const t = parseTensorProto(readFileSync(join(set, name)));
    const key = session.inputNames.includes(t.name) ? t.name : session.inputNames[i];
    feeds[key] = new ort.Tensor(t.type, t.data, t.dims);
  });
  await session.run(feeds);
  process.stdout.write(`${JSON.stringify({ status: 'ok' })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ status: 'error', error: String(error?.message ?? error).split('\n')[0] })}\n`);
}
