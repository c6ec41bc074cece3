// Where a request's time goes: one horizontal bar per trial, split into the stages in pipeline
// order. Bars use the stage means because means add up (mean total ≈ Σ stage means, up to the
// loop's own bookkeeping) while percentiles do not: the p99 of a sum is not the sum of the p99s.
import type { TrialOk } from '../../types.js';
import { formatMs, formatPercent } from '../format.js';
import { html, type SafeHtml } from './escape.js';
import { linearScale } from './scale.js';
import { figure, noChart, px, type SeriesStyle } from './svg.js';
import { STAGE_ORDER } from './chart-percentiles.js';

const PARTS = ['load', 'preprocess', 'inference', 'postprocess'] as const;
const ROW = 26;
const LEFT = 190;

function partsOf(trial: TrialOk): { stage: (typeof PARTS)[number]; ms: number }[] {
  return PARTS.flatMap((stage) => {
    const stats = trial.stages[stage];
    return stats !== undefined && stats.count > 0 ? [{ stage, ms: stats.meanMs }] : [];
  });
}

/** @param label how each bar is named (the trial id, or its configuration) */
export function stageBarChart(trials: readonly TrialOk[], label: (t: TrialOk) => string): SafeHtml {
  const title = 'Time per stage (mean)';
  if (trials.length === 0) return noChart('stages', title, 'No trial ran, so there is no stage breakdown.');
  const width = 720;
  const height = 16 + trials.length * ROW + 52;
  const area = { left: LEFT, right: width - 24, top: 16, bottom: height - 52 };
  const maxMs = Math.max(...trials.map((t) => partsOf(t).reduce((sum, p) => sum + p.ms, 0)));
  const x = linearScale([0, maxMs * 1.05], [area.left, area.right]);
  const used = new Set<string>();
  const rows = trials.map((trial, i) => {
    const y = area.top + i * ROW + 4;
    let at = 0;
    const parts = partsOf(trial);
    const sum = parts.reduce((s, p) => s + p.ms, 0);
    const segments = parts.map((p) => {
      used.add(p.stage);
      const seg = html`<rect class="${`bar s${STAGE_ORDER.indexOf(p.stage)}`}" x="${px(x(at))}" y="${px(y)}" width="${px(Math.max(0.5, x(at + p.ms) - x(at)))}" height="${px(ROW - 8)}"><title>${`${p.stage}: ${formatMs(p.ms)} (${formatPercent(sum > 0 ? p.ms / sum : 0)})`}</title></rect>`;
      at += p.ms;
      return seg;
    });
    const name = label(trial);
    const short = name.length > 28 ? `${name.slice(0, 27)}…` : name;
    return html`<text class="tick" x="${px(area.left - 6)}" y="${px(y + (ROW - 8) / 2 + 4)}" text-anchor="end">${short}<title>${name}</title></text>${segments}<text class="value" x="${px(x(at) + 4)}" y="${px(y + (ROW - 8) / 2 + 4)}">${formatMs(sum)}</text>`;
  });
  const legend: SeriesStyle[] = PARTS.filter((p) => used.has(p)).map((p) => ({ label: p, slot: STAGE_ORDER.indexOf(p) }));
  return figure({
    kind: 'stages',
    title,
    width,
    height,
    area,
    x: { scale: x, title: 'mean time per request', format: (v) => formatMs(v) },
    body: rows,
    legend,
    caption: html`Each bar is one trial's request split into stages, by mean time (means add up; percentiles do not). A long preprocess or postprocess segment is work outside the model that a faster model or device will not remove.`,
  });
}
