// Utilisation over time, with the trial's phases (load, warm-up, measure) shaded on the same time
// axis. The report keeps no per-iteration latencies — only HDR histograms, which have no time
// order — so latency over time cannot be redrawn after the fact. What the report does carry over
// time is the sampler's series (report.samples, each sample tagged with its trial and phase), and
// that is what is drawn: warm-up shows as the CPU ramp before the measure band, and drift shows
// as utilisation or memory moving within the band; the caption quotes the measured drift and
// warm-up convergence, which were computed from the latencies while they were in memory.
import type { Report, TrialOk } from '../../types.js';
import type { Sample, SampleSeries } from '../../model/samples.js';
import { formatBytes, formatConvergence, formatCount, formatMs, formatPct, formatSignedPercent } from '../format.js';
import { html, type SafeHtml } from './escape.js';
import { minMaxDecimate, type Point } from './downsample.js';
import { extent, linearScale } from './scale.js';
import { figure, line, noChart, plotArea, px, type SeriesStyle } from './svg.js';

/** Pixel columns the plot is thinned to: about one per 1.5 px of plot width. */
const DRAW_BUCKETS = 400;
const TOP_HEIGHT = 240;
const BOTTOM_HEIGHT = 150;
const MIB = 2 ** 20;

interface Metric {
  label: string;
  value(s: Sample, logicalCores: number): number | null;
}

const PERCENT_METRICS: Metric[] = [
  { label: 'machine CPU busy', value: (s) => (s.cpu === null ? null : (1 - s.cpu.idle) * 100) },
  { label: 'inferbench process CPU (share of machine)', value: (s, cores) => (s.processCpuUser === null ? null : ((s.processCpuUser + (s.processCpuSystem ?? 0)) / Math.max(1, cores)) * 100) },
  { label: 'machine memory used', value: (s) => (s.memoryAvailableBytes === null || !s.memoryTotalBytes ? null : (1 - s.memoryAvailableBytes / s.memoryTotalBytes) * 100) },
];

function gpuMetrics(samples: readonly Sample[]): Metric[] {
  const indices = [...new Set(samples.flatMap((s) => s.gpus.map((g) => g.index)))].sort((a, b) => a - b);
  return indices.map((index) => ({ label: `GPU ${index} busy`, value: (s) => s.gpus.find((g) => g.index === index)?.utilizationPct ?? null }));
}

/** Contiguous runs of one phase, as [start, end] in the chart's seconds. */
function phaseSpans(samples: readonly Sample[], t0: number): { trial: string; phase: string; from: number; to: number }[] {
  const spans: { trial: string; phase: string; from: number; to: number }[] = [];
  for (const s of samples) {
    const from = (s.tMs - s.intervalMs - t0) / 1000;
    const to = (s.tMs - t0) / 1000;
    const last = spans.at(-1);
    if (last !== undefined && last.phase === s.phase && last.trial === s.trial) last.to = to;
    else spans.push({ trial: s.trial, phase: s.phase, from: Math.max(0, from), to });
  }
  return spans;
}

/** A sample further than this many intervals from the previous one starts a new line segment. */
const GAP_INTERVALS = 2.5;

function series(samples: readonly Sample[], t0: number, value: (s: Sample) => number | null): Point[] {
  const points: Point[] = [];
  samples.forEach((s, i) => {
    // With --repeat a trial's samples come in separate windows (other trials ran in between):
    // break the line there instead of drawing a straight segment across the gap.
    const prev = samples[i - 1];
    if (prev !== undefined && s.tMs - prev.tMs > GAP_INTERVALS * Math.max(1, s.intervalMs)) points.push([(prev.tMs - t0) / 1000, Number.NaN]);
    points.push([(s.tMs - t0) / 1000, value(s) ?? Number.NaN]);
  });
  return minMaxDecimate(points, DRAW_BUCKETS);
}

