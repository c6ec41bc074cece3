// The --serve arithmetic against hand-computed answers: percentiles of the whole request side by
// side, mean segments that add up to the served mean (transport is the rest), the open-loop base
// without the in-process queue, and the rows of served trials that did not run.
import { describe, expect, test } from 'vitest';
import { servedRow, servedSegments } from '../../src/analyze/serving-overhead.js';
import type { StageStats, TrialOk, TrialResult } from '../../src/types.js';

const stage = (meanMs: number, p50Ms = meanMs, p99Ms = meanMs * 2): StageStats => ({ meanMs, p50Ms, p99Ms }) as StageStats;

function trial(id: string, stages: Record<string, StageStats>, extra: Partial<TrialOk> = {}): TrialOk {
  return { status: 'ok', spec: { id, precision: 'fp32', batch: 1 }, stages, ...extra } as unknown as TrialOk;
}

const local = trial('cpu fp32 batch=1', { total: stage(1.0, 0.9, 2.0) });
const served = trial('kserve-json cpu fp32 batch=1', { preprocess: stage(3.0, 2.8, 5.0), inference: stage(5.5, 5.0, 9.0), postprocess: stage(0.5, 0.4, 1.0), total: stage(9.1, 8.5, 14.0) }, {
  endpoint: { protocol: 'kserve-v2', url: 'http://127.0.0.1:1/v2/models/m', encoding: 'json', server: { requests: 100, failed: 0, executions: 100, queueUs: 200, computeInputUs: 0, computeInferUs: 900, computeOutputUs: 100 } },
});

describe('servedRow', () => {
  test('p50 and p99: the whole request in process and served, what serving adds, the client stages', () => {
    const row = servedRow('kserve-json', local, served);
    expect(row).toMatchObject({ protocol: 'kserve-json', label: 'KServe REST, JSON', loop: 'closed', inProcessTrialId: 'cpu fp32 batch=1', servedTrialId: 'kserve-json cpu fp32 batch=1' });
    expect(row.p50).toEqual({ inProcessMs: 0.9, servedMs: 8.5, overheadMs: 7.6, serializeMs: 2.8, requestMs: 5.0, deserializeMs: 0.4 });
    expect(row.p99!.overheadMs).toBe(12);
    expect(row.server).toEqual({ requests: 100, queueMs: 0.2, computeMs: 1.0 });
  });

  test('the mean segments add up to the served mean: transport = 9.1 − 1.0 − 3.0 − 0.2 − 0.5', () => {
    expect(servedSegments(local, served)).toEqual({ inferenceMs: 1.0, serializeMs: 3.0, transportMs: 4.4, queueMs: 0.2, deserializeMs: 0.5 });
  });

  test('without server statistics (TF Serving) the queue is null and counts in transport', () => {
    const bare = { ...served, endpoint: { protocol: 'tfserving', url: 'http://h/v1/models/m', encoding: 'row' } } as TrialOk;
    expect(servedSegments(local, bare)).toMatchObject({ queueMs: null, transportMs: 4.6 });
    expect(servedRow('tfserving-rows', local, bare).server).toBeNull();
  });

  test('open loop: the base leaves out the in-process queue, and the row carries the rate', () => {
    const open = trial('cpu fp32 batch=1 rate=200/s', { total: stage(1.5), queue: stage(0.4) }, { spec: { id: 'cpu fp32 batch=1 rate=200/s', precision: 'fp32', batch: 1, service: { rate: 200 } } as never });
    const row = servedRow('kserve-grpc', open, served);
    expect(row).toMatchObject({ loop: 'open', rate: 200 });
    expect(row.segments!.inferenceMs).toBe(1.1);
  });

  test('a served trial that failed, was skipped or never ran: the row says why and has no figures', () => {
    const failed = { status: 'failed', spec: { id: 'x' }, phase: 'measure', error: { code: 'runtime-error', message: 'the server closed the connection' } } as unknown as TrialResult;
    expect(servedRow('kserve-json', local, failed)).toMatchObject({ error: 'failed in measure: the server closed the connection', servedTrialId: 'x' });
    expect(servedRow('kserve-json', local, failed).segments).toBeUndefined();
    expect(servedRow('kserve-json', local, { status: 'skipped', spec: { id: 'y' }, reason: 'fp16' } as unknown as TrialResult).error).toBe('skipped: fp16');
    expect(servedRow('kserve-json', local, null)).toMatchObject({ servedTrialId: null, error: 'not measured (the run stopped first)' });
  });
});
