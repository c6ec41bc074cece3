import { describe, expect, test } from 'vitest';
import { parseBatchList, parsePrecisionList } from '../../src/options/parse.js';
import { planSweep } from '../../src/sweep/plan.js';
import { error } from '../helpers/errors.js';

describe('parseBatchList', () => {
  test.each([
    ['8', [8]],
    ['1,2,4', [1, 2, 4]],
    ['1..4', [1, 2, 3, 4]],
    ['1..64:x2', [1, 2, 4, 8, 16, 32, 64]],
    ['1..32:*2', [1, 2, 4, 8, 16, 32]],
    ['1..20:+8', [1, 9, 17]],
    ['1,3..9:+3,9', [1, 3, 6, 9]],
  ])('%s → %j', (raw, expected) => expect(parseBatchList(raw)).toEqual(expected));

  test.each(['0', 'x', '4..1', '1..8:x1', '1..8:+0', '', '1..1000'])('%j is refused with the syntax', (raw) => {
    const e = error(() => parseBatchList(raw));
    expect(e.code).toBe('usage');
    expect(e.hint).toContain('1..64:x2');
  });
});

test('precisions are checked and deduplicated', () => {
  expect(parsePrecisionList('fp32,FP16,int8,fp32')).toEqual(['fp32', 'fp16', 'int8']);
  expect(error(() => parsePrecisionList('bf16')).message).toBe("unknown precision 'bf16'");
});

describe('planSweep', () => {
  const base = { model: 'm.onnx', interThreads: null, graphOptimization: 'all' as const };
  test('the cartesian product, batch innermost, with readable ids', () => {
    const specs = planSweep(base, { devices: ['cpu', 'cuda'], precisions: ['fp32', 'int8'], threads: [1, null], batches: [1, 8] });
    expect(specs).toHaveLength(16);
    expect(specs.slice(0, 3).map((s) => s.id)).toEqual([
      'cpu fp32 batch=1 threads=1',
      'cpu fp32 batch=8 threads=1',
      'cpu fp32 batch=1 threads=auto',
    ]);
    expect(new Set(specs.map((s) => s.id)).size).toBe(16);
    expect(specs.at(-1)).toMatchObject({ device: 'cuda', precision: 'int8', threads: null, batch: 8, model: 'm.onnx' });
  });
});

describe('the concurrency axis', () => {
  const base = { model: 'm.onnx', interThreads: null, graphOptimization: 'all' as const };
  test('expands between threads and batch; 1 stays out of the id and the spec', () => {
    const specs = planSweep(base, { devices: ['cpu'], precisions: ['fp32'], threads: [1], batches: [1, 8], concurrency: [1, 4] });
    expect(specs.map((s) => s.id)).toEqual([
      'cpu fp32 batch=1 threads=1',
      'cpu fp32 batch=8 threads=1',
      'cpu fp32 batch=1 threads=1 concurrency=4',
      'cpu fp32 batch=8 threads=1 concurrency=4',
    ]);
    expect(specs[0]).not.toHaveProperty('concurrency');
    expect(specs[2]?.concurrency).toBe(4);
  });
});

test('--outputs is a sweep axis inside concurrency; the default handling stays out of ids and specs', () => {
  const base = { model: 'm.onnx', interThreads: null, graphOptimization: 'all' as const };
  const specs = planSweep(base, { devices: ['cpu'], precisions: ['fp32'], threads: [1], batches: [1, 2], outputs: ['drop', 'reuse'] });
  expect(specs.map((s) => s.id)).toEqual([
    'cpu fp32 batch=1 threads=1',
    'cpu fp32 batch=2 threads=1',
    'cpu fp32 batch=1 threads=1 outputs=reuse',
    'cpu fp32 batch=2 threads=1 outputs=reuse',
  ]);
  expect(specs[0]).not.toHaveProperty('outputs');
  expect(specs[2]).toMatchObject({ outputs: 'reuse' });
});
