import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { HostTensor } from '../../src/adapters/adapter.js';
import { halfToNumber, parsePostprocessSteps, readLabels, runPostprocess, softmax } from '../../src/pipeline/postprocess.js';
import { error } from '../helpers/errors.js';

const scores: HostTensor = { name: 'scores', type: 'float64', dims: [2, 3], data: Float64Array.of(1, 3, 2, 0, 0, Math.log(2)) };
const labels = ['cat', 'dog', 'fox'];

describe('postprocess steps', () => {
  test('parsing: the list in order, output=NAME, and errors that list the steps', () => {
    expect(parsePostprocessSteps('softmax, topk=2,argmax')).toEqual({ steps: [{ kind: 'softmax' }, { kind: 'topk', k: 2 }, { kind: 'argmax' }] });
    expect(parsePostprocessSteps('output=logits,argmax')).toEqual({ steps: [{ kind: 'argmax' }], output: 'logits' });
    expect(error(() => parsePostprocessSteps('softmax,top5')).hint).toMatch(/topk=K/);
    expect(error(() => parsePostprocessSteps('topk=0')).message).toMatch(/topk=0 is not a step/);
  });

  test('softmax: exact probabilities, stable for large scores', () => {
    const [a, b, c] = softmax([0, 0, Math.log(2)]);
    expect([a, b, c]).toEqual([0.25, 0.25, 0.5]);
    expect(softmax([1000, 1000])).toEqual([0.5, 0.5]);
  });

  test('softmax,topk=2 with labels: one row per batch item, highest first, ties by index', () => {
    const result = runPostprocess([{ kind: 'softmax' }, { kind: 'topk', k: 2 }], [scores], { labels });
    const e = [Math.exp(-2), 1, Math.exp(-1)];
    const sum = e[0]! + e[1]! + e[2]!;
    expect(result).toEqual({
      output: 'scores',
      steps: ['softmax', 'topk=2'],
      rows: [
        { topk: [{ index: 1, label: 'dog', score: e[1]! / sum }, { index: 2, label: 'fox', score: e[2]! / sum }] },
        { topk: [{ index: 2, label: 'fox', score: 0.5 }, { index: 0, label: 'cat', score: 0.25 }] },
      ],
    });
  });

  test('argmax alone keeps raw scores; softmax alone returns the probabilities', () => {
    expect(runPostprocess([{ kind: 'argmax' }], [scores]).rows).toEqual([{ argmax: { index: 1, score: 3 } }, { argmax: { index: 2, score: Math.log(2) } }]);
    expect(runPostprocess([{ kind: 'softmax' }], [scores]).rows[1]).toEqual({ scores: [0.25, 0.25, 0.5] });
  });

  test('float16 and int outputs are read as numbers; a named output; label count must match', () => {
    expect([0x3c00, 0xc000, 0x0001, 0x7c00].map(halfToNumber)).toEqual([1, -2, 2 ** -24, Infinity]);
    const half: HostTensor = { name: 'h', type: 'float16', dims: [1, 2], data: Uint16Array.of(0x3c00, 0x4000) };
    const ints: HostTensor = { name: 'i', type: 'int64', dims: [3], data: BigInt64Array.of(5n, 7n, 6n) };
    expect(runPostprocess([{ kind: 'argmax' }], [half, ints], { output: 'h' }).rows).toEqual([{ argmax: { index: 1, score: 2 } }]);
    expect(runPostprocess([{ kind: 'argmax' }], [half, ints], { output: 'i' }).rows).toEqual([{ argmax: { index: 1, score: 7 } }]);
    expect(error(() => runPostprocess([], [scores], { output: 'nope' })).hint).toBe('outputs: scores');
    expect(error(() => runPostprocess([], [scores], { labels: ['a'] })).message).toBe("--labels has 1 labels but output 'scores' has 3 classes");
  });

  test('labels file: one per line, CRLF, trailing newline ignored', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'inferbench-labels-')), 'labels.txt');
    writeFileSync(path, 'cat\r\ndog\nfox\n');
    expect(await readLabels(path)).toEqual(labels);
  });
});
