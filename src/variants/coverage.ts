// What a precision conversion really changed, so that no report calls an unchanged model int8
// (issue 16): per op type, how many nodes were converted out of how many were eligible; the
// weight bytes before and after; and the share of the compute ops' weights that were converted.
//
// "Share of the compute ops' weights" is counted in weight elements of MatMul / Gemm / Conv nodes
// whose weight is a constant. It stands in for "share of the FLOPs": per inference a MatMul's
// multiply-adds are its weight elements × its rows and a Conv's are its weight elements × its
// output positions, so the two agree when the layers see the same number of rows (a transformer's
// linear layers) and differ for CNNs whose early layers run at higher resolution. Shapes are not
// known without running the model; the proxy is named as such in the report and the docs.
import { allGraphs, DT, dimsOf, type Graph, type NodeProto, type TensorProto } from './onnx-graph.js';

import type { VariantCoverage } from '../types.js';

export type { VariantCoverage };
export type OpCoverage = VariantCoverage['ops'][number];

/** Below this share of the compute weights converted, a trial carries a `partial-conversion` warning. */
export const PARTIAL_COVERAGE_SHARE = 0.5;

export const COMPUTE_OPS: ReadonlySet<string> = new Set(['MatMul', 'Gemm', 'Conv']);

const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  [DT.FLOAT]: 4, [DT.UINT8]: 1, [DT.INT8]: 1, [DT.UINT16]: 2, [DT.INT16]: 2, [DT.INT32]: 4, [DT.INT64]: 8,
  [DT.BOOL]: 1, [DT.FLOAT16]: 2, [DT.DOUBLE]: 8, [DT.UINT32]: 4, [DT.UINT64]: 8, [DT.BFLOAT16]: 2,
};

export function tensorByteSize(t: TensorProto): number {
  return dimsOf(t).reduce((a, b) => a * b, 1) * (ELEMENT_BYTES[t.dataType ?? 0] ?? 0);
}

/** Bytes of every initializer and every Constant node's tensor, in the graph and its subgraphs. */
export function weightBytesOf(graph: Graph): number {
  let total = 0;
  for (const t of allGraphs(graph).flatMap((g) => g.initializer ?? [])) total += tensorByteSize(t);
  for (const node of allGraphs(graph).flatMap((g) => g.node ?? [])) {
    if (node.opType !== 'Constant') continue;
    for (const a of node.attribute ?? []) {
      if (a.t) total += tensorByteSize(a.t);
      else if (a.floats?.length) total += 4 * a.floats.length;
      else if (a.name === 'value_float') total += 4;
    }
  }
  return total;
}

/** Tallies a converter's decisions node by node. */
export class CoverageCounter {
  private readonly ops = new Map<string, OpCoverage>();
  private weightElements = 0;
  private convertedElements = 0;

  /** A node the converter considered; `weight` is its constant weight when it has one. */
  eligible(node: NodeProto, weight?: TensorProto): void {
    const op = node.opType ?? '';
    const entry = this.ops.get(op) ?? { opType: op, eligible: 0, converted: 0 };
    entry.eligible += 1;
    this.ops.set(op, entry);
    if (weight && COMPUTE_OPS.has(op)) this.weightElements += dimsOf(weight).reduce((a, b) => a * b, 1);
  }

  /** The node was converted (call after `eligible`). */
  converted(node: NodeProto, weight?: TensorProto): void {
    const entry = this.ops.get(node.opType ?? '');
    if (entry) entry.converted += 1;
    if (weight && COMPUTE_OPS.has(node.opType ?? '')) this.convertedElements += dimsOf(weight).reduce((a, b) => a * b, 1);
  }

  result(before: number, after: Graph, foldedConstants: number): VariantCoverage {
    return {
      ops: [...this.ops.values()].sort((a, b) => b.eligible - a.eligible || a.opType.localeCompare(b.opType)),
      weightBytes: { before, after: weightBytesOf(after) },
      computeWeightShare: this.weightElements === 0 ? null : this.convertedElements / this.weightElements,
      foldedConstants,
    };
  }
}

export const convertedNodes = (c: VariantCoverage): number => c.ops.reduce((n, o) => n + o.converted, 0);
export const eligibleNodes = (c: VariantCoverage): number => c.ops.reduce((n, o) => n + o.eligible, 0);

/** "38 Conv, 13 MatMul": the eligible nodes, for a skip reason. */
export function describeEligible(c: VariantCoverage): string {
  const parts = c.ops.filter((o) => o.eligible > 0).map((o) => `${o.eligible} ${o.opType}`);
  return parts.length === 0 ? 'no node of a type it converts' : parts.join(', ');
}
