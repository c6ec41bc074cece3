// What serving adds, per protocol: an in-process trial against the same configuration served by
// `inferbench serve` (profile MODEL --serve). Pure arithmetic on the two trials' stage statistics
// and the server's statistics extension:
//   - at p50 and p99: the served total against the in-process total (percentiles of the whole
//     request; the client stages' own percentiles beside them, which do not add up);
//   - the stacked picture, from means because means add up: in-process inference (the base),
//     serialize, transport (the rest), the server's queue (an average from its statistics),
//     deserialize. Their sum is the served mean total.
import type { ServedPercentile, ServedProtocol, ServedRow, ServedSegments } from '../model/serving-overhead.js';
import type { TrialOk, TrialResult } from '../model/trial.js';

export const PROTOCOL_LABELS: Record<ServedProtocol, string> = {
  'kserve-json': 'KServe REST, JSON',
  'kserve-binary': 'KServe REST, binary',
  'kserve-grpc': 'KServe gRPC, raw',
  'tfserving-rows': 'TF Serving REST, rows',
};

/** To the microsecond, as the stage statistics are: the report, its tables and its chart show the same number. */
const us = (ms: number): number => Math.round(ms * 1000) / 1000;

function at(local: TrialOk, served: TrialOk, key: 'p50Ms' | 'p99Ms'): ServedPercentile {
  const inProcessMs = local.stages.total[key];
  const servedMs = served.stages.total[key];
  return {
    inProcessMs,
    servedMs,
    overheadMs: us(servedMs - inProcessMs),
    serializeMs: served.stages.preprocess[key],
    requestMs: served.stages.inference[key],
    deserializeMs: served.stages.postprocess[key],
  };
}

/** The stacked bar: means, which add up to the served mean total (transport is the rest). */
export function servedSegments(local: TrialOk, served: TrialOk): ServedSegments {
  const stats = served.endpoint?.server;
  const queueMs = stats ? stats.queueUs / 1000 : null;
  // Open loop: the in-process queue is left out of the base (the server's is its own segment).
  const inferenceMs = local.stages.total.meanMs - (local.stages.queue?.meanMs ?? 0);
  const serializeMs = served.stages.preprocess.meanMs;
  const deserializeMs = served.stages.postprocess.meanMs;
  return {
    inferenceMs: us(inferenceMs),
    serializeMs: us(serializeMs),
    transportMs: us(served.stages.total.meanMs - inferenceMs - serializeMs - (queueMs ?? 0) - deserializeMs),
    queueMs: queueMs === null ? null : us(queueMs),
    deserializeMs: us(deserializeMs),
  };
}

/** One row: a served trial against its in-process trial; a served trial that did not run says why. */
export function servedRow(protocol: ServedProtocol, local: TrialOk, served: TrialResult | null): ServedRow {
  const row: ServedRow = {
    protocol, label: PROTOCOL_LABELS[protocol], loop: local.spec.service ? 'open' : 'closed', ...(local.spec.service && { rate: local.spec.service.rate }),
    inProcessTrialId: local.spec.id, servedTrialId: served?.spec.id ?? null,
  };
  if (served === null) return { ...row, error: 'not measured (the run stopped first)' };
  if (served.status === 'failed') return { ...row, error: `failed in ${served.phase}: ${served.error.message}` };
  if (served.status === 'skipped') return { ...row, error: `skipped: ${served.reason}` };
  const stats = served.endpoint?.server;
  return {
    ...row,
    p50: at(local, served, 'p50Ms'),
    p99: at(local, served, 'p99Ms'),
    servedMeanMs: us(served.stages.total.meanMs),
    segments: servedSegments(local, served),
    server: stats ? { requests: stats.requests, queueMs: us(stats.queueUs / 1000), computeMs: us((stats.computeInputUs + stats.computeInferUs + stats.computeOutputUs) / 1000) } : null,
  };
}
