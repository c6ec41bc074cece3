// An invalid generated variant never reaches the cache (issue 21): a converter whose output
// onnxruntime refuses — here a stand-in for the int8 converter that raises the opset number
// without converting Clip, the bug that issue reported — makes generatedVariant decline with
// onnxruntime's message, and nothing is written.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { isVariantDeclined } from '../../src/variants/declined.js';
import { decodeModel, encodeModel } from '../../src/variants/onnx-graph.js';
import { generatedVariant } from '../../src/variants/variant-cache.js';

vi.mock('../../src/variants/quantize-int8.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/variants/quantize-int8.js')>();
  return {
    ...original,
    quantizeDynamicInt8WithCoverage: (bytes: Uint8Array) => {
      const { coverage } = original.quantizeDynamicInt8WithCoverage(bytes);
      const model = decodeModel(bytes);
      model.opsetImport = [{ domain: '', version: 11 }]; // the number only: Clip keeps min/max attributes
      return { bytes: encodeModel(model), coverage };
    },
  };
});

describe('generatedVariant validates before caching', () => {
  test('the Paddle-style model with its opset number raised only: declined with the runtime message, not cached', async () => {
    const cache = join(mkdtempSync(join(tmpdir(), 'inferbench-cache-validation-')), 'variants');
    const error = await generatedVariant('fixtures/opset/paddle-opset9.onnx', 'int8', cache).catch((e: unknown) => e);
    expect(isVariantDeclined(error)).toBe(true);
    expect(isVariantDeclined(error) && error.reason).toMatch(/^int8: conversion produced an invalid model \(.*(Unrecognized attribute: (min|max) for operator Clip|Slice).*\): a bug in inferbench's int8 converter/);
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
  });
});