/** The samples to draw: a trial's own, or the whole run when `trial` is omitted. */
export function timelineChart(report: Report, trial?: TrialOk): SafeHtml {
  const title = trial ? 'Utilisation over time' : 'Utilisation over the whole run';
  const all: SampleSeries | undefined = report.samples;
  if (all === undefined || all.samples.length === 0) return noChart('timeline', title, 'This report has no utilisation samples (the run used --no-sample or --isolate), so there is nothing to draw over time.');
  const samples = trial ? all.samples.filter((s) => s.trial === trial.spec.id) : all.samples;
  if (samples.length < 2) return noChart('timeline', title, `Fewer than two utilisation samples were taken during this trial (interval ${formatMs(all.intervalMs)}); run longer or lower --sample-interval.`);
  const t0 = samples[0]!.tMs - samples[0]!.intervalMs;
  const tEnd = (samples[samples.length - 1]!.tMs - t0) / 1000;
  const metrics = [...PERCENT_METRICS, ...gpuMetrics(samples)];
  const top = plotArea(undefined, TOP_HEIGHT);
  const x = linearScale([0, tEnd], [top.left, top.right]);
  const y = linearScale([0, 100], [top.bottom, top.top]);
  const spans = phaseSpans(samples, t0);
  const bands = spans.map((s) => html`<rect class="${`band phase-${s.phase}`}" x="${px(x(s.from))}" y="${px(top.top)}" width="${px(Math.max(0.5, x(s.to) - x(s.from)))}" height="${px(top.bottom - top.top)}"><title>${s.trial === '' ? s.phase : `${s.trial}: ${s.phase}`}</title></rect>`);
  const labels = spans.filter((s) => x(s.to) - x(s.from) > 40).map((s) => html`<text class="band-label" x="${px(x(s.from) + 4)}" y="${px(top.top + 12)}">${s.phase}</text>`);
  const drawn = metrics.map((m, slot) => ({ m, slot, points: series(samples, t0, (s) => m.value(s, all.logicalCores)) })).filter((d) => d.points.some((p) => Number.isFinite(p[1])));
  const lines = drawn.map((d) => line(d.points.map(([a, b]) => [x(a), y(b)] as const), d.slot));
  // RSS in MiB so the ticks land on round binary sizes.
  const rss = series(samples, t0, (s) => (s.processRssBytes === null ? null : s.processRssBytes / MIB));
  const bottom = plotArea(undefined, BOTTOM_HEIGHT);
  const rssRange = extent(rss.map((p) => p[1])) ?? [0, 1];
  const yRss = linearScale([0, rssRange[1] * 1.1], [bottom.bottom, bottom.top]);
  const legend: SeriesStyle[] = [...drawn.map((d) => ({ label: d.m.label, slot: d.slot })), { label: 'process RSS (lower panel)', slot: 7 }];
  const xAxis = { scale: x, title: 'time since the trial started (s)', format: (v: number) => `${Number(v.toPrecision(3))} s` };
  return figure({
    kind: 'timeline',
    title,
    legend,
    panels: [
      { label: `${title}: CPU, memory and GPU busy (%)`, height: TOP_HEIGHT, area: top, x: { ...xAxis, title: trial ? xAxis.title : 'time since the run started (s)' }, y: { scale: y, title: 'busy (% of capacity)', format: (v) => formatPct(v) }, body: [bands, labels, lines] },
      { label: 'process resident memory over time', height: BOTTOM_HEIGHT, area: bottom, x: { ...xAxis, title: 'time (s), same axis as above' }, y: { scale: yRss, title: 'RSS', format: (v) => formatBytes(v * MIB), ticks: yRss.ticks(3) }, body: [line(rss.map(([a, b]) => [x(a), yRss(b)] as const), 7)] },
    ],
    caption: captionFor(trial, samples.length, all.intervalMs),
  });
}

function captionFor(trial: TrialOk | undefined, count: number, intervalMs: number): SafeHtml {
  const base = html`${formatCount(count)} samples, one every ${formatMs(intervalMs)}, drawn thinned (min–max per pixel column) so spikes stay visible. Shaded bands are the phases the sampler was told about.`;
  if (trial === undefined) return html`${base} Each trial's own chart is in its section below; failed and skipped trials have no measure band.`;
  return html`${base} Latency itself over the iterations is the chart above (warm-up ${formatConvergence(trial.warmup.convergedAt)}, median drift ${formatSignedPercent(trial.measure.driftRatio)}). A CPU line that sags inside the measure band, or memory that climbs, is what moves latency within a run.`;
}
