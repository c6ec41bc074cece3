// profileOnnxOps against the real runtime on the fixtures.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profileOnnxOps } from '../../src/adapters/onnx-op-profile.js';
import { parseOrtProfile } from '../../src/adapters/ort-trace.js';
import { modelCost } from '../../src/analyze/flops.js';
import { emptyPins } from '../../src/inputs/pins.js';
import { resolveShapes } from '../../src/inputs/shapes.js';
import { buildInputs } from '../../src/inputs/synthetic.js';
import type { TensorSpec } from '../../src/types.js';

/** Synthetic inputs as a trial builds them (seed 42, batch-like dims 1, sequence-like dims 128). */
function synthetic(specs: TensorSpec[]) {
  const pins = emptyPins();
  return buildInputs(specs, resolveShapes(specs, pins, null), pins, 42).tensors;
}

const dir = mkdtempSync(join(tmpdir(), 'inferbench-op-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('profileOnnxOps', () => {
  it('profiles the mlp with synthetic inputs and keeps the raw trace on request', async () => {
    const keep = join(dir, 'mlp-trace.json');
    const p = await profileOnnxOps('fixtures/mlp.onnx', { iterations: 3, keepTraceAt: keep, buildFeeds: synthetic });
    expect(p.runs).toBe(3);
    expect(p.nodesPerProvider).toEqual({ CPUExecutionProvider: 3 });
    expect(p.nodes.every((n) => n.count === 3)).toBe(true);
    expect(p.byOpType.map((t) => t.opType).sort()).toEqual(['FusedGemm', 'Gemm']);
    expect(p.inferenceUs).toBeGreaterThan(0);
    expect(existsSync(keep)).toBe(true);
    // the kept file is the whole trace: 1 warm-up run + 3 counted
    expect(parseOrtProfile(readFileSync(keep, 'utf8')).runs).toBe(4);
    // 64→128→128→10 at batch 1: 2·(64·128 + 128·128 + 128·10) + 128 + 128 (fused Relu) = 51,968
    expect(modelCost(p.nodes, p.runs).flops).toBe(51_968);
  });

  it('takes a feeds builder and thread count: batch 4 shows in the recorded shapes', async () => {
    const p = await profileOnnxOps('fixtures/mlp.onnx', {
      iterations: 2,
      warmupRuns: 0,
      threads: 1,
      buildFeeds: (specs) => specs.map((s) => ({ name: s.name, type: 'float32' as const, dims: [4, 64], data: new Float32Array(256).fill(0.5) })),
    });
    expect(p.runs).toBe(2);
    expect(p.nodes.find((n) => n.opType === 'Gemm')!.outputs).toEqual([{ type: 'float', dims: [4, 10] }]);
  });

  it('profiles the transformer (int64 ids and mask, symbolic sequence dim)', async () => {
    const p = await profileOnnxOps('fixtures/transformer.onnx', { iterations: 1, threads: 1, buildFeeds: synthetic });
    expect(p.runs).toBe(1);
    const gather = p.nodes.find((n) => n.opType === 'Gather')!;
    expect(gather.inputs[1]).toEqual({ type: 'int64', dims: [1, 128] });
    expect(p.byOpType.some((t) => t.opType === 'LayerNormalization')).toBe(true);
  });
});

describe('profileOnnxOps failures', () => {
  it('a run the model rejects becomes an InferbenchError, and no temp trace is left behind', async () => {
    const { rejection } = await import('../helpers/errors.js');
    const { readdirSync } = await import('node:fs');
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('inferbench-ort-profile-')).length;
    const error = await rejection(profileOnnxOps('fixtures/mlp.onnx', {
      iterations: 1,
      buildFeeds: (specs) => specs.map((s) => ({ name: s.name, type: 'float32' as const, dims: [1, 3], data: new Float32Array(3) })),
    }));
    expect(error.code).toBe('runtime-error');
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('inferbench-ort-profile-')).length).toBe(before);
  });
});
