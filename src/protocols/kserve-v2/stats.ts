// The statistics extension (triton-inference-server/server docs/protocol/extension_statistics.md):
// `GET v2/models/{name}/stats` → cumulative `{count, ns}` per step. Two snapshots, subtracted,
// give the server's average queue and compute time per request over the requests between them
// (what perf_analyzer does). Averages only: the extension carries no distribution.
import type { ServerStatsDelta } from '../../model/trial.js';

export interface StatDuration {
  count: number;
  ns: number;
}

export interface V2ModelStats {
  name: string;
  version: string;
  last_inference: number;
  inference_count: number;
  execution_count: number;
  inference_stats: { success: StatDuration; fail: StatDuration; queue: StatDuration; compute_input: StatDuration; compute_infer: StatDuration; compute_output: StatDuration; cache_hit?: StatDuration; cache_miss?: StatDuration };
  batch_stats: { batch_size: number; compute_input: StatDuration; compute_infer: StatDuration; compute_output: StatDuration }[];
}

export type { ServerStatsDelta } from '../../model/trial.js';

const zero = (): StatDuration => ({ count: 0, ns: 0 });

/** An empty stats record for a model, as a server starts it. */
export function emptyModelStats(name: string, version: string): V2ModelStats {
  return {
    name, version, last_inference: 0, inference_count: 0, execution_count: 0,
    inference_stats: { success: zero(), fail: zero(), queue: zero(), compute_input: zero(), compute_infer: zero(), compute_output: zero() },
    batch_stats: [],
  };
}

/** Reads one model's record out of a `/stats` body; null when the body has none (not the extension). */
export function modelStatsOf(body: unknown, name: string): V2ModelStats | null {
  const list = (body as { model_stats?: unknown } | null)?.model_stats;
  if (!Array.isArray(list)) return null;
  const found = list.find((m: { name?: unknown }) => m?.name === name) as V2ModelStats | undefined;
  return found && typeof found.inference_stats === 'object' ? found : null;
}

/** after − before, as averages per successful request. Null when no request completed in between. */
export function statsDelta(before: V2ModelStats, after: V2ModelStats): ServerStatsDelta | null {
  const a = after.inference_stats;
  const b = before.inference_stats;
  const requests = num(a.success.count) - num(b.success.count);
  if (requests <= 0) return null;
  const avgUs = (key: 'queue' | 'compute_input' | 'compute_infer' | 'compute_output'): number => (num(a[key].ns) - num(b[key].ns)) / 1000 / requests;
  return {
    requests,
    failed: num(a.fail.count) - num(b.fail.count),
    executions: num(after.execution_count) - num(before.execution_count),
    queueUs: avgUs('queue'),
    computeInputUs: avgUs('compute_input'),
    computeInferUs: avgUs('compute_infer'),
    computeOutputUs: avgUs('compute_output'),
  };
}

/** Triton sends uint64 counters as JSON numbers, some servers as strings. */
function num(value: unknown): number {
  return typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : 0;
}
