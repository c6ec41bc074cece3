// Every generated variant is validated before it is cached or measured (issue 21): the structural
// rules a converter can break, onnxruntime's own load, and — through profile() — a declined or
// invalid variant comes out `skipped` with the reason, never `failed model-invalid`.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { profile } from '../../src/profile.js';
import { validateReport } from '../../src/report/validate.js';
import type { TrialOk } from '../../src/types.js';
import { isVariantDeclined } from '../../src/variants/declined.js';
import { AT, decodeModel, DT } from '../../src/variants/onnx-graph.js';
import { assertValidVariant, structuralProblems } from '../../src/variants/validate-variant.js';
import { floatA, floats, model, node } from './tiny-models.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'inferbench-validate-'));
const QUICK = { warmup: { kind: 'count', iterations: 2 }, measure: { kind: 'count', iterations: 10 }, threads: 1, sample: false, pairedSpeedUp: false, opProfile: false } as const;
/** Schema errors about the variant part of a report (what this change adds to it). */
const variantSchemaErrors = (report: Parameters<typeof validateReport>[0]): string[] => {
  const result = validateReport(report);
  return result.valid ? [] : result.errors.filter((e) => e.includes('/variant'));
};

/** y = Clip(Conv(x, w)) with Clip's old min/max attributes, at `opset`. */
const clipModel = (opset: number) =>
  model({
    opset,
    nodes: [node('Conv', ['x', 'w'], ['c']), node('Clip', ['c'], ['y'], [floatA('min', 0), floatA('max', 6)])],
    initializers: [floats('w', [2, 1, 1, 1], [1, -1])],
    inputs: [['x', DT.FLOAT, [1, 1, 4, 4]]],
    outputs: [['y', DT.FLOAT, [1, 2, 4, 4]]],
  });

describe('structuralProblems', () => {
  test('a valid model has none', () => {
    expect(structuralProblems(decodeModel(clipModel(9)))).toEqual([]);
  });

  test('an operator the opset lacks, with the structural rules of check-structure.ts', () => {
    const m = decodeModel(model({
      opset: 11,
      nodes: [node('Relu', ['ghost'], ['a']), node('Upsample', ['a', 's'], ['y'])],
      initializers: [floats('s', [2], [1, 2])],
      inputs: [['x', DT.FLOAT, [2, 2]]],
      outputs: [['y', DT.FLOAT, [2, 2]]],
    }));
    expect(structuralProblems(m)).toEqual([
      "node 'Relu_a' (Relu) in the main graph reads 'ghost', which nothing defines before it",
      "node 'Upsample_y' (Upsample): Upsample is not an operator of opset 11",
    ]);
  });

  test('IR version 3: initializers must be graph inputs', () => {
    const m = decodeModel(clipModel(7));
    m.irVersion = 3;
    expect(structuralProblems(m)).toEqual(["IR version 3: initializer 'w' of the main graph is not listed as a graph input"]);
  });
});

describe('assertValidVariant', () => {
  test("onnxruntime's refusal is the reason: the opset number raised without converting Clip (the bug of issue 21)", async () => {
    const bytes = clipModel(9);
    const m = decodeModel(bytes);
    m.opsetImport = [{ domain: '', version: 11 }];
    const { encodeModel } = await import('../../src/variants/onnx-graph.js');
    const error = await assertValidVariant(encodeModel(m), 'int8').catch((e: unknown) => e);
    expect(isVariantDeclined(error)).toBe(true);
    expect(isVariantDeclined(error) && error.reason).toMatch(/^int8: conversion produced an invalid model \(.*Unrecognized attribute: (min|max) for operator Clip.*\): a bug in inferbench's int8 converter — please report it/);
  });

  test('a valid model passes', async () => {
    await expect(assertValidVariant(clipModel(9), 'int8')).resolves.toBeUndefined();
  });
});

describe('through profile()', () => {
  test('the Paddle-style opset-9 model: int8 and int8-static run (opset raised, Clip and Slice converted)', async () => {
    const report = await profile({ model: 'fixtures/opset/paddle-opset9.onnx', precision: ['fp32', 'int8', 'int8-static'], variantCacheDir: scratch(), ...QUICK });
    expect(variantSchemaErrors(report)).toEqual([]);
    const [, int8, qdq] = report.trials as TrialOk[];
    for (const t of [int8, qdq]) {
      expect(t?.status).toBe('ok');
      expect(t?.accuracy?.overall.cosineSimilarity).toBeGreaterThan(0.98);
      expect(t?.variant?.coverage?.opsetRaise?.converted.map((c) => c.opType)).toEqual(expect.arrayContaining(['Clip', 'Slice']));
    }
  });

  test('an operator that cannot be raised: skipped with the reason naming it, nothing cached, not a failure', async () => {
    const dir = scratch();
    const path = join(dir, 'imagescaler.onnx');
    writeFileSync(path, model({
      opset: 7,
      nodes: [node('Conv', ['x', 'w'], ['c']), node('ImageScaler', ['c'], ['y'], [floatA('scale', 2), { name: 'bias', type: AT.FLOATS, floats: [0, 1] }])],
      initializers: [floats('w', [2, 1, 1, 1], [1, -1])],
      inputs: [['x', DT.FLOAT, [1, 1, 4, 4]]],
      outputs: [['y', DT.FLOAT, [1, 2, 4, 4]]],
    }));
    const cache = join(dir, 'cache');
    const report = await profile({ model: path, precision: ['int8'], variantCacheDir: cache, ...QUICK });
    expect(variantSchemaErrors(report)).toEqual([]);
    const [trial] = report.trials;
    expect(trial).toMatchObject({ status: 'skipped', reason: 'int8: ImageScaler at opset 7 cannot be raised to 11 (not an operator of the ONNX default domain that inferbench knows)' });
    expect(readdirSync(dir)).not.toContain('cache');
  });
});
