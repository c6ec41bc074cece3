// Structural rules of onnx.checker that a rewritten model can break, checked without Python:
// - every domain a node uses has an opset import (the default domain '' / 'ai.onnx' included);
// - every value name is defined once across the model and its subgraphs (SSA; a subgraph may not
//   redefine an outer name);
// - every node input is defined before the node, in its graph or an enclosing one (outer-scope
//   references from If / Loop / Scan bodies), and every graph output is defined;
// - below IR version 4 every initializer is also listed in its graph's inputs (IR v3 requires it;
//   onnx checker.cc check_graph);
// - Cast's `to` has the attribute type of its opset: a string before Cast-6, an int from it on.
// onnx.checker does more (type and shape inference, attribute schemas); the variants are also
// loaded by ONNX Runtime, which checks those.
import { attr, AT, defaultOpset, graphOf, subgraphsOf, toNumber, type Graph, type Model } from './onnx-graph.js';

/** The problems found, one line each; empty when the model passes. */
export function checkStructure(model: Model): string[] {
  const problems: string[] = [];
  const graph = graphOf(model);
  const imported = new Set((model.opsetImport ?? []).map((o) => (o.domain === 'ai.onnx' ? '' : o.domain ?? '')));
  const irVersion = toNumber(model.irVersion);
  const defined = new Set<string>();
  const define = (name: string, where: string): void => {
    if (defined.has(name)) problems.push(`'${name}' is defined more than once (${where})`);
    defined.add(name);
  };
  const walk = (g: Graph, outer: ReadonlySet<string>, path: string): void => {
    const visible = new Set(outer);
    const inputs = new Set((g.input ?? []).map((v) => v.name ?? ''));
    for (const name of inputs) {
      define(name, `input of ${path}`);
      visible.add(name);
    }
    for (const t of g.initializer ?? []) {
      const name = t.name ?? '';
      if (!inputs.has(name)) {
        define(name, `initializer of ${path}`);
        if (irVersion < 4) problems.push(`IR version ${irVersion}: initializer '${name}' of ${path} is not listed as a graph input`);
      }
      visible.add(name);
    }
    for (const node of g.node ?? []) {
      const label = `node '${node.name || node.opType || ''}' (${node.opType ?? ''}) in ${path}`;
      const domain = node.domain === 'ai.onnx' ? '' : node.domain ?? '';
      if (!imported.has(domain)) problems.push(`${label} uses domain '${domain || 'ai.onnx'}', which the model does not import`);
      for (const name of node.input ?? []) if (name && !visible.has(name)) problems.push(`${label} reads '${name}', which nothing defines before it`);
      for (const sub of subgraphsOf(node)) walk(sub, visible, `subgraph '${sub.name ?? ''}' of ${label}`);
      if (node.opType === 'Cast' && domain === '') checkCast(node.attribute ? attr(node, 'to') : undefined, defaultOpset(model), label, problems);
      for (const name of node.output ?? []) {
        if (!name) continue;
        define(name, `output of ${label}`);
        visible.add(name);
      }
    }
    for (const v of g.output ?? []) if (!visible.has(v.name ?? '')) problems.push(`output '${v.name ?? ''}' of ${path} is not defined`);
  };
  walk(graph, new Set(), 'the main graph');
  return problems;
}

function checkCast(to: ReturnType<typeof attr>, opset: number, label: string, problems: string[]): void {
  if (!to) {
    problems.push(`${label} has no 'to' attribute`);
    return;
  }
  // The field that holds a value tells its type (old exporters leave AttributeProto.type unset).
  const isString = to.type === AT.STRING || (to.s?.length ?? 0) > 0;
  if (isString !== opset < 6) problems.push(`${label}: Cast at opset ${opset} takes 'to' as ${opset < 6 ? 'a string' : 'an int'}`);
}
