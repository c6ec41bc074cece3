// A split load (--rate R --shard I/N against one server) merged from its shards' reports, built
// from known samples: rates add (concurrent streams), counts and histograms add, the duration is
// the span; a missing shard, shards that did not overlap and an overloaded shard are said, not
// refused; different splits, a split mixed with a whole-load run, and a shard twice are handled.
import { describe, expect, test } from 'vitest';
import { mergeStageStats } from '../../src/measure/merge-stats.js';
import { loadShare, loadSplitInfo, shardSeed, type LoadSplit } from '../../src/merge/load-split.js';
import { mergeModelReports, type MergeInput } from '../../src/merge/merge-reports.js';
import { shardInfo } from '../../src/merge/shard.js';
import { planSweep } from '../../src/sweep/plan.js';
import { scaleOutLines } from '../../src/report/scale-out-facts.js';
import type { Report, ServiceSection, ServingSettings, StageStats, TrialOk, TrialSpec } from '../../src/types.js';
import { error } from '../helpers/errors.js';
import { okTrial, sampleReport } from '../helpers/sample-report.js';
import { samples, statsOf } from './reports.js';

const URL = 'http://127.0.0.1:8000/v2/models/mlp';
const RATES = [150, 300];
const SEED = 42;
const SECONDS = 4;
const SETTINGS: Omit<ServingSettings, 'rate'> = { arrivals: 'poisson', seed: SEED, maxBatch: 1, maxDelayMs: 0, batching: 'triton', instances: 1, queueLimit: null };
const SPECS = planSweep({ model: URL, interThreads: null, graphOptimization: 'all' }, { devices: ['cpu'], precisions: ['fp32'], threads: [null], batches: [null], service: { rates: RATES, settings: SETTINGS } });
const STAGES = ['preprocess', 'inference', 'postprocess', 'total', 'queue', 'batch', 'crossing', 'uncorrected', 'lag'] as const;

interface ShardOptions {
  /** Seconds after 10:00:00 the shard's probes start. */
  startS?: number;
  overloaded?: boolean;
  totalRates?: number[];
  /** Only the first k trials (an interrupted shard). */
  trials?: number;
  /** The client pool of a URL target: this many requests waited for a connection. */
  waited?: number;
}

function section(spec: TrialSpec, split: LoadSplit, requests: number, o: ShardOptions): ServiceSection {
  const rate = spec.service!.rate / split.count;
  const start = new Date(Date.UTC(2026, 11, 4, 10, 0, o.startS ?? 0));
  const end = new Date(start.getTime() + SECONDS * 1000);
  return {
    settings: { ...spec.service!, rate, seed: split.seed },
    itemsPerRequest: 1,
    threadsPerInstance: 1,
    offeredRate: rate,
    sentRate: rate * 0.99,
    achievedRate: rate * 0.98,
    requests: { scheduled: requests, sent: requests, completed: requests, dropped: 0, unfinished: 0 },
    meanBatchSize: 1,
    batches: requests,
    inferenceByBatchSize: [{ batchSize: 1, batches: requests, inference: statsOf(samples(900, requests, split.index)) }],
    serviceTime: { meanMs: 1, secondMomentMs2: 1.1, stats: statsOf(samples(1000, requests, split.index + 10)) },
    utilisation: 0.3,
    queue: { maxDepth: 3 * split.index, endDepth: split.index, slopePerSec: 0.5, samples: SECONDS * 100 },
    overload: o.overloaded ? { verdict: 'overloaded', evidence: [{ metric: 'queue slope', value: 40, unit: 'requests/s', threshold: 1 }], endedEarly: true } : { verdict: 'stable', evidence: [], endedEarly: false },
    generator: { verdict: 'ok', lateShare: 0, lagP99Ms: 0.05, eventLoopDelayP99Ms: 1, evidence: [] },
    durationMs: SECONDS * 1000,
    split: loadShare(split, spec.service!.rate, start, end),
    ...(o.waited !== undefined && {
      client: { connections: 8, body: 'prepared', serializeMs: 0.1 * split.index, unloadedRequestMs: 1 + split.index, waited: { requests: o.waited, share: o.waited / requests, p99Ms: o.waited > 0 ? 5 : 0.2 }, neededConnections: 1.5, verdict: o.waited / requests > 0.01 ? 'pool-limited' : 'ok' },
    }),
  };
}

