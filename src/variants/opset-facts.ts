// What the opset adapters (opset-upgrade.ts) need to know about a tensor without running the
// model: its element type and rank where the graph declares them (inputs, outputs, value_info,
// initializers, Constant nodes — of the graph and the graphs around it), the values of a constant
// float tensor, and names that no graph of the model uses yet.
import { dimsOf, DT, floatValues, onnx, type Graph, type Model, type NodeProto, type TensorProto } from './onnx-graph.js';

/** Model-wide: every graph (outer first) and one source of fresh names across all of them. */
export class ModelFacts {
  readonly graphs: Graph[] = [];
  readonly names: FreshNames;
  private readonly scopes = new Map<Graph, GraphFacts>();

  constructor(model: Model) {
    const walk = (graph: Graph, outer: GraphFacts | undefined): void => {
      this.graphs.push(graph);
      const facts = new GraphFacts(graph, outer, this);
      this.scopes.set(graph, facts);
      for (const node of graph.node ?? []) for (const sub of subgraphs(node)) walk(sub, facts);
    };
    const used = new Set<string>();
    this.names = new FreshNames(used);
    if (model.graph) walk(model.graph, undefined);
    for (const g of this.graphs) {
      for (const n of g.node ?? []) for (const name of [n.name ?? '', ...(n.input ?? []), ...(n.output ?? [])]) used.add(name);
      for (const t of g.initializer ?? []) used.add(t.name ?? '');
      for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) used.add(v.name ?? '');
    }
  }

  scope(graph: Graph): GraphFacts {
    const facts = this.scopes.get(graph);
    if (!facts) throw new Error('graph not in this model');
    return facts;
  }
}

export function subgraphs(node: NodeProto): Graph[] {
  return (node.attribute ?? []).flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]);
}

export class FreshNames {
  constructor(private readonly used: Set<string>) {}

  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

interface Declared {
  elemType?: number;
  rank?: number;
}

/** One graph's view: its own declarations, then the enclosing graphs'. */
export class GraphFacts {
  private readonly declared = new Map<string, Declared>();
  private readonly constants = new Map<string, TensorProto>();

  constructor(graph: Graph, private readonly outer: GraphFacts | undefined, private readonly model: ModelFacts) {
    for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
      const t = v.type?.tensorType;
      if (!t || !v.name) continue;
      this.declared.set(v.name, { ...(t.elemType ? { elemType: t.elemType } : {}), ...(t.shape ? { rank: (t.shape.dim ?? []).length } : {}) });
    }
    for (const t of graph.initializer ?? []) this.remember(t.name ?? '', t);
    for (const node of graph.node ?? []) {
      const value = node.opType === 'Constant' && (!node.domain || node.domain === 'ai.onnx') ? (node.attribute ?? []).find((a) => a.name === 'value')?.t : undefined;
      if (value && node.output?.[0]) this.remember(node.output[0], value);
    }
  }

  get names(): FreshNames {
    return this.model.names;
  }

  /** A constant tensor of this graph (an initializer, a Constant node's value, one the raise adds). */
  remember(name: string, t: TensorProto): void {
    this.constants.set(name, t);
    this.declared.set(name, { elemType: t.dataType ?? 0, rank: dimsOf(t).length });
  }

  private find(name: string): Declared | undefined {
    return this.declared.get(name) ?? this.outer?.find(name);
  }

  elemType(name: string): number | undefined {
    return this.find(name)?.elemType;
  }

  rank(name: string): number | undefined {
    return this.find(name)?.rank;
  }

  /** The dims of a constant tensor (an initializer or a Constant node's value), or undefined. */
  constantDims(name: string): number[] | undefined {
    const t = this.constants.get(name);
    return t ? dimsOf(t) : this.outer?.constantDims(name);
  }

  /** The values of a constant float32 tensor (an initializer or a Constant node's value), or undefined. */
  constantFloats(name: string): number[] | undefined {
    const t = this.constants.get(name);
    if (!t) return this.outer?.constantFloats(name);
    return t.dataType === DT.FLOAT && t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL ? [...floatValues(t)] : undefined;
  }
}


