// Inference latency over the trial's iterations: the median and the maximum of each window of
// consecutive iterations, warm-up shaded, from the report's latencyTimeline. Warm-up that has not
// settled, drift within the measured phase and bursts of stalls show here as they happened.
import type { TrialOk } from '../../types.js';
import { formatConvergence, formatCount, formatMs, formatSignedPercent } from '../format.js';
import { html, type SafeHtml } from './escape.js';
import { autoScale, linearScale } from './scale.js';
import { figure, line, noChart, plotArea, px, type SeriesStyle } from './svg.js';

export function latencyTimelineChart(trial: TrialOk): SafeHtml {
  const title = 'Inference latency over the iterations';
  const windows = trial.latencyTimeline?.windows ?? [];
  if (windows.length === 0) return noChart('latency', title, 'This trial has no latency timeline (a concurrent trial, or a report from an older inferbench).');
  const area = plotArea();
  const last = windows[windows.length - 1]!;
  const x = linearScale([1, last.firstIteration + last.iterations - 1], [area.left, area.right]);
  const mid = (w: (typeof windows)[number]): number => w.firstIteration + (w.iterations - 1) / 2;
  const y = autoScale(windows.flatMap((w) => [w.p50Us / 1000, w.maxUs / 1000]), [area.bottom, area.top]);
  const warm = windows.filter((w) => w.phase === 'warmup');
  const warmEnd = warm.length > 0 ? warm[warm.length - 1]!.firstIteration + warm[warm.length - 1]!.iterations - 1 : 0;
  const band = warmEnd > 0 ? html`<rect class="band phase-warmup" x="${px(x(1))}" y="${px(area.top)}" width="${px(Math.max(0.5, x(warmEnd) - x(1)))}" height="${px(area.bottom - area.top)}"><title>warm-up</title></rect><text class="band-label" x="${px(x(1) + 4)}" y="${px(area.top + 12)}">warm-up</text>` : '';
  const median = line(windows.map((w) => [x(mid(w)), y(w.p50Us / 1000)] as const), 0);
  const max = line(windows.map((w) => [x(mid(w)), y(w.maxUs / 1000)] as const), 1, true);
  const legend: SeriesStyle[] = [{ label: 'median of each window', slot: 0 }, { label: 'maximum of each window (dashed)', slot: 1 }];
  const size = windows.find((w) => w.phase === 'measure')?.iterations ?? 1;
  return figure({
    kind: 'latency',
    title,
    x: { scale: x, title: 'iteration (warm-up first, then measured)', format: (v) => formatCount(v) },
    y: { scale: y, title: `inference latency${y.kind === 'log' ? ' (log scale)' : ''}`, format: (v) => formatMs(v) },
    area,
    body: [band, median, max],
    legend,
    caption: html`Each point is a window of about ${formatCount(size)} consecutive measured iterations (drawing only; the statistics use every sample). Warm-up ${formatConvergence(trial.warmup.convergedAt)}; the median moved ${formatSignedPercent(trial.measure.driftRatio)} from the first to the last third of the measured phase. A median that is still falling when the shading ends means a longer --warmup; steps within the measured phase are the machine changing state.`,
  });
}
