// Precision variants as a trade-off: each variant's speed-up, the one the sweep table shows (items/s
// against the baseline trial, paired with its interval where measured), against how far its outputs
// drift from the fp32 trial of the same configuration (mean relative error, log scale, since fp16
// drifts ~1e-4 and int8 ~1e-2). Up and to the left is worse; the useful variants sit right and low.
import type { Report, TrialOk } from '../../types.js';
import { formatPercent, formatRatio, formatSignificant } from '../format.js';
import { html, type SafeHtml } from './escape.js';
import { linearScale, logScale } from './scale.js';
import { errorBar, figure, marker, noChart, plotArea, px } from './svg.js';
import { baselineTrial, formatSpeedUpCell, speedUpOf } from '../sweep-table.js';
import { referenceFor } from './sweep-series.js';

const PRECISION_SLOT: Record<string, number> = { fp32: 0, fp16: 1, int8: 3 };
/** Floor for a variant whose outputs match fp32 exactly, so it still has a place on a log axis. */
const ERROR_FLOOR = 1e-9;

export function accuracyChart(report: Report, label: (t: TrialOk) => string): SafeHtml {
  const title = 'Accuracy drift against speed-up';
  const baseline = baselineTrial(report.trials);
  const pairs = report.trials.flatMap((t) => {
    if (t.status !== 'ok' || t.accuracy === undefined || baseline === undefined) return [];
    const ref = referenceFor(t, report.trials);
    // The sweep table's speed-up (paired with its interval where measured), so chart and table agree.
    return ref === undefined ? [] : [{ t, ref, speedUp: speedUpOf(t, baseline), refSpeedUp: speedUpOf(ref, baseline), error: Math.max(ERROR_FLOOR, t.accuracy.overall.meanRelativeError) }];
  });
  if (pairs.length === 0 || baseline === undefined) return noChart('accuracy', title, 'No precision variant has both an accuracy check and an fp32 trial of the same configuration to compare with.');
  const area = plotArea();
  const sx = pairs.flatMap((p) => [p.speedUp.ratio, p.refSpeedUp.ratio, ...(p.speedUp.ci ?? [])]);
  const x = linearScale([Math.min(0.5, ...sx) * 0.9, Math.max(1.5, ...sx) * 1.1], [area.left, area.right]);
  const errs = pairs.map((p) => p.error);
  const y = logScale([Math.min(...errs) / 3, Math.max(...errs) * 3], [area.bottom, area.top]);
  const unity = html`<line class="guide" x1="${px(x(1))}" x2="${px(x(1))}" y1="${px(area.top)}" y2="${px(area.bottom)}"/><text class="note-text" x="${px(x(1) + 4)}" y="${px(area.top + 12)}">as fast as the baseline</text>`;
  const marks = pairs.map((p) => {
    const acc = p.t.accuracy!.overall;
    const measured = p.speedUp.paired ? 'paired' : 'sequential runs';
    const ref = p.ref === baseline ? '' : `; its fp32 (${p.ref.spec.id}) is at ${formatRatio(p.refSpeedUp.ratio)}`;
    const tip = `${label(p.t)}: ${formatSpeedUpCell(p.speedUp)} the baseline's items/s (${measured})${ref}, mean relative error ${formatSignificant(acc.meanRelativeError)}, cosine ${acc.cosineSimilarity.toFixed(5)}${acc.top1Agreement === null ? '' : `, top-1 agreement ${formatPercent(acc.top1Agreement)}`}`;
    const bar = p.speedUp.ci ? errorBar('x', y(p.error), x(p.speedUp.ci[0]), x(p.speedUp.ci[1]), p.speedUp.ci[0], p.speedUp.ci[1]) : '';
    return html`<g class="point" data-trial="${p.t.spec.id}" data-value="${String(p.speedUp.ratio)}">${bar}${marker(x(p.speedUp.ratio), y(p.error), PRECISION_SLOT[p.t.spec.precision] ?? 2, tip, 5)}</g>`;
  });
  const precisions = [...new Set(pairs.map((p) => p.t.spec.precision))];
  const paired = pairs.every((p) => p.speedUp.paired);
  return figure({
    kind: 'accuracy',
    title,
    area,
    x: { scale: x, title: `speed-up over the baseline, ${baseline.spec.id} (${paired ? 'paired' : 'ratio of sequential items/s'}, as in the sweep table)`, format: (v) => formatRatio(v) },
    y: { scale: y, title: 'mean relative error vs fp32 (log)', format: (v) => formatSignificant(v) },
    body: [unity, marks],
    legend: precisions.map((p) => ({ label: p, slot: PRECISION_SLOT[p] ?? 2 })),
    caption: html`One point per variant trial, at the speed-up the sweep table shows (items/s against the baseline trial, ${paired ? 'measured interleaved with it: the bar is its interval' : 'from separate runs, without an interval'}), against its output drift from the fp32 trial of the same configuration on identical inputs. Right of the dashed line the variant delivers more items/s than the baseline (hover for its own fp32's speed-up, cosine similarity and top-1 agreement); higher points drift further from fp32's outputs.`,
  });
}
