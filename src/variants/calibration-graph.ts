// The fp32 model with the ranges static quantization needs as extra outputs, after onnxruntime's
// MinMaxCalibrater.augment_graph (onnxruntime/python/tools/quantization/calibrate.py): a
// ReduceMin and a ReduceMax (all axes, keepdims = 0) on each activation tensor, so a calibration
// run returns two scalars per tensor instead of the tensors themselves.
import {
  AT, decodeModel, DT, encodeModel, finishInitializers, graphOf, intAttr, makeNode, NameSource, overridableInitializers, tensor, type Graph, type ValueInfo,
} from './onnx-graph.js';
import { declineExternalData } from './declined.js';
import { foldConstantWeights } from './fold-constants.js';
import { planStatic } from './static-targets.js';

export interface CalibrationGraph {
  bytes: Uint8Array;
  /** Per activation tensor, the names of its min and max outputs. */
  outputs: { tensor: string; min: string; max: string }[];
}

export function calibrationGraph(bytes: Uint8Array): CalibrationGraph {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  declineExternalData(graph, 'int8-static');
  const overridable = overridableInitializers(model);
  foldConstantWeights(graph, overridable);
  const plan = planStatic(graph, overridable);
  const names = new NameSource(graph);
  const outputs: CalibrationGraph['outputs'] = [];
  for (const tensor of plan.rangeTensors) {
    const [min, max] = reduce(graph, tensor, names);
    graph.output = [...(graph.output ?? []), scalarInfo(min), scalarInfo(max)];
    outputs.push({ tensor, min, max });
  }
  // If branches: each branch returns the ranges of its tensors as extra outputs of the If node,
  // and +inf / -inf in place of the other branch's (calibrateRanges skips values that are not
  // finite), so every input set reports the branch it took.
  for (const ifNode of new Set(plan.branches.map((b) => b.ifNode))) {
    const branches = plan.branches.filter((b) => b.ifNode === ifNode);
    for (const { branch: own, plan: { rangeTensors } } of branches) {
      for (const tensor of rangeTensors) {
        const min = names.fresh(`${tensor}_ReduceMin`);
        const max = names.fresh(`${tensor}_ReduceMax`);
        for (const { branch } of branches) {
          const [lo, hi] = branch === own ? reduce(branch, tensor, names) : [infinity(branch, Infinity, names), infinity(branch, -Infinity, names)];
          branch.output = [...(branch.output ?? []), scalarInfo(lo), scalarInfo(hi)];
        }
        ifNode.output = [...(ifNode.output ?? []), min, max];
        graph.output = [...(graph.output ?? []), scalarInfo(min), scalarInfo(max)];
        outputs.push({ tensor, min, max });
      }
    }
  }
  finishInitializers(model);
  return { bytes: encodeModel(model), outputs };
}

const scalarInfo = (name: string): ValueInfo => ({ name, type: { tensorType: { elemType: DT.FLOAT, shape: { dim: [] } } } });

/** ReduceMin and ReduceMax (all axes, keepdims 0) of `tensor`, appended to `g`: their outputs. */
function reduce(g: Graph, tensor: string, names: NameSource): [string, string] {
  const min = names.fresh(`${tensor}_ReduceMin`);
  const max = names.fresh(`${tensor}_ReduceMax`);
  g.node = [
    ...(g.node ?? []),
    makeNode('ReduceMin', [tensor], [min], names.fresh(`${tensor}_ReduceMin_node`), [intAttr('keepdims', 0)]),
    makeNode('ReduceMax', [tensor], [max], names.fresh(`${tensor}_ReduceMax_node`), [intAttr('keepdims', 0)]),
  ];
  return [min, max];
}

/** A float scalar Constant (±inf) appended to `g`: its output. */
function infinity(g: Graph, value: number, names: NameSource): string {
  const out = names.fresh(value > 0 ? 'not_taken_min' : 'not_taken_max');
  g.node = [...(g.node ?? []), makeNode('Constant', [], [out], names.fresh(`${out}_node`), [{ name: 'value', type: AT.TENSOR, t: tensor('', DT.FLOAT, [], Float32Array.of(value)) }])];
  return out;
}
