// FLOP and byte formulas against hand-computed answers (the arithmetic is in each comment).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { elementBytes, modelCost, opCost } from '../../src/analyze/flops.js';
import { parseOrtProfile } from '../../src/adapters/ort-trace.js';
import type { TensorShape } from '../../src/types.js';

const f = (...dims: number[]): TensorShape => ({ type: 'float', dims });
const t = (type: string, ...dims: number[]): TensorShape => ({ type, dims });

describe('opCost', () => {
  it('Conv: 2 · |Y| · (C/group · kH · kW); bytes of X, W, B and Y', () => {
    // 2 · (32·64·64 = 131072) · (3·3·3 = 27) = 7,077,888; (12288 + 864 + 32 + 131072) · 4 = 577,024
    expect(opCost('Conv', [f(1, 3, 64, 64), f(32, 3, 3, 3), f(32)], [f(1, 32, 64, 64)])).toEqual({ flops: 7_077_888, bytes: 577_024 });
  });

  it('depthwise Conv (group = C): W is [C, 1, k, k]', () => {
    // 2 · (32·16·16 = 8192) · 9 = 147,456; (8192 + 288 + 8192) · 4 = 66,688
    expect(opCost('Conv', [f(1, 32, 16, 16), f(32, 1, 3, 3)], [f(1, 32, 16, 16)])).toEqual({ flops: 147_456, bytes: 66_688 });
  });

  it('ConvInteger counts integer multiply-adds, bytes by element type', () => {
    // 2 · (4·6·6 = 144) · 27 = 7,776; 192 (u8) + 108 (u8) + 144 · 4 (i32) = 876
    expect(opCost('ConvInteger', [t('uint8', 1, 3, 8, 8), t('uint8', 4, 3, 3, 3)], [t('int32', 1, 4, 6, 6)])).toEqual({ flops: 7_776, bytes: 876 });
  });

  it('Conv without a weight shape has unknown FLOPs', () => {
    expect(opCost('Conv', [f(1, 3, 8, 8)], [f(1, 4, 6, 6)]).flops).toBeNull();
  });

  it('MatMul with a pre-packed weight (absent from the trace): K·N weight bytes added back', () => {
    // 2 · 1024 · 64 = 131,072; 4096 + 4096 + 64·64·4 = 24,576
    expect(opCost('MatMul', [f(1, 16, 64)], [f(1, 16, 64)])).toEqual({ flops: 131_072, bytes: 24_576 });
  });

  it('batched MatMul with both operands recorded', () => {
    // 2 · 1024 · 16 = 32,768; 3 · 4096 = 12,288
    expect(opCost('MatMul', [f(1, 4, 16, 16), f(1, 4, 16, 16)], [f(1, 4, 16, 16)])).toEqual({ flops: 32_768, bytes: 12_288 });
  });

  it('MatMulInteger', () => {
    // 2 · 8 · 3 = 48; 6 + 12 + 32 = 50
    expect(opCost('MatMulInteger', [t('int8', 2, 3), t('int8', 3, 4)], [t('int32', 2, 4)])).toEqual({ flops: 48, bytes: 50 });
  });

  it('Gemm with transA (A is [K, M]): K = |A| / M', () => {
    // M = 8, K = 512 / 8 = 64, N = 32: 2 · 8 · 64 · 32 = 32,768; (512 + 2048 + 256) · 4 = 11,264
    expect(opCost('Gemm', [f(64, 8), f(64, 32)], [f(8, 32)])).toEqual({ flops: 32_768, bytes: 11_264 });
  });

  it('Gemm with transB (B is [N, K]) gives the same count', () => {
    expect(opCost('Gemm', [f(8, 64), f(32, 64), f(32)], [f(8, 32)])).toEqual({ flops: 32_768, bytes: (512 + 2048 + 32 + 256) * 4 });
  });

  it('FusedGemm whose weight ORT pre-packed (inputs A and C): activation + weight bytes added', () => {
    // 2 · 1 · 64 · 128 + 128 = 16,512; 256 + 512 + 512 + 64·128·4 = 34,048
    expect(opCost('FusedGemm', [f(1, 64), f(128)], [f(1, 128)])).toEqual({ flops: 16_512, bytes: 34_048 });
  });

  it('elementwise: per output element, broadcast inputs counted by their own size', () => {
    // 1024 adds; 4096 + 256 + 4096 = 8,448
    expect(opCost('Add', [f(1, 16, 64), f(64)], [f(1, 16, 64)])).toEqual({ flops: 1_024, bytes: 8_448 });
    expect(opCost('Relu', [f(10)], [f(10)])).toEqual({ flops: 10, bytes: 80 });
    expect(opCost('Sigmoid', [f(10)], [f(10)]).flops).toBe(40);
    expect(opCost('Erf', [f(10)], [f(10)]).flops).toBe(10);
    expect(opCost('Gelu', [f(1, 16, 128)], [f(1, 16, 128)]).flops).toBe(10_240);
    expect(opCost('BiasGelu', [f(1, 16, 128), f(128)], [f(1, 16, 128)]).flops).toBe(12_288);
    expect(opCost('Div', [f(2, 3), t('float')], [f(2, 3)])).toEqual({ flops: 6, bytes: 24 + 4 + 24 });
  });

  it('pooling: one op per input element', () => {
    // MaxPool 2×2/2: 32·32·32 outputs × window 4 = 131,072 = |X|
    expect(opCost('MaxPool', [f(1, 32, 64, 64)], [f(1, 32, 32, 32)])).toEqual({ flops: 131_072, bytes: (131_072 + 32_768) * 4 });
    expect(opCost('AveragePool', [f(1, 8, 4, 4)], [f(1, 8, 2, 2)]).flops).toBe(128);
    expect(opCost('GlobalAveragePool', [f(1, 64, 16, 16)], [f(1, 64, 1, 1)])).toEqual({ flops: 16_384, bytes: (16_384 + 64) * 4 });
  });

  it('normalisation and softmax', () => {
    // 7 · 1024 = 7,168; (1024 + 64 + 64 + 1024) · 4 = 8,704
    expect(opCost('LayerNormalization', [f(1, 16, 64), f(64), f(64)], [f(1, 16, 64)])).toEqual({ flops: 7_168, bytes: 8_704 });
    // inference BatchNorm folds to one multiply-add: 2 · 128
    expect(opCost('BatchNormalization', [f(1, 8, 4, 4), f(8), f(8), f(8), f(8)], [f(1, 8, 4, 4)]).flops).toBe(256);
    expect(opCost('Softmax', [f(1, 4, 16, 16)], [f(1, 4, 16, 16)]).flops).toBe(5_120);
  });

  it('Attention (contrib): projection + QKᵀ + scores·V', () => {
    // 2·2·8·32·96 = 98,304 + 4·2·8·8·32 = 16,384 → 114,688
    expect(opCost('Attention', [f(2, 8, 32), f(32, 96), f(96)], [f(2, 8, 32)]).flops).toBe(114_688);
    // weights pre-packed: 3·H assumed, same answer here
    expect(opCost('Attention', [f(2, 8, 32)], [f(2, 8, 32)]).flops).toBe(114_688);
  });

  it('MultiHeadAttention (contrib): cross-attention with L = 20', () => {
    // 2 · 1 · 10 · 20 · (64 + 64) = 51,200
    expect(opCost('MultiHeadAttention', [f(1, 10, 64), f(1, 20, 64), f(1, 20, 64)], [f(1, 10, 64)]).flops).toBe(51_200);
  });

  it('Gather reads only the indexed rows; Transpose/Reshape move bytes and do no arithmetic', () => {
    // indices 16 · 8 = 128, rows read 4096, written 4096
    expect(opCost('Gather', [f(1000, 64), t('int64', 1, 16)], [f(1, 16, 64)])).toEqual({ flops: 0, bytes: 8_320 });
    expect(opCost('Transpose', [f(1, 16, 4, 16)], [f(1, 4, 16, 16)])).toEqual({ flops: 0, bytes: 8_192 });
    expect(opCost('Reshape', [f(1, 16, 64), t('int64', 4)], [f(1, 16, 4, 16)])).toEqual({ flops: 0, bytes: 4096 + 32 + 4096 });
  });

  it('unknown op types have null FLOPs but their bytes count', () => {
    expect(opCost('Resize', [f(1, 3, 8, 8)], [f(1, 3, 16, 16)])).toEqual({ flops: null, bytes: (192 + 768) * 4 });
  });

  it('element sizes for ORT and ONNX type names', () => {
    expect([elementBytes('float'), elementBytes('MLFloat16'), elementBytes('float16'), elementBytes('double'), elementBytes('int64'), elementBytes('bool'), elementBytes('string')]).toEqual([4, 2, 2, 8, 8, 1, 0]);
  });
});

