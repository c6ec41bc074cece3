// Parses ONNX Runtime's profiler trace into a per-operator table.
//
// The trace is the JSON file ORT writes when a session is created with `enableProfiling: true`:
// a Chrome-trace array of complete ('X') events, `dur` and `ts` in microseconds
// (onnxruntime/core/common/profiler.cc). Two categories matter here:
//   - cat 'Session', name 'model_run': one per InferenceSession.run(), the inference time;
//   - cat 'Node', name '<node>_kernel_time': one per kernel execution, with args.op_name,
//     args.provider ('CPUExecutionProvider', 'CUDAExecutionProvider', ...), and
//     args.input_type_shape / output_type_shape as [{ "<element type>": [dims] }, ...]
//     (sequential_executor.cc). Node names are those after graph optimisation (fused nodes get
//     names such as 'relu_2_nchwc'), and pre-packed weights do not appear among the inputs.
// Older ORT versions also emit '<node>_fence_before' / '_fence_after' Node events; they carry no
// kernel time and are ignored. Events outside any model_run (session initialisation) are ignored.
import { InferbenchError } from '../errors.js';
import type { NodeProfile, OpProfile, TensorShape } from '../types.js';
import { aggregateByOpType, byTotalDescending } from './op-table.js';







export interface ParseOptions {
  /** Leading model_run events to leave out (the cold first run). Default 0. */
  skipRuns?: number;
}

interface TraceEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args: Record<string, unknown>;
}

const KERNEL_SUFFIX = '_kernel_time';

/** Parses a trace (the file's text or its decoded JSON) into the per-operator profile. */
export function parseOrtProfile(trace: string | unknown, options: ParseOptions = {}): OpProfile {
  const events = traceEvents(typeof trace === 'string' ? decodeJson(trace) : trace);
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const skip = options.skipRuns ?? 0;
  const counted = runs.slice(skip);
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith(KERNEL_SUFFIX));
  const inCounted = runs.length === 0 ? () => true : (e: TraceEvent) => counted.some((r) => e.ts >= r.ts && e.ts <= r.ts + r.dur);
  const nodes = new Map<string, Omit<NodeProfile, 'meanUs' | 'shareOfInference'>>();
  let kernelUs = 0;
  for (const event of kernels) {
    if (!inCounted(event)) continue;
    kernelUs += event.dur;
    const name = event.name.slice(0, -KERNEL_SUFFIX.length);
    const entry = nodes.get(name);
    if (entry) {
      entry.count += 1;
      entry.totalUs += event.dur;
      continue;
    }
    nodes.set(name, {
      node: name,
      opType: stringArg(event.args, 'op_name') ?? 'unknown',
      provider: stringArg(event.args, 'provider') ?? 'unknown',
      count: 1,
      totalUs: event.dur,
      inputs: shapesArg(event.args['input_type_shape']),
      outputs: shapesArg(event.args['output_type_shape']),
    });
  }
  const inferenceUs = runs.length === 0 ? kernelUs : counted.reduce((sum, r) => sum + r.dur, 0);
  const share = (us: number): number => (inferenceUs > 0 ? us / inferenceUs : 0);
  const nodeList: NodeProfile[] = [...nodes.values()]
    .map((n) => ({ ...n, meanUs: n.totalUs / n.count, shareOfInference: share(n.totalUs) }))
    .sort(byTotalDescending);
  return {
    runs: counted.length,
    inferenceUs,
    kernelUs,
    nodes: nodeList,
    byOpType: aggregateByOpType(nodeList, share),
    nodesPerProvider: countProviders(nodeList),
  };
}

function countProviders(nodes: readonly NodeProfile[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of nodes) counts[n.provider] = (counts[n.provider] ?? 0) + 1;
  return counts;
}


function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw notATrace(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The trace is a bare array; Chrome's object form `{ traceEvents: [...] }` is accepted too. */
function traceEvents(json: unknown): TraceEvent[] {
  const list = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json['traceEvents']) ? json['traceEvents'] : null;
  if (list === null) throw notATrace('expected a JSON array of trace events');
  const events: TraceEvent[] = [];
  for (const raw of list as unknown[]) {
    if (!isRecord(raw)) continue;
    const { cat, name, ts, dur, args } = raw;
    if (typeof cat !== 'string' || typeof name !== 'string' || typeof ts !== 'number' || typeof dur !== 'number') continue;
    events.push({ cat, name, ts, dur, args: isRecord(args) ? args : {} });
  }
  return events;
}

function shapesArg(value: unknown): TensorShape[] {
  if (!Array.isArray(value)) return [];
  const shapes: TensorShape[] = [];
  for (const item of value as unknown[]) {
    if (!isRecord(item)) continue;
    for (const [type, dims] of Object.entries(item)) {
      if (Array.isArray(dims)) shapes.push({ type, dims: dims.map(Number) });
    }
  }
  return shapes;
}

function stringArg(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  return typeof value === 'string' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notATrace(why: string): InferbenchError {
  return new InferbenchError('runtime-error', `cannot read the ONNX Runtime profile: ${why}`, 'pass the JSON file written by a session created with enableProfiling (inferbench --op-profile)');
}
