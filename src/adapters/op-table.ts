// Per-operator tables shared by the ONNX Runtime trace parser (ort-trace.ts) and the TensorFlow.js
// profiler (tf-op-profile.ts).
import type { NodeProfile, OpTypeProfile } from '../types.js';

/** Per-op-type totals of a node list (shared by the ONNX and TensorFlow.js profiles). */
export function aggregateByOpType(nodes: readonly NodeProfile[], share: (us: number) => number): OpTypeProfile[] {
  const types = new Map<string, { nodes: number; count: number; totalUs: number }>();
  for (const n of nodes) {
    const t = types.get(n.opType) ?? { nodes: 0, count: 0, totalUs: 0 };
    t.nodes += 1;
    t.count += n.count;
    t.totalUs += n.totalUs;
    types.set(n.opType, t);
  }
  return [...types.entries()]
    .map(([opType, t]) => ({ opType, ...t, meanUs: t.totalUs / t.count, shareOfInference: share(t.totalUs) }))
    .sort(byTotalDescending);
}

export function byTotalDescending(a: { totalUs: number }, b: { totalUs: number }): number {
  return b.totalUs - a.totalUs;
}
