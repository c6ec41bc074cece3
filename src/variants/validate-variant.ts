// A generated variant is checked before anything uses it (inferbench issue 21): structurally, by
// the rules of onnx.checker that a converter can break, and by loading it in onnxruntime. One that
// fails is a bug in a converter: it is declined (the precision reported as skipped with the
// message), never cached and never measured. The structural rules: check-structure.ts (SSA,
// inputs defined before use, IR-v3 initializers, Cast's `to`), and here, that each default-domain
// node's operator is defined at the model's opset (opset-table.ts; not checked above the newest
// opset the table knows) — a raise that left an Upsample behind at 11 is caught here by name.
import { onnxLoadProblem } from '../adapters/onnx-load-check.js';
import { checkStructure } from './check-structure.js';
import { VariantDeclined } from './declined.js';
import { decodeModel, type Graph, type Model } from './onnx-graph.js';
import { defaultOpsetOf } from './opset-upgrade.js';
import { subgraphs } from './opset-facts.js';
import { DEPRECATED_AT, NEWEST_KNOWN_OPSET, SINCE_VERSIONS } from './opset-table.js';

/** Default-domain nodes whose operator the model's opset does not define. */
export function operatorProblems(model: Model): string[] {
  const opset = defaultOpsetOf(model);
  if (opset === 0 || opset > NEWEST_KNOWN_OPSET || !model.graph) return [];
  const problems: string[] = [];
  const walk = (graph: Graph): void => {
    for (const node of graph.node ?? []) {
      const op = node.opType ?? '';
      const defined = (SINCE_VERSIONS[op] ?? []).some((v) => v <= opset) && !((DEPRECATED_AT[op] ?? Infinity) <= opset);
      if ((!node.domain || node.domain === 'ai.onnx') && !defined) problems.push(`node '${node.name || node.output?.[0] || ''}' (${op}): ${op} is not an operator of opset ${opset}`);
      for (const sub of subgraphs(node)) walk(sub);
    }
  };
  walk(model.graph);
  return problems;
}

/** The structural problems of a model: check-structure.ts's and operatorProblems'. */
export function structuralProblems(model: Model): string[] {
  return [...checkStructure(model), ...operatorProblems(model)];
}

/**
 * Declines `bytes` (a variant just generated) unless it is structurally valid and onnxruntime
 * loads it; the reason carries the first problem, and says it is inferbench's bug to report.
 */
export async function assertValidVariant(bytes: Uint8Array, precision: string): Promise<void> {
  const problem = structuralProblems(decodeModel(bytes))[0] ?? (await onnxLoadProblem(bytes));
  if (problem === null) return;
  throw new VariantDeclined(`${precision}: conversion produced an invalid model (${problem}): a bug in inferbench's ${precision} converter — please report it (docs/precision-variants.md, "Reporting an invalid variant")`);
}
