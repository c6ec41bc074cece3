import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compareExporterFor } from '../../../src/compare/exporter.js';
import { parseReport } from '../../../src/compare/load.js';
import { renderCompareHtml } from '../../../src/compare/render-html.js';
import { compareReports } from '../../../src/compare/verdict.js';
import { exporterFor } from '../../../src/report/exporters.js';
import { renderHtml } from '../../../src/report/html.js';
import { escapeHtml } from '../../../src/report/html/escape.js';
import { CONTENT_SECURITY_POLICY } from '../../../src/report/html/page.js';
import type { Sample } from '../../../src/model/samples.js';
import { HOSTILE_FILE, HOSTILE_INPUT, HOSTILE_OUTPUT } from '../../helpers/hostile-model.js';
import { sampleReport } from '../../helpers/sample-report.js';
import { analysedReport } from '../analysis-fixture.js';
import { latencyTimeline } from '../../../src/measure/latency-timeline.js';

const charts = (page: string): string[] => [...page.matchAll(/<figure class="chart[^"]*" data-chart="([a-z-]+)"/g)].map((m) => m[1]!);
const emptyCharts = (page: string): string[] => [...page.matchAll(/data-chart="([a-z-]+)" data-empty="true"/g)].map((m) => m[1]!);
/** The analysed CNN report cut to its one ok trial: a single-trial run, with a latency timeline. */
const single = () => {
  const report = analysedReport();
  const [first] = report.trials;
  // 200 warm-up iterations settling from 900 µs to 400 µs, then 2,000 measured ones at ~400 µs.
  const warm = Float64Array.from({ length: 200 }, (_, i) => 400 + 500 * Math.exp(-i / 30));
  const measured = Float64Array.from({ length: 2000 }, (_, i) => 400 + (i % 97 === 0 ? 300 : 0));
  const trial = first?.status === 'ok' ? { ...first, latencyTimeline: latencyTimeline(warm, measured, 200) } : first!;
  return { ...report, trials: [trial] };
};

describe('html report', () => {
  test('is one page with a CSP that forbids fetches, no script and no external reference', () => {
    const page = renderHtml(analysedReport());
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';/);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  test('a profiled trial has the percentile, timeline, stage, roofline and operator charts, all drawn', () => {
    const page = renderHtml(single());
    expect(charts(page)).toEqual(['percentiles', 'latency', 'timeline', 'stages', 'roofline', 'op-profile']);
    expect(emptyCharts(page)).toEqual([]);
    // Latency over the iterations: warm-up shaded, a median and a maximum line of ≤ 120 windows a phase.
    const latency = page.slice(page.indexOf('data-chart="latency"'), page.indexOf('data-chart="timeline"'));
    expect(latency).toContain('class="band phase-warmup"');
    expect([...latency.matchAll(/<path class="series s[01][^"]*" d="([^"]*)"/g)].map((m) => (m[1]!.match(/[ML]/g) ?? []).length)).toEqual([218, 218]); // 100 warm-up windows of 2, 118 measured of 17
    expect(latency).toContain('iteration (warm-up first, then measured)');
    expect(page).toContain('percentile (log scale of 1/(1−p))');
  });

  test('a sweep gets its table and overview charts; failed and skipped trials say why', () => {
    const page = renderHtml(sampleReport());
    expect(page).toContain('<section id="sweep">');
    expect(charts(page).slice(0, 2)).toEqual(['stages', 'timeline']); // one ok trial: no curve to draw
    expect(emptyCharts(page)).toContain('timeline'); // the sample report has no samples: said in words
    expect(page).toContain('Failed during open: <code>runtime-error</code>');
    expect(page).toContain('Skipped: device cuda unavailable');
  });

  test('every string from the model, its tensors, errors and argv is escaped', () => {
    const report = sampleReport();
    report.model = { ...report.model, path: `/tmp/${HOSTILE_FILE}`, producer: '<i>x</i>', inputs: [{ name: HOSTILE_INPUT, type: 'float32', shape: ['<b>batch</b>', 16] }], outputs: [{ name: HOSTILE_OUTPUT, type: 'float32', shape: [1] }] };
    report.command = { argv: ['profile', `/tmp/${HOSTILE_FILE}`] };
    const failed = report.trials[1]!;
    if (failed.status === 'failed') failed.error.message = `input '${HOSTILE_INPUT}' rejected`;
    const page = renderHtml(report);
    for (const hostile of [HOSTILE_FILE, HOSTILE_INPUT, HOSTILE_OUTPUT, '<i>x</i>', '<b>batch</b>']) expect(page).not.toContain(hostile);
    expect(page).not.toMatch(/<script|<img|<svg onload|<i>x/i);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;.onnx');
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;svg onload=alert(3)&gt;');
  });

  test('100,000 samples: the drawn path is thinned to a few points per pixel column, the caption counts them all', () => {
    const report = single();
    const trialId = report.trials[0]!.spec.id;
    const template = report.samples!.samples[0]!;
    const samples: Sample[] = Array.from({ length: 100_000 }, (_, i) => ({ ...template, tMs: 10 * (i + 1), intervalMs: 10, trial: trialId, phase: 'measure', cpu: { user: (i % 97) / 100, system: 0, iowait: 0, steal: 0, idle: 1 - (i % 97) / 100 } }));
    report.samples = { ...report.samples!, samples };
    const page = renderHtml(report);
    const timeline = page.slice(page.indexOf('data-chart="timeline"'), page.indexOf('data-chart="stages"'));
    const longest = Math.max(...[...timeline.matchAll(/ d="([^"]*)"/g)].map((m) => (m[1]!.match(/[ML]/g) ?? []).length));
    expect(longest).toBeGreaterThan(100);
    expect(longest).toBeLessThanOrEqual(1200);
    expect(timeline).toContain('100,000 samples, one every ');
    expect(page.length).toBeLessThan(400_000);
  });

  test('--repeat windows: a trial\'s samples with other trials in between draw as separate segments', () => {
    const report = single();
    const trialId = report.trials[0]!.spec.id;
    const template = report.samples!.samples[0]!;
    const at = (tMs: number, trial: string): Sample => ({ ...template, tMs, intervalMs: 100, trial, phase: 'measure' });
    report.samples = { ...report.samples!, samples: [at(100, trialId), at(200, trialId), at(300, 'other'), at(400, 'other'), at(500, trialId), at(600, trialId)] };
    const page = renderHtml(report);
    const timeline = page.slice(page.indexOf('data-chart="timeline"'), page.indexOf('data-chart="stages"'));
    const cpuPath = /<path class="series s0" d="([^"]*)"/.exec(timeline)![1]!;
    expect(cpuPath.match(/M/g)).toHaveLength(2);
  });

  test('is registered as --format html and renders the same as renderHtml', () => {
    const report = analysedReport();
    expect(exporterFor('html').render(report)).toBe(renderHtml(report));
  });
});

describe('html comparison', () => {
  const read = (name: string) => parseReport(readFileSync(`test/data/compare/${name}`, 'utf8'), name);
  const comparison = compareReports(read('cnn-t1-a.json'), read('cnn-slow-t1.json'), { labels: { base: `<b>base</b>.json`, head: 'head.json' } });

  test('a real regression: verdict coloured, with its symbol and word, one interval chart per trial', () => {
    expect(comparison.verdict).toBe('regressed');
    const page = renderCompareHtml(comparison);
    expect(page).toContain('<span class="verdict v-regressed">▲ regressed</span>');
    expect(charts(page)).toEqual(comparison.trials.map(() => 'compare'));
    expect(page).toMatch(/class="verdict-label v-regressed"[^>]*>▲ regressed \+\d/);
    expect(page).toContain('class="threshold-band"');
    expect(page).not.toContain('<b>base</b>');
    expect(page).not.toMatch(/<script/i);
    expect(compareExporterFor('html').render(comparison)).toBe(page);
  });
});