function trialOf(spec: TrialSpec, split: LoadSplit, o: ShardOptions): TrialOk {
  const requests = Math.round((spec.service!.rate / split.count) * SECONDS);
  const seed = 100 * split.index + spec.service!.rate;
  const stages = Object.fromEntries(STAGES.map((name, k) => [name, statsOf(samples(200 * (k + 1), requests, seed + k))]));
  const service = section(spec, split, requests, o);
  const base = okTrial();
  return {
    ...base,
    spec,
    stages: stages as TrialOk['stages'],
    service,
    measure: { ...base.measure, iterations: requests, durationMs: SECONDS * 1000 },
    throughput: { inferencesPerSec: service.achievedRate, itemsPerSec: service.achievedRate },
    warnings: o.overloaded ? [{ code: 'overloaded', message: 'overloaded: shard-level' }] : [],
  };
}

function splitShard(index: number, count: number, o: ShardOptions = {}): Report {
  const split: LoadSplit = { index, count, baseSeed: SEED, seed: shardSeed(SEED, index, count) };
  const start = `2026-12-04T10:00:${String(o.startS ?? 0).padStart(2, '0')}.000Z`;
  const report = sampleReport({ model: { ...sampleReport().model, path: URL }, options: { seed: SEED, service: { rates: RATES, auto: false, settings: SETTINGS } } });
  return {
    ...report,
    command: { argv: ['inferbench', 'profile', URL, '--rate', RATES.join(','), '--shard', `${index}/${count}`] },
    startedAt: start,
    finishedAt: start.replace(/:\d\d\.000Z$/, ':59.000Z'),
    trials: SPECS.slice(0, o.trials ?? SPECS.length).map((spec) => trialOf(spec, split, o)),
    shard: { ...shardInfo({ index, count }, SPECS), split: loadSplitInfo(split, o.totalRates ?? RATES) },
    ...(o.trials !== undefined && { interrupted: true }),
  };
}

const inputs = (reports: Report[]): MergeInput[] => reports.map((report, i) => ({ report, source: `s${i + 1}.json` }));
const stagesOf = (t: TrialOk): Record<string, StageStats> => t.stages as unknown as Record<string, StageStats>;

