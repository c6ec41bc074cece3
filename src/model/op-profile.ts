// The per-operator profile of one trial (built by the adapters from their runtime's profiler).

/** Microseconds, as the trace records them. */
export type TraceMicros = number;

/** One tensor as the profiler recorded it. `type` is ORT's element type name ('float', 'int64'). */
export interface TensorShape {
  type: string;
  dims: number[];
}

/** One graph node (after optimisation) across the counted runs. */
export interface NodeProfile {
  node: string;
  opType: string;
  /** Execution provider that ran the node, e.g. 'CPUExecutionProvider'. */
  provider: string;
  /** Kernel executions counted (runs × executions per run). */
  count: number;
  totalUs: TraceMicros;
  meanUs: TraceMicros;
  /** totalUs / the profile's inferenceUs (0..1, can exceed 1 with inter-op parallelism). */
  shareOfInference: number;
  /** Shapes from the first counted execution. */
  inputs: TensorShape[];
  outputs: TensorShape[];
}

/** All nodes of one op type. */
export interface OpTypeProfile {
  opType: string;
  nodes: number;
  count: number;
  totalUs: TraceMicros;
  /** Mean per kernel execution. */
  meanUs: TraceMicros;
  shareOfInference: number;
}

export interface OpProfile {
  /** model_run events counted (after `skipRuns`). 0 when the trace holds no model_run. */
  runs: number;
  /** Sum of the counted model_run durations; the kernel sum when there are no model_run events. */
  inferenceUs: TraceMicros;
  /** Sum of all counted kernel times. inferenceUs − kernelUs is the executor's own overhead. */
  kernelUs: TraceMicros;
  /** Nodes sorted by totalUs, largest first. */
  nodes: NodeProfile[];
  /** Op types sorted by totalUs, largest first. */
  byOpType: OpTypeProfile[];
  /** Distinct nodes per execution provider: proves which EP really ran the graph. */
  nodesPerProvider: Record<string, number>;
}
