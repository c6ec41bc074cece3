// profile MODEL --serve (profileServed): the model in process, then behind a local `inferbench
// serve` child over each protocol, in one report whose servingOverhead section pairs them. The
// report validates, renders, compares and merges; the served trials carry the server's
// statistics where the protocol has them; the child is gone afterwards, also when the run is
// stopped midway; what --serve cannot do is refused before anything runs.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { matchReports } from '../../src/compare/match.js';
import { compareReports } from '../../src/compare/verdict.js';
import { mergeModelReports } from '../../src/merge/merge-reports.js';
import { profile, type ProfileOptions } from '../../src/profile.js';
import { renderConsole } from '../../src/report/console.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { validateReport } from '../../src/report/validate.js';
import { profileServed, servedPlanNote } from '../../src/sweep/serve-overhead.js';
import { SERVED_PROTOCOLS, type Report, type TrialOk } from '../../src/types.js';
import { rejection } from '../helpers/errors.js';

const quick = (extra: Partial<ProfileOptions> = {}): ProfileOptions => ({
  model: 'fixtures/mlp.onnx',
  threads: 1,
  warmup: { kind: 'count', iterations: 3 },
  measure: { kind: 'count', iterations: 30 },
  opProfile: false,
  sample: false,
  pairedSpeedUp: false,
  serve: true,
  ...extra,
});

/** Whether anything still answers at a served trial's URL (the child must be gone). */
async function answers(url: string): Promise<boolean> {
  const origin = new URL(url.replace(/^grpc:/, 'http:')).origin;
  return fetch(`${origin}/v2/health/live`).then(() => true, () => false);
}

let report: Report;
beforeAll(async () => {
  report = await profileServed(quick());
}, 120_000);

