// Raising a model's default-domain opset, correctly or not at all. The int8 converters write
// operators that need a newer opset than many models import (DynamicQuantizeLinear: 11; a
// per-axis DequantizeLinear: 13); changing the version number alone leaves every operator whose
// definition changed in between invalid or, worse, meaning something else (inferbench issue 21:
// a Paddle2ONNX opset-9 model's `Clip` with min/max attributes no longer loaded at 11).
//
// So every node is carried through each version between the model's and the target at which its
// operator's definition changed (opset-table.ts, from onnx's schemas), as onnx's version converter
// does (onnx/version_converter/convert.h and adapters/*.h):
// - a step onnx registers as CompatibleAdapter keeps the node as it is;
// - a step with an adapter here converts it (attributes that became inputs, renamed operators,
//   Softmax's new axis meaning at 13); opset-adapters.ts lists them with the adapter each follows;
// - any other step — an operator removed without a successor (Scan-8's batch axis), an operator
//   onnx does not know (the experimental ImageScaler), an attribute value with no equivalent —
//   declines the variant with a reason that names the operator.
// Nodes whose operator did not exist at the model's opset are the converters' own (written for
// the target) and stay as they are. New tensors are Constant nodes placed before their reader,
// in the same graph, so the IR version's rules about initializers are not touched. Subgraphs
// (If / Loop / Scan bodies) are converted too: the opset import is the model's.
import type { VariantCoverage } from '../types.js';
import { VariantDeclined } from './declined.js';
import { toNumber, type Model, type NodeProto } from './onnx-graph.js';
import { CONVERSIONS, MEANING_CHANGED } from './opset-adapters.js';
import { ModelFacts, type GraphFacts } from './opset-facts.js';
import { COMPATIBLE_STEPS, DEPRECATED_AT, SINCE_VERSIONS } from './opset-table.js';

/** The oldest opset this module raises from: before 6, most operators had `consumed_inputs`. */
export const OLDEST_RAISED_OPSET = 6;

/** What a raise did: per operator and step, how many nodes it converted. */
export interface OpsetRaise {
  from: number;
  to: number;
  /** e.g. { opType: 'Clip', nodes: 3, change: 'min/max attributes → inputs (Clip-11)' }. */
  converted: { opType: string; nodes: number; change: string }[];
}

/** The coverage with the raise added, when there was one. */
export function withOpsetRaise(coverage: VariantCoverage, raise: OpsetRaise | null): VariantCoverage {
  return raise ? { ...coverage, opsetRaise: raise } : coverage;
}

/** The model's default-domain opset, 0 when it imports none. */
export function defaultOpsetOf(model: Model): number {
  const main = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return main ? toNumber(main.version as number) : 0;
}

/**
 * Raises the model's default-domain opset to `target` (in place) when it is lower, converting
 * every node that needs it; null when nothing had to change. `what` names the variant in a
 * refusal ("int8"). Throws VariantDeclined naming the first operator it cannot raise.
 */
export function raiseDefaultOpset(model: Model, target: number, what: string): OpsetRaise | null {
  const main = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!main) throw new VariantDeclined(`${what}: the model imports no default-domain opset to raise to ${target}`);
  const from = toNumber(main.version as number);
  if (from >= target) return null;
  if (from < OLDEST_RAISED_OPSET) throw new VariantDeclined(`${what}: the model's opset ${from} would have to be raised to ${target}, and inferbench raises opsets from ${OLDEST_RAISED_OPSET} up`);
  const tally = new Map<string, { opType: string; nodes: number; change: string }>();
  const facts = new ModelFacts(model);
  for (const graph of facts.graphs) {
    const nodes: NodeProto[] = [];
    for (const node of graph.node ?? []) nodes.push(...raiseNode(node, from, target, facts.scope(graph), what, tally));
    graph.node = nodes;
  }
  main.version = target;
  return { from, to: target, converted: [...tally.values()] };
}

/** The node and what its conversion put around it. */
function raiseNode(node: NodeProto, from: number, target: number, facts: GraphFacts, what: string, tally: Map<string, { opType: string; nodes: number; change: string }>): NodeProto[] {
  if (node.domain && node.domain !== 'ai.onnx') return [node];
  const original = node.opType ?? '';
  const since = SINCE_VERSIONS[original];
  const refuse = (why: string): never => {
    throw new VariantDeclined(`${what}: ${original} at opset ${from} cannot be raised to ${target} (${why})`);
  };
  if (!since) return refuse('not an operator of the ONNX default domain that inferbench knows');
  // An operator that did not exist at `from` was written for the target (the converter's own).
  if (!since.some((v) => v <= from)) return [node];
  const before: NodeProto[] = [];
  const after: NodeProto[] = [];
  for (let version = from + 1; version <= target; version++) {
    const op = node.opType ?? '';
    const changed = DEPRECATED_AT[op] === version || (SINCE_VERSIONS[op] ?? []).includes(version);
    if (!changed) continue;
    const convert = CONVERSIONS[`${op}-${version}`];
    if (!convert) {
      if (COMPATIBLE_STEPS[op]?.includes(version) && !MEANING_CHANGED.has(`${op}-${version}`)) continue;
      refuse(DEPRECATED_AT[op] === version ? `${op} was removed at opset ${version} and has no successor inferbench converts to` : `${op}-${version} changed in a way inferbench does not convert`);
    }
    const result = convert!(node, facts);
    if ('refuse' in result) return refuse(result.refuse);
    before.push(...(result.before ?? []));
    after.unshift(...(result.after ?? []));
    const key = `${original}\u0000${result.change}`;
    const entry = tally.get(key) ?? { opType: original, nodes: 0, change: result.change };
    entry.nodes += 1;
    tally.set(key, entry);
  }
  return [...before, node, ...after];
}
