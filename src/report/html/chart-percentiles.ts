// Latency by percentile, HdrHistogram style: x is 1/(1−p) on a log axis, so 90%, 99%, 99.9% sit
// one decade apart and the tail gets as much room as the median (Gil Tene's percentile
// distribution plot, HdrHistogram's plotFiles.html). Values come from each stage's encoded
// histogram, so the curve is the measured distribution at the histogram's 0.1% resolution.
import { decodeHistogram } from '../../measure/histogram.js';
import type { TimedStage, TrialOk } from '../../types.js';
import { formatCount, formatMs } from '../format.js';
import { html, type SafeHtml } from './escape.js';
import { autoScale, logScale } from './scale.js';
import { figure, line, noChart, plotArea, type SeriesStyle } from './svg.js';

/** Points per decade of 1/(1−p): smooth enough, ~100 points per stage for 10⁴ samples. */
const POINTS_PER_DECADE = 24;

export const STAGE_ORDER = ['load', 'preprocess', 'inference', 'postprocess', 'total'] as const;

/** The stage's curve: [1/(1−p), ms] from p = 0 up to the last sample, plus the maximum. */
export function percentileCurve(encoded: string): [number, number][] {
  const h = decodeHistogram(encoded);
  const count = h.totalCount;
  if (count === 0) return [];
  const lastX = count; // 1/(1−p) for p = 1 − 1/count: the highest percentile the data can resolve
  const steps = Math.max(1, Math.ceil(Math.log10(lastX) * POINTS_PER_DECADE));
  const points: [number, number][] = [];
  for (let i = 0; i <= steps; i += 1) {
    const x = 10 ** ((i / steps) * Math.log10(lastX));
    const percentile = (1 - 1 / x) * 100;
    points.push([x, h.getValueAtPercentile(percentile) / 1000]);
  }
  points.push([lastX, h.maxValue / 1000]);
  return points;
}

/** "90%" for x = 10, "99.9%" for x = 1000: the tick labels of the 1/(1−p) axis. */
function percentileTick(x: number): string {
  const p = (1 - 1 / x) * 100;
  return `${Number(p.toPrecision(Math.max(2, Math.round(Math.log10(x)) + 1)))}%`;
}

export function percentileChart(trial: TrialOk): SafeHtml {
  const stages = STAGE_ORDER.filter((s) => (trial.stages[s as TimedStage]?.count ?? 0) > 0);
  const curves = stages.map((s) => ({ stage: s, points: percentileCurve(trial.stages[s as TimedStage].histogram) }));
  const maxX = Math.max(10, ...curves.map((c) => c.points.at(-1)?.[0] ?? 1));
  if (curves.every((c) => c.points.length === 0)) return noChart('percentiles', 'Latency by percentile', 'No stage recorded any sample.');
  const area = plotArea();
  const x = logScale([1, maxX], [area.left, area.right]);
  const values = curves.flatMap((c) => c.points.map((p) => p[1]));
  const y = autoScale(values, [area.bottom, area.top]);
  const ticks = x.ticks().filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  const legendEntries: SeriesStyle[] = curves.map((c) => ({ label: c.stage, slot: STAGE_ORDER.indexOf(c.stage) }));
  const body = curves.map((c) => line(c.points.map(([px, py]) => [x(px), y(py)] as const), STAGE_ORDER.indexOf(c.stage)));
  const n = trial.stages.total.count;
  return figure({
    kind: 'percentiles',
    title: 'Latency by percentile',
    x: { scale: x, title: 'percentile (log scale of 1/(1−p))', format: percentileTick, ticks },
    y: { scale: y, title: `latency${y.kind === 'log' ? ' (log scale)' : ''}`, format: (v) => formatMs(v) },
    area,
    body,
    legend: legendEntries,
    caption: html`Each line is one stage's measured distribution from its HDR histogram (${formatCount(n)} samples). Read the median at the left edge and the tail to the right: a curve that turns up sharply past 99% means rare stalls that the mean hides. The curve ends at the highest percentile ${formatCount(n)} samples can resolve.`,
  });
}
