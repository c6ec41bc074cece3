// A sweep as curves (Model Analyzer and perf_analyzer draw the same): total latency p50 (solid)
// and p99 (dashed) against the swept axis, and throughput against it, one line per
// configuration of the other fields. Latency budgets are horizontal lines on the latency chart,
// throughput floors on the throughput chart, and the best trial (within every budget, chosen on
// the paired speed-up: src/budget/best.ts) is ringed on both. Throughput carries the table's
// batch-means interval as error bars.
import type { Budget } from '../../budget/budget.js';
import type { Report, TrialOk } from '../../types.js';
import { formatMs, formatRate } from '../format.js';
import { html, type SafeHtml } from './escape.js';
import { autoScale, linearScale, logScale, type Scale } from './scale.js';
import { errorBar, figure, line, marker, plotArea, px, type Area, type SeriesStyle } from './svg.js';
import { formatThroughputCell } from '../sweep-table.js';
import { sweepLines, type SweepLine, type XAxisField } from './sweep-series.js';

const AXIS_TITLE: Record<XAxisField, string> = { batch: 'batch size (items per request)', threads: 'intra-op threads', concurrency: 'requests in flight (concurrency)' };

function xScale(lines: readonly SweepLine[], area: Area): Scale {
  const xs = lines.flatMap((l) => l.points.map((p) => p.x));
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  // Batch sizes are usually powers of two: a log axis spaces 1, 2, 4 … 64 evenly.
  return lo > 0 && hi / lo >= 8 ? logScale([lo / 1.3, hi * 1.3], [area.left, area.right]) : linearScale([Math.min(0, lo), hi * 1.05], [area.left, area.right]);
}

function xTicks(lines: readonly SweepLine[]): number[] {
  return [...new Set(lines.flatMap((l) => l.points.map((p) => p.x)))].sort((a, b) => a - b);
}

function budgetLine(area: Area, yPos: number, text: string): SafeHtml {
  return html`<line class="budget" x1="${px(area.left)}" x2="${px(area.right)}" y1="${px(yPos)}" y2="${px(yPos)}"/><text class="budget-label" x="${px(area.right - 4)}" y="${px(yPos - 5)}" text-anchor="end">${text}</text>`;
}

function knee(report: Report, best: TrialOk | undefined, xPos: number, yPos: number, area: Area): SafeHtml | '' {
  if (best === undefined) return '';
  const right = xPos > (area.left + area.right) / 2;
  const name = report.budget ? 'best within budget' : 'best';
  const why = (report.budget?.best ?? report.best)?.reason ?? '';
  return html`<circle class="knee" data-trial="${best.spec.id}" cx="${px(xPos)}" cy="${px(yPos)}" r="10"><title>${`${name}: ${best.spec.id} — ${why}`}</title></circle><text class="knee-label" x="${px(right ? xPos - 13 : xPos + 13)}" y="${px(yPos - 12)}" text-anchor="${right ? 'end' : 'start'}">${name}</text>`;
}

function uniqueBudgets(report: Report): Budget[] {
  const seen = new Map<string, Budget>();
  for (const c of report.budget?.checks ?? []) seen.set(c.budget.source, c.budget);
  return [...seen.values()];
}

function bestTrial(report: Report): TrialOk | undefined {
  const id = (report.budget?.best ?? report.best)?.trialId;
  return report.trials.find((t): t is TrialOk => t.status === 'ok' && t.spec.id === id);
}