describe('a split load merged', () => {
  test('3 shards: rates add, counts add, every stage histogram adds, the duration is the span', () => {
    const shards = [splitShard(1, 3), splitShard(2, 3, { startS: 1 }), splitShard(3, 3, { startS: 2 })];
    const { report, warnings } = mergeModelReports(inputs(shards));
    expect(warnings).toEqual([]);
    expect(report.interrupted).toBeUndefined();
    expect(report.trials.map((t) => t.spec.id)).toEqual(SPECS.map((s) => s.id));
    report.trials.forEach((merged, j) => {
      const t = merged as TrialOk;
      const parts = shards.map((s) => s.trials[j] as TrialOk);
      const R = RATES[j]!;
      expect(t.service!.offeredRate).toBeCloseTo(R, 9);
      expect(t.service!.sentRate).toBeCloseTo(R * 0.99, 9);
      expect(t.service!.achievedRate).toBeCloseTo(R * 0.98, 9);
      expect(t.throughput.inferencesPerSec).toBeCloseTo(R * 0.98, 9);
      expect(t.service!.requests.completed).toBe(parts.reduce((n, p) => n + p.service!.requests.completed, 0));
      expect(t.measure.iterations).toBe(t.service!.requests.completed);
      for (const name of STAGES) expect(stagesOf(t)[name]).toEqual(mergeStageStats(parts.map((p) => stagesOf(p)[name]!)));
      expect(t.stages.total.count).toBe(t.service!.requests.completed);
      // 10:00:00 → 10:00:06 (the last shard started at :02 and ran 4 s): the span, not 12 s of summed time.
      expect(t.service!.durationMs).toBe(6000);
      expect(t.measure.durationMs).toBe(6000);
      expect(t.service!.settings.rate).toBeCloseTo(R, 9);
      expect(t.service!.settings.seed).toBe(SEED);
      expect(t.service!.split).toEqual({
        totalRate: R, count: 3, shards: ['1/3', '2/3', '3/3'], seeds: [1, 2, 3].map((i) => shardSeed(SEED, i, 3)), rate: R,
        startedAt: '2026-12-04T10:00:00.000Z', finishedAt: '2026-12-04T10:00:06.000Z', concurrent: true,
      });
      expect(t.service!.queue).toEqual({ maxDepth: 18, endDepth: 6, slopePerSec: 1.5, samples: 1200 });
      expect(t.parts?.map((p) => [p.source, p.shard])).toEqual([['s1.json', '1/3'], ['s2.json', '2/3'], ['s3.json', '3/3']]);
      expect(t.warnings.map((w) => w.code)).not.toContain('partial-load');
    });
    expect(scaleOutLines(report)).toContain('Split load over 3 shards sent at once to one server: each trial\'s rates are the shards\' sum, its duration the span of their intervals.');
  });

  test('a shard\'s own report says what it offered', () => {
    expect(scaleOutLines(splitShard(2, 3))[0]).toBe(`Shard 2/3 of a split load: every trial at 1/3 of its rate (50/s, 100/s of 150/s, 300/s), arrival seed ${shardSeed(SEED, 2, 3)} (from --seed 42); inferbench merge adds the 3 shards' rates.`);
  });

  test('a missing shard: merged, marked incomplete, and each trial says it was offered 2/3 of R', () => {
    const { report } = mergeModelReports(inputs([splitShard(1, 3), splitShard(3, 3)]));
    expect(report.interrupted).toBe(true);
    expect(report.merge?.incomplete).toEqual({ missing: SPECS.map((s) => s.id), shards: ['2/3 (no report)'] });
    const t = report.trials[1] as TrialOk;
    expect(t.service!.offeredRate).toBeCloseTo(200, 9);
    expect(t.service!.split?.rate).toBe(200);
    expect(t.warnings.find((w) => w.code === 'partial-load')?.message).toBe('2 of 3 shards measured this trial (missing: shard 2/3): the server was offered 2/3 of 300/s = 200/s, not 300/s');
    expect(scaleOutLines(report)).toContain(`Incomplete: shard 2/3 (no report) did not offer its share of ${SPECS.map((s) => s.id).join(', ')}: those trials were offered less than their rate.`);
  });

  test('an interrupted shard: the trials it did not reach carry 2/3 of their rate', () => {
    const { report } = mergeModelReports(inputs([splitShard(1, 3), splitShard(2, 3, { trials: 1 }), splitShard(3, 3)]));
    expect(report.merge?.incomplete).toEqual({ missing: [SPECS[1]!.id], shards: ['2/3 (interrupted: s2.json)'] });
    expect((report.trials[0] as TrialOk).service!.split?.shards).toEqual(['1/3', '2/3', '3/3']);
    expect((report.trials[1] as TrialOk).service!.split?.shards).toEqual(['1/3', '3/3']);
  });

  test('shards that did not run at the same time: merged, with a warning that the server saw R/N at a time', () => {
    const { report } = mergeModelReports(inputs([splitShard(1, 2), splitShard(2, 2, { startS: 30 })]));
    const t = report.trials[1] as TrialOk;
    expect(t.service!.split?.concurrent).toBe(false);
    expect(t.service!.durationMs).toBe(34_000);
    expect(t.warnings.find((w) => w.code === 'load-not-concurrent')?.message).toBe('the shards did not all run at the same time (1/2 2026-12-04T10:00:00.000Z–2026-12-04T10:00:04.000Z, 2/2 2026-12-04T10:00:30.000Z–2026-12-04T10:00:34.000Z): the server saw 150/s from each at a time, not 300/s together — the latencies are of a lighter load; start the shards together');
  });

  test('an overloaded shard makes the merged trial overloaded (the server was), not a refusal', () => {
    const { report } = mergeModelReports(inputs([splitShard(1, 2), splitShard(2, 2, { overloaded: true })]));
    const t = report.trials[0] as TrialOk;
    expect(t.service!.overload.verdict).toBe('overloaded');
    expect(t.service!.overload.endedEarly).toBe(true);
    expect(t.service!.overload.evidence).toEqual([{ metric: 'queue slope (shard 2/2)', value: 40, unit: 'requests/s', threshold: 1 }]);
    const overloaded = t.warnings.filter((w) => w.code === 'overloaded');
    expect(overloaded).toHaveLength(1);
    expect(overloaded[0]!.message).toMatch(/^overloaded: the server fell behind the split load \(shard 2\/2 saw its queue grow\); offered 150\/s in all/);
  });

  test('the shards\' client pools add: connections, needed connections, waits; the worst wait p99', () => {
    const { report } = mergeModelReports(inputs([splitShard(1, 2, { waited: 0 }), splitShard(2, 2, { waited: 30 })]));
    const t = report.trials[1] as TrialOk;
    expect(t.service!.client).toEqual({ connections: 16, body: 'prepared', serializeMs: 0.2, unloadedRequestMs: 2, waited: { requests: 30, share: 30 / 1200, p99Ms: 5 }, neededConnections: 3, verdict: 'pool-limited' });
  });

  test('the same shard twice counts once, with a warning', () => {
    const again = { ...splitShard(1, 2), finishedAt: '2026-12-04T11:00:00.000Z' };
    const { report, warnings } = mergeModelReports(inputs([splitShard(1, 2), splitShard(2, 2), again]));
    expect(warnings).toEqual(['shard 1/2 is in both s1.json and s3.json: a shard\'s share of the load counts once, s3.json is left out']);
    const t = report.trials[0] as TrialOk;
    expect(t.service!.offeredRate).toBeCloseTo(150, 9);
    expect(t.parts?.map((p) => p.source)).toEqual(['s1.json', 's2.json']);
    expect(report.merge?.parts.map((p) => p.source)).toEqual(['s1.json', 's2.json']);
  });
});

