// The fp32 model with the ranges static quantization needs as extra outputs, after onnxruntime's
// MinMaxCalibrater.augment_graph (onnxruntime/python/tools/quantization/calibrate.py): a
// ReduceMin and a ReduceMax (all axes, keepdims = 0) on each activation tensor, so a calibration
// run returns two scalars per tensor instead of the tensors themselves.
import { decodeModel, DT, encodeModel, graphOf, intAttr, makeNode, NameSource, overridableInitializers } from './onnx-graph.js';
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
    const min = names.fresh(`${tensor}_ReduceMin`);
    const max = names.fresh(`${tensor}_ReduceMax`);
    graph.node = [
      ...(graph.node ?? []),
      makeNode('ReduceMin', [tensor], [min], names.fresh(`${tensor}_ReduceMin_node`), [intAttr('keepdims', 0)]),
      makeNode('ReduceMax', [tensor], [max], names.fresh(`${tensor}_ReduceMax_node`), [intAttr('keepdims', 0)]),
    ];
    graph.output = [...(graph.output ?? []), ...[min, max].map((name) => ({ name, type: { tensorType: { elemType: DT.FLOAT, shape: { dim: [] } } } }))];
    outputs.push({ tensor, min, max });
  }
  return { bytes: encodeModel(model), outputs };
}
