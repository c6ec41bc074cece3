// Runtime messages as users see them: ORT's build paths stripped, data type numbers named, hints
// for the failures the ONNX backend-test corpus showed; and a model with no inputs is a model.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { cleanOrtMessage, ortHint } from '../../src/adapters/ort-message.js';
import { tempDir } from '../helpers/cli.js';

const { onnx } = onnxProto;

// Recorded from onnxruntime-node 1.30 on node/test_strnormalizer_export_monday_casesensintive_lower.
const LOCALE = "Exception during initialization: /onnxruntime_src/onnxruntime/core/providers/cpu/text/string_normalizer.cc:235 onnxruntime::StringNormalizer::Locale::Locale(const std::string&)::<lambda()> Failed to construct locale with name:en_US.UTF-8:locale::facet::_S_create_c_locale name not valid:Please, install necessary language-pack-XX and configure locales";

describe('cleanOrtMessage / ortHint', () => {
  test('ORT build paths and C++ signatures are stripped; the locale failure gets a locale hint', () => {
    const clean = cleanOrtMessage(LOCALE);
    expect(clean).not.toContain('/onnxruntime_src/');
    expect(clean).not.toContain('onnxruntime::StringNormalizer');
    expect(clean).toMatch(/^Exception during initialization: Failed to construct locale with name:en_US\.UTF-8/);
    expect(ortHint(clean)).toContain('locale-gen en_US.UTF-8');
    expect(ortHint(clean)).not.toContain('onnx.checker');
  });
  test('data type 16 is named bfloat16, with a hint', () => {
    expect(cleanOrtMessage('Unsupported data type: 16')).toBe('Unsupported data type: 16 (ONNX bfloat16)');
    expect(ortHint('Unsupported data type: 16 (ONNX bfloat16)')).toContain('bfloat16');
  });
  test('only the first line is kept', () => {
    expect(cleanOrtMessage('first\nsecond')).toBe('first');
  });
});

test('a valid model with no inputs (a Constant node) opens, with zero inputs', async () => {
  const model = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'constant',
      node: [{ opType: 'Constant', output: ['y'], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dims: [2], dataType: 1, floatData: [1, 2] } }] }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }] } } } }],
    },
  }).finish();
  const path = join(tempDir(), 'constant.onnx');
  writeFileSync(path, model);
  const session = await onnxAdapter.open(path, { device: 'cpu', intraOpThreads: 1, interOpThreads: null, graphOptimization: 'all' });
  expect(session.info.inputs).toEqual([]);
  const [y] = session.collect(await session.run(session.prepare([])));
  expect([...(y!.data as Float32Array)]).toEqual([1, 2]);
  await session.close();
});