describe('refused with exit 2 and what differs', () => {
  test('shards of different splits (N differs)', () => {
    const e = error(() => mergeModelReports(inputs([splitShard(1, 2), splitShard(2, 3)])));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('s1.json and s2.json are shards of different splits: 1/2 of 150/s, 300/s vs 2/3 of 150/s, 300/s');
  });

  test('shards of different splits (total rates differ)', () => {
    const e = error(() => mergeModelReports(inputs([splitShard(1, 2), splitShard(2, 2, { totalRates: [150, 600] })])));
    expect(e.message).toBe('s1.json and s2.json are shards of different splits: 1/2 of 150/s, 300/s vs 2/2 of 150/s, 600/s');
  });

  test('a split shard with a run of the whole load', () => {
    const whole = splitShard(1, 1);
    const { shard: _shard, ...unsharded } = whole;
    const e = error(() => mergeModelReports(inputs([splitShard(1, 2), unsharded as Report])));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('s1.json is shard 1/2 of a split load (each shard offered R/N at once) and s2.json is a run of the whole load: their rates do not add');
  });

  test('one trial from a split shard and from a repeated run (library callers merging trials directly)', async () => {
    const { mergeSplitTrial } = await import('../../src/merge/merge-split.js');
    const split = splitShard(1, 2).trials[0]!;
    const plain = { ...(split as TrialOk), service: { ...(split as TrialOk).service!, split: undefined } };
    const e = error(() => mergeSplitTrial([split, plain], [{ source: 'a.json', shard: '1/2', machine: 'm', count: 1 }, { source: 'b.json', shard: null, machine: 'm', count: 1 }]));
    expect(e.message).toBe(`trial '${SPECS[0]!.id}': a.json is a shard of a split load (each shard offered R/N at once) and b.json is not (a run at the full rate): the rates of the one add, the other's pool over time`);
  });
});

test('mergeSplitTrial: one shard\'s trial twice (library callers) is refused, naming both reports', async () => {
  const { mergeSplitTrial } = await import('../../src/merge/merge-split.js');
  const trial = splitShard(1, 2).trials[0]!;
  const e = error(() => mergeSplitTrial([trial, trial], [{ source: 'a.json', shard: '1/2', machine: 'm', count: 1 }, { source: 'b.json', shard: '1/2', machine: 'm', count: 1 }]));
  expect(e.exitCode).toBe(2);
  expect(e.message).toBe(`trial '${SPECS[0]!.id}': shard 1/2 is in both a.json and b.json: a shard's share of the load counts once`);
});

test('the service facts (console, Markdown, HTML) say which share of the load a trial holds', async () => {
  const { serviceFacts } = await import('../../src/report/service-facts.js');
  const split = (t: Report['trials'][number]): string | undefined => serviceFacts(t as TrialOk).find(([k]) => k === 'Split')?.[1];
  expect(split(splitShard(2, 3).trials[1]!)).toBe('shard 2/3: 1/3 of a load of 300 req/s split over 3 clients of one server (inferbench merge adds the shards)');
  const { report } = mergeModelReports(inputs([splitShard(1, 3), splitShard(3, 3, { startS: 30 })]));
  expect(split(report.trials[1]!)).toBe('2 of 3 shards of a load of 300 req/s (200 req/s offered together; their probes did NOT all overlap in time): rates added, duration the span');
});

test('an incomplete merge is not called a stopped run: its banner says a shard is missing', async () => {
  const { renderMarkdown } = await import('../../src/report/markdown.js');
  const { report } = mergeModelReports(inputs([splitShard(1, 3), splitShard(3, 3)]));
  const text = renderMarkdown(report);
  expect(text).toContain("Incomplete: a shard's report is missing or was interrupted (named below)");
  expect(text).not.toContain('the run was stopped');
});