describe('profile fixtures/mlp.onnx --serve', () => {
  test('one report: the in-process trial, then one served trial per protocol, named by protocol', () => {
    expect(validateReport(report).valid).toBe(true);
    expect(report.trials.map((t) => [t.spec.id, t.status])).toEqual([
      ['cpu fp32 batch=1 threads=1', 'ok'],
      ['kserve-json cpu fp32 batch=1 threads=1', 'ok'],
      ['kserve-binary cpu fp32 batch=1 threads=1', 'ok'],
      ['kserve-grpc cpu fp32 batch=1 threads=1', 'ok'],
      ['tfserving-rows cpu fp32 batch=1 threads=1', 'ok'],
    ]);
    expect(report.options.serve).toBe(true);
    expect(report.servingOverhead!.server).toMatchObject({ model: 'fixtures/mlp.onnx', name: 'mlp', threads: 1, device: 'cpu' });
    expect(report.servingOverhead!.server.argv).toEqual(['inferbench', 'serve', 'fixtures/mlp.onnx', '--port', '0', '--grpc-port', '0', '--device', 'cpu', '--threads', '1']);
  });

  test('each row pairs a served trial with the in-process one; the segments add up to the served mean', () => {
    const section = report.servingOverhead!;
    expect(section.rows.map((r) => [r.protocol, r.servedTrialId])).toEqual([
      ['kserve-json', 'kserve-json cpu fp32 batch=1 threads=1'],
      ['kserve-binary', 'kserve-binary cpu fp32 batch=1 threads=1'],
      ['kserve-grpc', 'kserve-grpc cpu fp32 batch=1 threads=1'],
      ['tfserving-rows', 'tfserving-rows cpu fp32 batch=1 threads=1'],
    ]);
    const local = report.trials[0] as TrialOk;
    for (const row of section.rows) {
      const served = report.trials.find((t) => t.spec.id === row.servedTrialId) as TrialOk;
      const s = row.segments!;
      expect(row.loop).toBe('closed');
      expect(s.inferenceMs).toBeCloseTo(local.stages.total.meanMs, 3);
      expect(s.serializeMs).toBeCloseTo(served.stages.preprocess.meanMs, 3);
      expect(s.inferenceMs + s.serializeMs + s.transportMs + (s.queueMs ?? 0) + s.deserializeMs).toBeCloseTo(row.servedMeanMs!, 2);
      expect(row.servedMeanMs).toBeCloseTo(served.stages.total.meanMs, 3);
      expect(row.p50!.overheadMs).toBeCloseTo(served.stages.total.p50Ms - local.stages.total.p50Ms, 3);
      expect(row.p99!.servedMs).toBe(served.stages.total.p99Ms);
    }
  });

  test('KServe REST and gRPC trials carry the server\'s averages (the statistics extension; ModelStatistics over gRPC); TF Serving has none', () => {
    const [json, binary, grpc, tf] = report.servingOverhead!.rows;
    for (const row of [json!, binary!, grpc!]) {
      expect(row.server!.requests).toBeGreaterThanOrEqual(30);
      expect(row.server!.computeMs).toBeGreaterThan(0);
      expect(row.segments!.queueMs).toBe(row.server!.queueMs);
    }
    expect(tf!.server).toBeNull();
    expect(tf!.segments!.queueMs).toBeNull();
  });

  test('the local server is stopped at the end', async () => {
    const served = report.trials[1] as TrialOk;
    expect(await answers(served.endpoint!.url)).toBe(false);
  });

  test('console, Markdown and HTML show the section; the HTML draws one chart, a bar per protocol', () => {
    for (const text of [renderConsole(report), renderMarkdown(report)]) {
      expect(text).toContain('Where the time goes: in process vs served');
      expect(text).toContain('KServe gRPC, raw');
      expect(text).toContain('AVERAGES');
    }
    const page = renderHtml(report);
    expect(page.match(/data-chart="serving"/g)).toHaveLength(1);
    expect(page.match(/<g class="served"/g)).toHaveLength(4);
    expect(page.match(/data-segment="/g)).toHaveLength(4 * 5);
    expect(page).toContain('<a href="#serving">Where the time goes</a>');
  });

  test('compare pairs the trials of two --serve reports; merge keeps the section of identical parts', () => {
    const comparison = compareReports(report, report);
    // Every trial pairs with its twin, none is left over.
    expect(comparison.trials).toHaveLength(5);
    expect(comparison.matching.baseOnly).toEqual([]);
    // A served trial pairs by its protocol (spec.served), not by its place: head's in reverse order still pair alike.
    const reversed = { ...report, trials: [...report.trials].reverse() };
    const pairs = matchReports(report, reversed).pairs;
    expect(pairs).toHaveLength(5);
    expect(pairs.filter((p) => p.base.spec.id !== p.head.spec.id)).toEqual([]);
    expect(report.trials.filter((t) => t.spec.served !== undefined).map((t) => t.spec.served)).toEqual([...SERVED_PROTOCOLS]);
    expect((JSON.parse(readFileSync('src/report/report.schema.json', 'utf8')) as { $defs: { trialSpec: { properties: { served: { enum: string[] } } } } }).$defs.trialSpec.properties.served.enum).toEqual([...SERVED_PROTOCOLS]);
    const merged = mergeModelReports([{ report, source: 'a.json' }, { report, source: 'b.json' }]);
    expect(merged.report.servingOverhead).toEqual(report.servingOverhead);
    expect(merged.report.trials).toHaveLength(5);
  });
});

describe('--serve --rate R: open loop too', () => {
  test('closed-loop rows, then open-loop rows at the rate; the server batches as the in-process side does', async () => {
    const open = await profileServed(quick({ rate: [200], maxBatch: 2, maxDelayMs: 1, measure: { kind: 'count', iterations: 60 } }));
    expect(validateReport(open).valid).toBe(true);
    const section = open.servingOverhead!;
    expect(section.server.argv.slice(-8)).toEqual(['--instances', '1', '--max-batch', '2', '--max-delay', '1ms', '--batching', 'triton']);
    expect(section.rows.map((r) => `${r.protocol} ${r.loop}`)).toEqual(['kserve-json', 'kserve-binary', 'kserve-grpc', 'tfserving-rows'].flatMap((p) => [`${p} closed`, `${p} open`]));
    for (const row of section.rows.filter((r) => r.loop === 'open')) {
      expect(row.rate).toBe(200);
      expect(row.error).toBeUndefined();
      const local = open.trials.find((t) => t.spec.id === row.inProcessTrialId) as TrialOk;
      const served = open.trials.find((t) => t.spec.id === row.servedTrialId) as TrialOk;
      // Both timed from the intended arrival at the same offered rate.
      expect(local.service!.offeredRate).toBeCloseTo(served.service!.offeredRate, 0);
      // The base is the model in process without its wait in the in-process queue.
      expect(row.segments!.inferenceMs).toBeCloseTo(local.stages.total.meanMs - local.stages.queue!.meanMs, 2);
      const s = row.segments!;
      expect(s.inferenceMs + s.serializeMs + s.transportMs + (s.queueMs ?? 0) + s.deserializeMs).toBeCloseTo(row.servedMeanMs!, 2);
    }
    // One chart: a bar per protocol and loop (closed, then the rate), grouped under the protocol's name.
    expect(renderHtml(open).match(/data-chart="serving"/g)).toHaveLength(1);
    expect(renderHtml(open).match(/<g class="served"/g)).toHaveLength(open.servingOverhead!.rows.filter((r) => r.segments).length);
  }, 120_000);
});

describe('--serve refusals and stops', () => {
  test.each([
    ['a URL target', { model: 'http://127.0.0.1:1/v2/models/m' }, /the target is already a URL/],
    ['--rate auto', { rate: 'auto' }, /--rate auto or --advise-batching is not supported/],
    ['two thread settings', { threads: [1, 2] }, /one thread setting; --threads lists 2/],
    ['--graph-opt', { graphOptimization: 'basic' }, /would measure two different models/],
  ] as const)('%s is exit 2 before anything runs', async (_label, extra, message) => {
    const error = await rejection(profileServed(quick(extra as Partial<ProfileOptions>)));
    expect(error.code).toBe('usage');
    expect(error.message).toMatch(message);
  });

  test('--dry-run says what follows the in-process plan, after the same checks', () => {
    expect(servedPlanNote(quick(), 1)).toBe('--serve: then the fp32 trials of this plan (1 in process) through a local `inferbench serve`, closed loop, over kserve-json, kserve-binary, kserve-grpc, tfserving-rows');
    expect(() => servedPlanNote(quick({ threads: [1, 2] }), 2)).toThrow(/one thread setting/);
  });

  test('profile() itself refuses serve: true (the flag is never silently ignored)', async () => {
    expect((await rejection(profile(quick()))).message).toMatch(/profileServed/);
  });

  test('a server that does not start: the in-process trial is kept, every served trial fails at open with the server\'s reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferbench-serve-'));
    const model = join(dir, 'gone.onnx');
    copyFileSync('fixtures/mlp.onnx', model);
    // The file disappears after the in-process trial, before the server loads it.
    const report = await profileServed(quick({ model }), { onTrialEnd: () => rmSync(model, { force: true }) });
    expect(validateReport(report).valid).toBe(true);
    expect(report.trials[0]!.status).toBe('ok');
    const served = report.trials.slice(1);
    expect(served.map((t) => [t.spec.id.split(' ')[0], t.status, t.status === 'failed' && t.phase])).toEqual(['kserve-json', 'kserve-binary', 'kserve-grpc', 'tfserving-rows'].map((p) => [p, 'failed', 'open']));
    expect(served[0]!.status === 'failed' && served[0]!.error.message).toMatch(/the local server for --serve exited before it listened/);
    expect(report.servingOverhead!.rows.every((r) => r.error?.startsWith('failed in open:'))).toBe(true);
    expect(report.servingOverhead!.server.name).toBe('gone');
  }, 60_000);

  test('stopped midway (Ctrl-C): the report says interrupted and the server is gone', async () => {
    const controller = new AbortController();
    let url = '';
    const stopped = await profileServed(quick({ signal: controller.signal }), {
      onTrialEnd: (result) => {
        if (result.status === 'ok' && result.endpoint) {
          url = result.endpoint.url;
          controller.abort();
        }
      },
    });
    expect(stopped.interrupted).toBe(true);
    expect(url).not.toBe('');
    expect(await answers(url)).toBe(false);
  }, 120_000);
});
