import { expect, test } from 'vitest';
import { fallbackWarnings } from '../../src/sweep/analyse-trial.js';

test('a cuda trial that ran mostly on the CPU provider is called out; one that ran on the GPU is not', () => {
  const [warning] = fallbackWarnings('cuda', { CUDAExecutionProvider: 3, CPUExecutionProvider: 9 });
  expect(warning?.code).toBe('fallback');
  expect(warning?.message).toContain('device cuda: 9 of 12 nodes ran on the CPU execution provider');
  expect(fallbackWarnings('cuda', { CUDAExecutionProvider: 11, CPUExecutionProvider: 1 })).toEqual([]);
  expect(fallbackWarnings('cpu', { CPUExecutionProvider: 9 })).toEqual([]);
  expect(fallbackWarnings('webgpu', {})).toEqual([]);
});
