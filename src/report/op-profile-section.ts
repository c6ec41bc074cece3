// The --op-profile tables (model/op-profile.ts OpProfile): the slowest graph nodes and the
// totals per op type, as rows for the console (top N) and Markdown (every kept node).

import type { OpProfile, TensorShape } from '../types.js';
import type { Align } from './analysis-sections.js';
import { formatCompactShape, formatCount, formatPercent, formatUs } from './format.js';

/** Nodes the console shows; Markdown shows every node the profile kept. */
export const CONSOLE_TOP_NODES = 10;

export const NODE_HEADER: readonly string[] = [
  '#',
  'node',
  'op type',
  'provider',
  'count',
  'total',
  'mean',
  'share',
  'shapes',
];

export const NODE_ALIGN: readonly Align[] = ['right', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'];

export const OP_TYPE_HEADER: readonly string[] = ['op type', 'nodes', 'total', 'share'];

/** Compact tensor shapes: "float[1,3,64,64], float[32,3,3,3]". */
export function formatTensorShapes(tensors: readonly TensorShape[]): string {
  return tensors.map((t) => formatCompactShape(t.type, t.dims)).join(', ');
}

/** "CPUExecutionProvider" → "CPU": the table column is narrow; the providers line keeps full names. */
function shortProvider(provider: string): string {
  return provider.endsWith('ExecutionProvider') && provider !== 'ExecutionProvider'
    ? provider.slice(0, -'ExecutionProvider'.length)
    : provider;
}

/** "20 profiled runs, 15.8 ms of inference; kernels 96% of it (the rest is executor overhead)". */
export function opProfileSummary(profile: OpProfile): string {
  const runs = `${formatCount(profile.runs)} profiled ${profile.runs === 1 ? 'run' : 'runs'}`;
  const kernels = profile.inferenceUs > 0 ? formatPercent(profile.kernelUs / profile.inferenceUs) : 'n/a';
  return `${runs}, ${formatUs(profile.inferenceUs)} of inference; kernels ${kernels} of it (the rest is executor overhead)`;
}

/** Rows matching NODE_HEADER, slowest first; `limit` keeps the first N. */
export function nodeRows(profile: OpProfile, limit = Number.POSITIVE_INFINITY): string[][] {
  return profile.nodes
    .slice(0, limit)
    .map((n, index) => [
      formatCount(index + 1),
      n.node,
      n.opType,
      shortProvider(n.provider),
      formatCount(n.count),
      formatUs(n.totalUs),
      formatUs(n.meanUs),
      formatPercent(n.shareOfInference),
      `${formatTensorShapes(n.inputs)} → ${formatTensorShapes(n.outputs)}`,
    ]);
}

/** Rows matching OP_TYPE_HEADER, largest total first. */
export function opTypeRows(profile: OpProfile): string[][] {
  return profile.byOpType.map((t) => [
    t.opType,
    formatCount(t.nodes),
    formatUs(t.totalUs),
    formatPercent(t.shareOfInference),
  ]);
}

/** "showing 10 of 42 nodes" when the console cuts the table; undefined when it shows all. */
export function nodesCutNote(profile: OpProfile, limit: number): string | undefined {
  if (profile.nodes.length <= limit) return undefined;
  return `showing the ${formatCount(limit)} slowest of ${formatCount(profile.nodes.length)} nodes (the Markdown report lists them all)`;
}
