// Which nodes static int8 quantization converts, and which activation ranges it needs: shared by
// the calibration graph (calibration-graph.ts) and the QDQ rewrite (quantize-static.ts), so that
// both see the same choice. As onnxruntime's QDQ quantizer (onnxruntime/python/tools/quantization/
// qdq_quantizer.py, operators/conv.py, matmul.py, gemm.py, activation.py, maxpool.py):
// - Conv with a constant float weight (and optional constant bias); MatMul with a constant 2-D
//   weight as its second input; Gemm with a constant weight, transA = 0 and alpha = beta = 1
//   (QGemm's bias is quantized with scale a·b, which other alpha/beta would change);
// - a Relu that alone consumes such a node's output is removed and the node's output takes its
//   name and range (QDQRemovableActivation: the uint8 Q with zero point 0 clips at 0 itself);
// - a MaxPool reading a quantized output shares that tensor's scale and zero point (QDQMaxPool
//   is a "direct 8-bit op"), so that ONNX Runtime runs it on uint8 and drops its Q/DQ pair.
import { allGraphs, allNodes, subgraphsOf, DT, dimsOf, floatAttrValue, intAttrValue, type Graph, type NodeProto, type TensorProto } from './onnx-graph.js';

export type StaticOp = 'Conv' | 'MatMul' | 'Gemm';

export interface StaticTarget {
  node: NodeProto;
  op: StaticOp;
  /** The activation input (input 0). */
  input: string;
  weight: TensorProto;
  bias?: TensorProto;
  /** A Relu folded into the node: the node's output is renamed to the Relu's. */
  relu?: NodeProto;
  /** The quantized output tensor (the Relu's output when one is folded). */
  output: string;
}

export interface StaticPlan {
  targets: StaticTarget[];
  /** Nodes of the quantizable types, converted or not (for coverage). */
  candidates: NodeProto[];
  /** MaxPool nodes whose output shares their input's quantization parameters: output → input. */
  passThrough: Map<string, string>;
  /** Activation tensors whose ranges calibration must measure (inputs and outputs of targets). */
  rangeTensors: string[];
  /** The branches of the main graph's If nodes, each planned like a graph of its own. */
  branches: BranchPlan[];
  /** Conv / MatMul / Gemm nodes in other subgraphs (Loop / Scan bodies, nested deeper): they stay fp32. */
  inSubgraphs: NodeProto[];
}

/**
 * An If branch of the main graph: it runs at most once per inference, so its tensors have one
 * range, which calibration measures by returning it through the If node (calibration-graph.ts).
 * A Loop or Scan body runs once per iteration and is not planned.
 */
export interface BranchPlan {
  ifNode: NodeProto;
  branch: Graph;
  plan: StaticPlan;
}

const isDefaultDomain = (n: NodeProto): boolean => !n.domain || n.domain === 'ai.onnx';

/**
 * The targets of the main graph and of the branches of its If nodes. `overridable` names
 * initializers a fed input may replace (overridableInitializers): they are inputs, never weights —
 * as in dynamic int8.
 */
export function planStatic(graph: Graph, overridable: ReadonlySet<string>): StaticPlan {
  const inits = new Map((graph.initializer ?? []).filter((t) => !overridable.has(t.name ?? '')).map((t) => [t.name ?? '', t]));
  const plan = planGraph(graph, inits);
  for (const ifNode of (graph.node ?? []).filter((n) => n.opType === 'If' && isDefaultDomain(n))) {
    for (const branch of subgraphsOf(ifNode)) {
      // A branch reads its own initializers and, by outer-scope reference, the main graph's.
      const visible = new Map([...inits, ...(branch.initializer ?? []).map((t): [string, TensorProto] => [t.name ?? '', t])]);
      plan.branches.push({ ifNode, branch, plan: planGraph(branch, visible) });
    }
  }
  const planned = new Set(plan.branches.flatMap((b) => b.plan.candidates));
  plan.inSubgraphs = allGraphs(graph).slice(1).flatMap((g) => (g.node ?? []).filter((n) => isDefaultDomain(n) && COMPUTE.has(n.opType ?? '') && !planned.has(n)));
  return plan;
}

const COMPUTE: ReadonlySet<string> = new Set(['Conv', 'MatMul', 'Gemm']);

/** The targets of one graph, whose weights are looked up in `inits`. */
function planGraph(graph: Graph, inits: ReadonlyMap<string, TensorProto>): StaticPlan {
  const graphOutputs = new Set((graph.output ?? []).map((v) => v.name ?? ''));
  const floatInit = (name: string | undefined, rank?: number): TensorProto | undefined => {
    const t = name ? inits.get(name) : undefined;
    return t && t.dataType === DT.FLOAT && (rank === undefined || dimsOf(t).length === rank) ? t : undefined;
  };
  const consumers = new Map<string, NodeProto[]>();
  // Reads from inside subgraphs (outer-scope references) are consumers too: they keep a Relu.
  for (const n of allNodes(graph)) for (const name of n.input ?? []) consumers.set(name, [...(consumers.get(name) ?? []), n]);

  const targets: StaticTarget[] = [];
  const candidates: NodeProto[] = [];
  for (const node of graph.node ?? []) {
    const op = node.opType as StaticOp;
    if (!isDefaultDomain(node) || (op !== 'Conv' && op !== 'MatMul' && op !== 'Gemm')) continue;
    candidates.push(node);
    const [input, weightName, biasName] = node.input ?? [];
    const out = node.output?.[0];
    if (!input || !out || inits.has(input)) continue;
    const weight = op === 'MatMul' ? floatInit(weightName, 2) : floatInit(weightName);
    if (!weight || (op === 'Conv' && dimsOf(weight).length < 3)) continue;
    if (op === 'Gemm' && (intAttrValue(node, 'transA', 0) !== 0 || floatAttrValue(node, 'alpha', 1) !== 1 || floatAttrValue(node, 'beta', 1) !== 1)) continue;
    const bias = biasName ? floatInit(biasName, 1) : undefined;
    if (biasName && !bias) continue; // a computed bias has no int32 form
    const next = consumers.get(out) ?? [];
    const relu = next.length === 1 && next[0]?.opType === 'Relu' && isDefaultDomain(next[0]) && !graphOutputs.has(out) ? next[0] : undefined;
    targets.push({ node, op, input, weight, ...(bias && { bias }), ...(relu && { relu }), output: relu?.output?.[0] ?? out });
  }

  const quantizedOutputs = new Set(targets.map((t) => t.output));
  const passThrough = new Map<string, string>();
  for (const node of graph.node ?? []) {
    const [input] = node.input ?? [];
    const out = node.output?.[0];
    // Only MaxPool's first output (the Indices output stays int64 and must be unused).
    if (node.opType === 'MaxPool' && isDefaultDomain(node) && input && out && (node.output?.length ?? 0) === 1 && quantizedOutputs.has(input)) {
      passThrough.set(out, input);
      quantizedOutputs.add(out);
    }
  }
  const rangeTensors = [...new Set(targets.flatMap((t) => [t.input, t.output]))].filter((name) => !passThrough.has(name));
  return { targets, candidates, passThrough, rangeTensors, branches: [], inSubgraphs: [] };
}
