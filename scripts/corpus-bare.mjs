#!/usr/bin/env node
// The baseline for scripts/corpus.mjs: bare onnxruntime-node on one backend-test model with its
// shipped inputs (test_data_set_0/input_K.pb), no inferbench code on the run path except the
// TensorProto reader. When the set ships output_K.pb, the outputs are compared with them here,
// independently of inferbench's --check-outputs (numpy's assert_allclose rule, rtol 1e-3,
// atol 1e-7, as ONNX's backend tests; strings, bools and int64 exactly; NaN equals NaN, ±Inf
// only itself).
// Prints one JSON line: {"status":"ok","outputs":"match"|"mismatch"|null,"detail"?} or
// {"status":"error","error":"..."}.
// Usage: node scripts/corpus-bare.mjs <model-dir>
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { parseTensorProto } from '../dist/inputs/tensor-proto.js';

const dir = process.argv[2];
const set = join(dir, 'test_data_set_0');
const files = (pattern) => (existsSync(set) ? readdirSync(set).filter((n) => pattern.test(n)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : []);

/** The first element outside tolerance, or null when every element is close. */
function firstMismatch(actual, expected) {
  const a = Array.from(actual.data);
  const e = Array.from(expected.data);
  if (a.length !== e.length) return `${a.length} elements, expected ${e.length}`;
  for (let k = 0; k < e.length; k++) {
    const x = a[k];
    const y = e[k];
    const exact = typeof y !== 'number';
    const close = exact ? x === y : x === y || (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= 1e-7 + 1e-3 * Math.abs(y);
    if (!close) return `[${k}] ${x}, expected ${y}`;
  }
  return null;
}

try {
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
  const feeds = {};
  files(/^input_\d+\.pb$/).forEach((name, i) => {
    const t = parseTensorProto(readFileSync(join(set, name)));
    const key = session.inputNames.includes(t.name) ? t.name : session.inputNames[i];
    feeds[key] = new ort.Tensor(t.type, t.data, t.dims);
  });
  const outputs = await session.run(feeds);
  const expectedFiles = files(/^output_\d+\.pb$/);
  const mismatches = expectedFiles.flatMap((name, i) => {
    const expected = parseTensorProto(readFileSync(join(set, name)));
    const actual = outputs[session.outputNames.includes(expected.name) ? expected.name : session.outputNames[i]];
    const where = actual ? firstMismatch(actual, expected) : 'missing';
    return where ? [`${expected.name || name} ${where}`] : [];
  });
  process.stdout.write(`${JSON.stringify({ status: 'ok', outputs: expectedFiles.length > 0 ? (mismatches.length ? 'mismatch' : 'match') : null, ...(mismatches.length && { detail: mismatches[0] }) })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ status: 'error', error: String(error?.message ?? error).split('\n')[0] })}\n`);
}
