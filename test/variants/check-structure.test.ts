// The structural checks that stand in for onnx.checker in the tests: each rule on a model that
// breaks it, and every fixture passing.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkStructure } from '../../src/variants/check-structure.js';
import { AT, decodeModel, DT, type Model } from '../../src/variants/onnx-graph.js';
import { fixtureBytes, fixturePath } from './helpers.js';
import { floats, node } from './tiny-models.js';

const vi = (name: string) => ({ name, type: { tensorType: { elemType: DT.FLOAT, shape: { dim: [{ dimValue: 2 }] } } } });
const base = (over: Partial<Model> = {}, graph: Record<string, unknown> = {}): Model =>
  ({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g', node: [node('Relu', ['x'], ['y'])], input: [vi('x')], output: [vi('y')], initializer: [], ...graph }, ...over }) as Model;

describe('checkStructure', () => {
  it('passes every fixture', () => {
    const files = [...readdirSync(fixturePath('')).filter((f) => f.endsWith('.onnx')), ...readdirSync(fixturePath('variants')).map((f) => `variants/${f}`), ...readdirSync(fixturePath('opset')).map((f) => `opset/${f}`)];
    for (const file of files) expect(checkStructure(decodeModel(fixtureBytes(file))), file).toEqual([]);
  });

  it('finds a read of an undefined name, an undefined output and a name defined twice', () => {
    expect(checkStructure(base({}, { node: [node('Add', ['x', 'missing'], ['y'])] }))).toEqual(["node 'Add_y' (Add) in the main graph reads 'missing', which nothing defines before it"]);
    expect(checkStructure(base({}, { output: [vi('z')] }))).toEqual(["output 'z' of the main graph is not defined"]);
    expect(checkStructure(base({}, { node: [node('Relu', ['x'], ['y']), node('Relu', ['x'], ['y'])] }))).toEqual(["'y' is defined more than once (output of node 'Relu_y' (Relu) in the main graph)"]);
  });

  it('resolves outer-scope reads from a subgraph and refuses a subgraph that redefines an outer name', () => {
    const branch = (out: string) => ({ name: `b_${out}`, node: [node('Relu', ['x'], [out])], output: [vi(out)] });
    const ifNode = (a: string, b: string) => ({ opType: 'If', input: ['c'], output: ['y'], name: 'if', attribute: [{ name: 'then_branch', type: AT.GRAPH, g: branch(a) }, { name: 'else_branch', type: AT.GRAPH, g: branch(b) }] });
    const inputs = [vi('x'), { name: 'c', type: { tensorType: { elemType: DT.BOOL, shape: { dim: [] } } } }];
    expect(checkStructure(base({}, { node: [ifNode('t', 'e')], input: inputs }))).toEqual([]);
    expect(checkStructure(base({}, { node: [ifNode('x', 'e')], input: inputs }))[0]).toMatch(/^'x' is defined more than once/);
  });

  it('IR < 4: an initializer not listed as an input', () => {
    const model = base({ irVersion: 3 }, { node: [node('Add', ['x', 'b'], ['y'])], initializer: [floats('b', [2], [1, 2])] });
    expect(checkStructure(model)).toEqual(["IR version 3: initializer 'b' of the main graph is not listed as a graph input"]);
    model.graph!.input!.push(vi('b'));
    expect(checkStructure(model)).toEqual([]);
  });

  it('a domain without an opset import, and a Cast whose `to` has the wrong type for the opset', () => {
    expect(checkStructure(base({}, { node: [{ ...node('Gelu', ['x'], ['y']), domain: 'com.microsoft' }] }))).toEqual(["node 'Gelu_y' (Gelu) in the main graph uses domain 'com.microsoft', which the model does not import"]);
    const cast = { ...node('Cast', ['x'], ['y']), attribute: [{ name: 'to', type: AT.INT, i: DT.FLOAT16 }] };
    expect(checkStructure(base({ opsetImport: [{ domain: '', version: 1 }] }, { node: [cast] }))).toEqual(["node 'Cast_y' (Cast) in the main graph: Cast at opset 1 takes 'to' as a string"]);
    expect(checkStructure(base({}, { node: [cast] }))).toEqual([]);
  });
});