export function sweepLatencyChart(report: Report, axis: XAxisField): SafeHtml {
  const lines = sweepLines(report.trials, axis);
  const area = plotArea();
  const x = xScale(lines, area);
  const budgets = uniqueBudgets(report).filter((b): b is Extract<Budget, { kind: 'latency' }> => b.kind === 'latency');
  const values = [...lines.flatMap((l) => l.points.flatMap((p) => [p.trial.stages.total.p50Ms, p.trial.stages.total.p99Ms])), ...budgets.map((b) => b.limitMs)];
  const y = autoScale(values, [area.bottom, area.top], 50);
  const best = bestTrial(report);
  const body = lines.map((l, slot) => {
    const p50 = l.points.map((p) => [x(p.x), y(p.trial.stages.total.p50Ms)] as const);
    const p99 = l.points.map((p) => [x(p.x), y(p.trial.stages.total.p99Ms)] as const);
    const marks = l.points.map((p) => marker(x(p.x), y(p.trial.stages.total.p50Ms), slot, `${l.label}, ${axis} ${p.x}: total p50 ${formatMs(p.trial.stages.total.p50Ms)}, p99 ${formatMs(p.trial.stages.total.p99Ms)}`, 3.5));
    return html`${line(p50, slot)}${line(p99, slot, true)}${marks}`;
  });
  const budgetMarks = budgets.map((b) => budgetLine(area, y(b.limitMs), `budget ${b.stage}.${b.metric} ${b.op} ${formatMs(b.limitMs)}`));
  const kneeMark = best && lines.some((l) => l.points.some((p) => p.trial === best)) ? knee(report, best, x(lines.flatMap((l) => l.points).find((p) => p.trial === best)!.x), y(best.stages.total.p50Ms), area) : '';
  const legend: SeriesStyle[] = lines.flatMap((l, slot) => [{ label: `${l.label} p50`, slot }, { label: `${l.label} p99`, slot, dashed: true }]);
  return figure({
    kind: 'sweep-latency',
    title: `Latency against ${axis}`,
    area,
    x: { scale: x, title: AXIS_TITLE[axis], format: (v) => String(v), ticks: xTicks(lines) },
    y: { scale: y, title: `total latency per request${y.kind === 'log' ? ' (log scale)' : ''}`, format: (v) => formatMs(v) },
    body: [body, budgetMarks, kneeMark],
    legend,
    caption: html`Solid lines are the median (p50) of a whole request, dashed lines its p99, one colour and marker per configuration. Read how a request's latency changes with ${axis}; where a dashed p99 line pulls away from its solid p50 line, stalls or queueing start to dominate the tail.${budgets.length > 0 ? ' Horizontal lines are the latency budgets (the stage and metric they apply to are in the label).' : ''}`,
  });
}

export function sweepThroughputChart(report: Report, axis: XAxisField): SafeHtml {
  const lines = sweepLines(report.trials, axis);
  const area = plotArea();
  const x = xScale(lines, area);
  const floors = uniqueBudgets(report).filter((b): b is Extract<Budget, { kind: 'throughput' }> => b.kind === 'throughput');
  const value = (t: TrialOk): number => t.throughput.itemsPerSec;
  const interval = (t: TrialOk): [number, number] | null => t.throughput.interval?.itemsPerSec ?? null;
  const values = [...lines.flatMap((l) => l.points.flatMap((p) => [value(p.trial), ...(interval(p.trial) ?? [])])), ...floors.filter((b) => b.per === 'item').map((b) => b.limitPerSec)];
  const y = linearScale([0, Math.max(...values) * 1.1], [area.bottom, area.top]);
  const best = bestTrial(report);
  const body = lines.map((l, slot) => {
    // The table's throughput cell: sequential items/s, the bar its batch-means interval.
    const marks = l.points.map((p) => {
      const ci = interval(p.trial);
      const bar = ci ? errorBar('y', x(p.x), y(ci[0]), y(ci[1]), ci[0], ci[1]) : '';
      return html`<g class="point" data-trial="${p.trial.spec.id}" data-value="${String(value(p.trial))}">${bar}${marker(x(p.x), y(value(p.trial)), slot, `${l.label}, ${axis} ${p.x}: ${formatThroughputCell(p.trial)} (sequential run)`, 3.5)}</g>`;
    });
    return html`${line(l.points.map((p) => [x(p.x), y(value(p.trial))] as const), slot)}${marks}`;
  });
  const floorMarks = floors.filter((b) => b.per === 'item').map((b) => budgetLine(area, y(b.limitPerSec), `budget throughput ${b.op} ${formatRate(b.limitPerSec, 'items/s')}`));
  const bestPoint = best ? lines.flatMap((l) => l.points).find((p) => p.trial === best) : undefined;
  return figure({
    kind: 'sweep-throughput',
    title: `Throughput against ${axis}`,
    area,
    x: { scale: x, title: AXIS_TITLE[axis], format: (v) => String(v), ticks: xTicks(lines) },
    y: { scale: y, title: 'throughput (items/s)', format: (v) => formatRate(v, '') },
    body: [body, floorMarks, bestPoint ? knee(report, best, x(bestPoint.x), y(value(best!)), area) : ''],
    legend: lines.map((l, slot) => ({ label: l.label, slot })),
    caption: html`Items per second (batch × inferences per second) of each trial's own sequential run, as in the sweep table; the bars are their 95% intervals (batch means: a burst of other work during a run widens its bar). The knee is where the line flattens: past it a larger ${axis} buys little throughput and costs latency.${best ? html` The ringed point is ${best.spec.id}, ${report.budget ? 'the best configuration within every budget' : 'the best configuration'}, chosen on the paired speed-up where every candidate has one (interleaved with the baseline, so a burst during one sequential run cannot move it): ${(report.budget?.best ?? report.best)?.reason ?? ''}.` : ''}`,
  });
}
