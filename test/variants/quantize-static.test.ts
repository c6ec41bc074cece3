import { describe, expect, it } from 'vitest';
import { onnxAdapter } from '../../src/adapters/onnx.js';
import { calibrateRanges } from '../../src/sweep/calibrate-static.js';
import { compareOutputs } from '../../src/variants/accuracy.js';
import { decodeModel, graphOf } from '../../src/variants/onnx-graph.js';
import { quantizeStaticInt8 } from '../../src/variants/quantize-static.js';
import { fixtureBytes, fixtureInputs, runBytes, type FixtureName } from './helpers.js';

async function staticVariant(name: FixtureName) {
  const bytes = fixtureBytes(`${name}.onnx`);
  const sets = [0, 1, 2, 3].map((k) => fixtureInputs(name, 1, 100 + k));
  const ranges = await calibrateRanges(onnxAdapter, bytes, sets);
  return { original: bytes, ...quantizeStaticInt8(bytes, ranges) };
}

describe('quantizeStaticInt8', () => {
  it.each(['cnn', 'transformer', 'mlp'] as FixtureName[])('%s: runs, converts, drifts little', async (name) => {
    const q = await staticVariant(name);
    const graph = graphOf(decodeModel(q.bytes));
    const ops = (graph.node ?? []).map((n) => n.opType);
    console.log(name, JSON.stringify(q.coverage), ops.join(' '));
    const inputs = fixtureInputs(name, 1, 42);
    const cmp = compareOutputs(await runBytes(q.original, inputs), await runBytes(q.bytes, inputs));
    console.log(name, JSON.stringify(cmp.overall));
  });
});
