// Writes an ONNX-test-data-style sample for fixtures/transformer.onnx with onnx-proto directly (not
// with inferbench's own encoder, so the reader is checked against an independent writer):
//   tensors/test_data_set_0/input_0.pb  input_ids      int64 [1, 8] in int64_data (typed field)
//   tensors/test_data_set_0/input_1.pb  attention_mask int64 [1, 8] in raw_data
// Run: node test/data/pipeline/make-tensors.mjs   (the outputs are committed next to this script)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const dir = join(dirname(fileURLToPath(import.meta.url)), 'tensors', 'test_data_set_0');
mkdirSync(dir, { recursive: true });

const ids = [2, 18, 15, 19, 16, 3, 0, 0]; // [CLS] hello , world ! [SEP] [PAD] [PAD]
const mask = [1, 1, 1, 1, 1, 1, 0, 0];
const INT64 = onnx.TensorProto.DataType.INT64;
writeFileSync(join(dir, 'input_0.pb'), onnx.TensorProto.encode({ name: 'input_ids', dims: [1, 8], dataType: INT64, int64Data: ids }).finish());
const raw = new Uint8Array(BigInt64Array.from(mask, BigInt).buffer);
writeFileSync(join(dir, 'input_1.pb'), onnx.TensorProto.encode({ name: 'attention_mask', dims: [1, 8], dataType: INT64, rawData: raw }).finish());
console.log(`wrote 2 tensors to ${dir}`);