describe('modelCost', () => {
  it('sums the cnn fixture per inference from its recorded trace (~64 MFLOP, as fixtures/README.md says)', () => {
    const p = parseOrtProfile(readFileSync('test/data/ort-profile-cnn.json', 'utf8'), { skipRuns: 1 });
    const cost = modelCost(p.nodes, p.runs);
    // convs 7,077,888 + 2·65,536·288 = 37,748,736 + 2·16,384·576 = 18,874,368; pools 131,072 + 65,536
    // + 16,384; Gemm 2·64·10 = 1,280; ReorderOutput and Flatten 0
    expect(cost.flops).toBe(63_915_264);
    expect(cost.unknownOpTypes).toEqual([]);
    expect(cost.nodes).toHaveLength(9);
    expect(cost.arithmeticIntensity).toBeCloseTo(cost.flops / cost.bytes, 12);
  });

  it('counts a node executed twice per run twice, and lists unknown op types', () => {
    const cost = modelCost([
      { node: 'a', opType: 'Relu', count: 4, inputs: [f(10)], outputs: [f(10)] },
      { node: 'b', opType: 'Resize', count: 2, inputs: [f(1)], outputs: [f(4)] },
    ], 2);
    expect(cost).toMatchObject({ flops: 20, bytes: 2 * 80 + 20, unknownOpTypes: ['Resize'] });
  });
});
