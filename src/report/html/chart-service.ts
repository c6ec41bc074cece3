// The latency–throughput curve of open-loop trials: offered rate on x; total latency p50 (solid)
// and p99 (dashed) on y, one line per serving setting; the achieved mean batch in a second panel
// on the same x; the latency budget as a horizontal line and the knee (`--rate auto`) as a
// vertical line at the rate found. An overloaded trial has no stable percentile: it is drawn as a
// cross at the top of the latency panel, never as a point of the line.
import type { Report } from '../../types.js';
import { formatMs, formatRate } from '../format.js';
import { kneeLine, percentileName, serviceCurves, type ServiceCurve } from '../service-curve.js';
import { html, type SafeHtml } from './escape.js';
import { autoScale, linearScale, logScale, type Scale } from './scale.js';
import { figure, line, marker, plotArea, px, type Area, HEIGHT, type SeriesStyle } from './svg.js';

const BATCH_HEIGHT = 180;

function rateScale(curves: readonly ServiceCurve[], area: Area): Scale {
  const xs = curves.flatMap((c) => [...c.points.map((p) => p.offeredRate), ...(c.knee?.kneeRate ? [c.knee.kneeRate] : [])]);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo > 0 && hi / lo >= 8 ? logScale([lo / 1.2, hi * 1.2], [area.left, area.right]) : linearScale([0, hi * 1.08], [area.left, area.right]);
}

function cross(x: number, y: number, tooltip: string): SafeHtml {
  const r = 5;
  return html`<path class="overloaded" d="${`M${px(x - r)} ${px(y - r)}L${px(x + r)} ${px(y + r)}M${px(x - r)} ${px(y + r)}L${px(x + r)} ${px(y - r)}`}"><title>${tooltip}</title></path>`;
}

/** The curve chart, or '' when the report has no service trial. */
export function serviceCurveChart(report: Report): SafeHtml | '' {
  const curves = serviceCurves(report).filter((c) => c.points.length > 0);
  if (curves.length === 0) return '';
  const area = plotArea();
  const x = rateScale(curves, area);
  const stable = curves.flatMap((c) => c.points.filter((p) => !p.overloaded));
  const targets = [...new Set(curves.flatMap((c) => (c.knee ? [c.knee.targetMs] : [])))];
  const y = autoScale([...stable.flatMap((p) => [p.p50Ms, p.p99Ms]), ...targets], [area.bottom, area.top], 50);
  const topY = area.top + 6;
  const latency = curves.map((c, slot) => {
    const ok = c.points.filter((p) => !p.overloaded);
    const marks = ok.map((p) => marker(x(p.offeredRate), y(p.p99Ms), slot, `${c.key}, offered ${formatRate(p.offeredRate, 'req/s')}: p50 ${formatMs(p.p50Ms)}, p99 ${formatMs(p.p99Ms)}, achieved ${formatRate(p.achievedRate, 'req/s')}`, 3.5));
    const over = c.points.filter((p) => p.overloaded).map((p) => cross(x(p.offeredRate), topY, `${c.key}, offered ${formatRate(p.offeredRate, 'req/s')}: OVERLOADED (achieved ${formatRate(p.achievedRate, 'req/s')}; the queue grew, no stable percentile)`));
    return html`${line(ok.map((p) => [x(p.offeredRate), y(p.p50Ms)] as const), slot)}${line(ok.map((p) => [x(p.offeredRate), y(p.p99Ms)] as const), slot, true)}${marks}${over}`;
  });
  const budgetMarks = targets.map((t) => html`<line class="budget" x1="${px(area.left)}" x2="${px(area.right)}" y1="${px(y(t))}" y2="${px(y(t))}"/><text class="budget-label" x="${px(area.right - 4)}" y="${px(y(t) - 5)}" text-anchor="end">${`budget ${formatMs(t)}`}</text>`);
  const kneeMarks = curves.map((c) => {
    const k = c.knee;
    if (!k || k.kneeRate === null) return '';
    const kx = x(k.kneeRate);
    const right = kx > (area.left + area.right) / 2;
    return html`<line class="knee-line" x1="${px(kx)}" x2="${px(kx)}" y1="${px(area.top)}" y2="${px(area.bottom)}"><title>${kneeLine(k)}</title></line><text class="knee-label" x="${px(right ? kx - 6 : kx + 6)}" y="${px(area.top + 24)}" text-anchor="${right ? 'end' : 'start'}">${`knee ${formatRate(k.kneeRate, 'req/s')}`}</text>`;
  });
  const batchArea = plotArea(undefined, BATCH_HEIGHT);
  const maxBatch = Math.max(1, ...curves.flatMap((c) => c.points.map((p) => p.meanBatch)));
  const yb = linearScale([0, maxBatch * 1.1], [batchArea.bottom, batchArea.top]);
  const batches = curves.map((c, slot) => html`${line(c.points.map((p) => [x(p.offeredRate), yb(p.meanBatch)] as const), slot)}${c.points.map((p) => marker(x(p.offeredRate), yb(p.meanBatch), slot, `${c.key}, offered ${formatRate(p.offeredRate, 'req/s')}: mean batch ${p.meanBatch.toFixed(2)} items`, 3))}`);
  const xAxis = { scale: x, title: `offered rate (requests/s${x.kind === 'log' ? ', log scale' : ''})`, format: (v: number) => formatRate(v, '').trim() };
  const legend: SeriesStyle[] = curves.flatMap((c, slot) => [{ label: `${c.key} p50`, slot }, { label: `${c.key} p99`, slot, dashed: true }]);
  const knees = curves.flatMap((c) => (c.knee ? [c.knee] : []));
  const percentile = knees[0] ? percentileName(knees[0].percentile) : 'p99';
  return figure({
    kind: 'service-curve',
    title: 'Latency against offered rate',
    legend,
    panels: [
      { label: 'total latency p50 and p99 against offered rate', area, body: [latency, budgetMarks, kneeMarks], x: xAxis, y: { scale: y, title: `latency from intended arrival${y.kind === 'log' ? ' (log)' : ''}`, format: (v) => formatMs(v) } },
      { label: 'achieved mean batch against offered rate', area: batchArea, height: BATCH_HEIGHT, body: batches, x: xAxis, y: { scale: yb, title: 'mean batch (items)', format: (v) => String(Number(v.toPrecision(3))) } },
    ],
    caption: html`Each point is an open-loop trial: requests arrive at the offered rate whether or not the model keeps up, and latency runs from each request's intended arrival (queue, batch wait, inference). Solid lines are p50, dashed p99; crosses at the top are overloaded trials, whose queue grew for as long as they ran, so they have no latency to plot. The lower panel is the mean batch the batcher achieved.${knees.length > 0 ? html` The vertical line is the knee: the highest rate whose ${percentile} met the budget (horizontal line) by LoadGen's early-stopping rule; past it the tail rises steeply.` : ''}`,
    height: HEIGHT,
  });
}
