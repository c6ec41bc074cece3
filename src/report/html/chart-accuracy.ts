// Precision variants as a trade-off: speed-up over the fp32 model of the same configuration
// against how far the variant's outputs drift from fp32's (mean relative error, log scale, since
// fp16 drifts ~1e-4 and int8 ~1e-2). Up and to the left is worse; the useful variants sit right
// and low.
import type { Report, TrialOk } from '../../types.js';
import { formatPercent, formatRatio, formatSignificant } from '../format.js';
import { html, type SafeHtml } from './escape.js';
import { linearScale, logScale } from './scale.js';
import { figure, marker, noChart, plotArea, px } from './svg.js';
import { referenceFor } from './sweep-series.js';

const PRECISION_SLOT: Record<string, number> = { fp32: 0, fp16: 1, int8: 3 };
/** Floor for a variant whose outputs match fp32 exactly, so it still has a place on a log axis. */
const ERROR_FLOOR = 1e-9;

export function accuracyChart(report: Report, label: (t: TrialOk) => string): SafeHtml {
  const title = 'Accuracy drift against speed-up';
  const pairs = report.trials.flatMap((t) => {
    if (t.status !== 'ok' || t.accuracy === undefined) return [];
    const ref = referenceFor(t, report.trials);
    return ref === undefined ? [] : [{ t, speedUp: t.throughput.itemsPerSec / ref.throughput.itemsPerSec, error: Math.max(ERROR_FLOOR, t.accuracy.overall.meanRelativeError) }];
  });
  if (pairs.length === 0) return noChart('accuracy', title, 'No precision variant has both an accuracy check and an fp32 trial of the same configuration to compare with.');
  const area = plotArea();
  const sx = pairs.map((p) => p.speedUp);
  const x = linearScale([Math.min(0.5, ...sx) * 0.9, Math.max(1.5, ...sx) * 1.1], [area.left, area.right]);
  const errs = pairs.map((p) => p.error);
  const y = logScale([Math.min(...errs) / 3, Math.max(...errs) * 3], [area.bottom, area.top]);
  const unity = html`<line class="guide" x1="${px(x(1))}" x2="${px(x(1))}" y1="${px(area.top)}" y2="${px(area.bottom)}"/><text class="note-text" x="${px(x(1) + 4)}" y="${px(area.top + 12)}">as fast as fp32</text>`;
  const marks = pairs.map((p) => {
    const acc = p.t.accuracy!.overall;
    const tip = `${label(p.t)}: ${formatRatio(p.speedUp)} the fp32 throughput, mean relative error ${formatSignificant(acc.meanRelativeError)}, cosine ${acc.cosineSimilarity.toFixed(5)}${acc.top1Agreement === null ? '' : `, top-1 agreement ${formatPercent(acc.top1Agreement)}`}`;
    return marker(x(p.speedUp), y(p.error), PRECISION_SLOT[p.t.spec.precision] ?? 2, tip, 5);
  });
  const precisions = [...new Set(pairs.map((p) => p.t.spec.precision))];
  return figure({
    kind: 'accuracy',
    title,
    area,
    x: { scale: x, title: 'speed-up over fp32 (throughput ratio, same device, batch, threads)', format: (v) => formatRatio(v) },
    y: { scale: y, title: 'mean relative error vs fp32 (log)', format: (v) => formatSignificant(v) },
    body: [unity, marks],
    legend: precisions.map((p) => ({ label: p, slot: PRECISION_SLOT[p] ?? 2 })),
    caption: html`One point per variant trial against the fp32 trial of the same configuration, on identical inputs. Right of the dashed line the variant is faster; higher points drift further from fp32's outputs (hover for cosine similarity and top-1 agreement, also in the sweep table). A variant left of the line costs accuracy for nothing.`,
  });
}
