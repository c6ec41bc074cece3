// The trace parser against real ONNX Runtime 1.30 traces recorded on the 2-core dev VM (three runs
// each; see test/data/README-ort-profile.md), plus small hand-built traces for the edge cases.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOrtProfile } from '../../src/adapters/ort-trace.js';
import { InferbenchError } from '../../src/errors.js';

const trace = (name: string): string => readFileSync(`test/data/ort-profile-${name}.json`, 'utf8');

describe('parseOrtProfile on recorded traces', () => {
  it('cnn: every run, per node and per op type', () => {
    const p = parseOrtProfile(trace('cnn'));
    expect(p.runs).toBe(3);
    expect(p.inferenceUs).toBe(1096 + 587 + 493);
    expect(p.kernelUs).toBe(1950);
    expect(p.nodes).toHaveLength(9);
    expect(p.nodesPerProvider).toEqual({ CPUExecutionProvider: 9 });
    expect(p.nodes.reduce((s, n) => s + n.totalUs, 0)).toBe(p.kernelUs);
    const top = p.nodes[0]!;
    expect(top).toMatchObject({ node: 'relu_5_nchwc', opType: 'Conv', provider: 'CPUExecutionProvider', count: 3, totalUs: 805 });
    expect(top.meanUs).toBeCloseTo(805 / 3, 10);
    expect(top.shareOfInference).toBeCloseTo(805 / 2176, 10);
    expect(top.inputs).toEqual([{ type: 'float', dims: [1, 32, 32, 32] }, { type: 'float', dims: [64, 32, 3, 3] }, { type: 'float', dims: [64] }]);
    expect(top.outputs).toEqual([{ type: 'float', dims: [1, 64, 32, 32] }]);
    const conv = p.byOpType.find((t) => t.opType === 'Conv')!;
    expect(conv).toMatchObject({ nodes: 3, count: 9 });
    expect(p.byOpType.map((t) => t.opType).sort()).toEqual(['Conv', 'Flatten', 'Gemm', 'GlobalAveragePool', 'MaxPool', 'ReorderOutput']);
    expect(p.byOpType[0]!.opType).toBe('Conv');
  });

  it('cnn: skipRuns leaves out the cold first run and its kernels', () => {
    const p = parseOrtProfile(trace('cnn'), { skipRuns: 1 });
    expect(p.runs).toBe(2);
    expect(p.inferenceUs).toBe(587 + 493);
    expect(p.kernelUs).toBe(1001);
    expect(p.nodes[0]).toMatchObject({ node: 'relu_5_nchwc', count: 2, totalUs: 463 });
    expect(p.byOpType.find((t) => t.opType === 'MaxPool')).toMatchObject({ nodes: 2, count: 4 });
  });

  it('mlp: fused Gemm nodes, whose pre-packed weights are not among the inputs', () => {
    const p = parseOrtProfile(trace('mlp'), { skipRuns: 1 });
    expect(p).toMatchObject({ runs: 2, inferenceUs: 69, kernelUs: 44 });
    expect(p.byOpType.map((t) => [t.opType, t.nodes, t.count])).toEqual(expect.arrayContaining([['FusedGemm', 2, 4], ['Gemm', 1, 2]]));
    const first = p.nodes.find((n) => n.node === 'fused Gemm_1')!;
    expect(first.inputs).toEqual([{ type: 'float', dims: [1, 64] }, { type: 'float', dims: [128] }]);
  });

  it('transformer: contrib fusions, int64 inputs, scalar shapes', () => {
    const p = parseOrtProfile(trace('transformer'), { skipRuns: 1 });
    expect(p).toMatchObject({ runs: 2, inferenceUs: 542, kernelUs: 273 });
    expect(p.nodes).toHaveLength(37);
    const types = Object.fromEntries(p.byOpType.map((t) => [t.opType, t.count]));
    expect(types).toMatchObject({ MatMul: 14, FusedMatMul: 2, BiasGelu: 2, LayerNormalization: 6, Softmax: 2, Gather: 2, Add: 18 });
    expect(p.nodes.find((n) => n.opType === 'Gather')!.inputs).toEqual([{ type: 'float', dims: [1000, 64] }, { type: 'int64', dims: [1, 16] }]);
    expect(p.nodes.find((n) => n.opType === 'Sub')!.inputs[0]).toEqual({ type: 'float', dims: [] });
    const shares = p.nodes.reduce((s, n) => s + n.shareOfInference, 0);
    expect(shares).toBeCloseTo(273 / 542, 10);
  });
});

describe('parseOrtProfile on hand-built traces', () => {
  const node = (name: string, op: string, provider: string, ts: number, dur: number) => ({
    cat: 'Node', name: `${name}_kernel_time`, ts, dur, ph: 'X',
    args: { op_name: op, provider, input_type_shape: [{ float: [2, 3] }], output_type_shape: [{ float: [2, 3] }] },
  });
  const run = (ts: number, dur: number) => ({ cat: 'Session', name: 'model_run', ts, dur, ph: 'X', args: {} });

  it('counts nodes per execution provider (a CUDA trial that fell back to the CPU for one node)', () => {
    const events = [
      node('a', 'MatMul', 'CUDAExecutionProvider', 10, 5),
      node('b', 'Relu', 'CUDAExecutionProvider', 16, 2),
      node('c', 'NonZero', 'CPUExecutionProvider', 19, 3),
      { cat: 'Node', name: 'a_fence_before', ts: 9, dur: 0, ph: 'X', args: { op_name: 'MatMul' } },
      run(5, 20),
    ];
    const p = parseOrtProfile(events);
    expect(p.nodesPerProvider).toEqual({ CUDAExecutionProvider: 2, CPUExecutionProvider: 1 });
    expect(p.kernelUs).toBe(10);
    expect(p.nodes.map((n) => n.node)).toEqual(['a', 'c', 'b']);
  });

  it('without model_run events the kernels are the inference time', () => {
    const p = parseOrtProfile({ traceEvents: [node('a', 'Add', 'CPUExecutionProvider', 0, 4), node('a', 'Add', 'CPUExecutionProvider', 10, 6)] });
    expect(p).toMatchObject({ runs: 0, inferenceUs: 10, kernelUs: 10 });
    expect(p.nodes[0]).toMatchObject({ count: 2, meanUs: 5, shareOfInference: 1 });
  });

  it('ignores kernels outside the counted runs (session initialisation)', () => {
    const p = parseOrtProfile([node('init', 'Add', 'CPUExecutionProvider', 0, 50), run(100, 10), node('x', 'Add', 'CPUExecutionProvider', 101, 5)]);
    expect(p.nodes.map((n) => n.node)).toEqual(['x']);
  });

  it('rejects what is not a trace with an InferbenchError', () => {
    expect(() => parseOrtProfile('not json')).toThrow(InferbenchError);
    expect(() => parseOrtProfile({ foo: 1 })).toThrow(/JSON array of trace events/);
  });
});
