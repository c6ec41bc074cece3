// One matched trial of a comparison as an interval chart ("forest plot"): one row per stage
// metric, x = relative change head/base − 1. The grey band is the practical threshold ±t that a
// change must clear with its whole interval; the bar is the bootstrap interval, the dot the point
// change; colour, a symbol and the verdict word say the same thing three ways (never colour alone).
// A paired comparison in epochs adds, on its inference p50 row, one short tick per epoch: that
// epoch's ratio on its own sessions, so the spread the interval was widened for is in sight.
import { formatPercent, formatSignedPercent } from '../report/format.js';
import { html, type SafeHtml } from '../report/html/escape.js';
import { linearScale } from '../report/html/scale.js';
import { figure, px } from '../report/html/svg.js';
import { formatBaseValue, formatMetricValue } from './rows.js';
import type { MetricChange, Verdict } from './significance.js';
import type { TrialComparison } from './verdict.js';

export const VERDICT_SYMBOL: Record<Verdict, string> = { regressed: '▲', improved: '▼', unchanged: '=', inconclusive: '?' };

/** Changes beyond ±this are drawn clipped at the edge (an arrow says so); the text keeps the value. */
const MAX_SHOWN = 1;
const ROW = 24;
const LEFT = 150;
const RIGHT_TEXT = 290;

export function compareChart(trial: TrialComparison): SafeHtml {
  const rows: { name: string; m: MetricChange }[] = [
    ...trial.stages.flatMap((s) => s.metrics.map((m) => ({ name: `${s.stage} ${m.metric}`, m }))),
    ...(trial.throughput ? [{ name: 'throughput', m: trial.throughput }] : []),
  ];
  const width = 820;
  const height = 16 + rows.length * ROW + 52;
  const area = { left: LEFT, right: width - RIGHT_TEXT, top: 16, bottom: height - 52 };
  const reach = Math.min(MAX_SHOWN, Math.max(0.1, ...rows.flatMap((r) => [Math.abs(r.m.ci[0]), Math.abs(r.m.ci[1]), r.m.threshold])) * 1.1);
  const x = linearScale([-reach, reach], [area.left, area.right]);
  const clip = (v: number): number => x(Math.max(-reach, Math.min(reach, v)));
  const body = rows.map(({ name, m }, i) => {
    const y = area.top + i * ROW + ROW / 2;
    const cls = `v-${m.verdict}`;
    const clipped = m.ci[0] < -reach || m.ci[1] > reach ? html`<text class="${`tick ${cls}`}" x="${px(m.ci[1] > reach ? area.right + 2 : area.left - 10)}" y="${px(y + 4)}">${m.ci[1] > reach ? '→' : '←'}</text>` : '';
    const tip = `${name}: base ${formatBaseValue(m)} → head ${formatMetricValue(m)}, change ${formatSignedPercent(m.change)}, CI ${formatSignedPercent(m.ci[0])} … ${formatSignedPercent(m.ci[1])}, threshold ±${formatPercent(m.threshold)}: ${m.verdict}`;
    return html`<rect class="threshold-band" x="${px(x(-m.threshold))}" y="${px(y - ROW / 2 + 2)}" width="${px(x(m.threshold) - x(-m.threshold))}" height="${px(ROW - 4)}"/>
<text class="tick" x="${px(area.left - 8)}" y="${px(y + 4)}" text-anchor="end">${name}</text>
<line class="${`ci ${cls}`}" x1="${px(clip(m.ci[0]))}" x2="${px(clip(m.ci[1]))}" y1="${px(y)}" y2="${px(y)}"/>${clipped}
<circle class="${cls}" cx="${px(clip(m.change))}" cy="${px(y)}" r="4.5"><title>${tip}</title></circle>
<text class="${`verdict-label ${cls}`}" x="${px(area.right + 14)}" y="${px(y + 4)}">${`${VERDICT_SYMBOL[m.verdict]} ${m.verdict} ${formatSignedPercent(m.change)}`}</text>
<text class="tick" x="${px(area.right + 160)}" y="${px(y + 4)}">${`${formatBaseValue(m)} → ${formatMetricValue(m)}`}</text>`;
  });
  const zero = html`<line class="zero" x1="${px(x(0))}" x2="${px(x(0))}" y1="${px(area.top)}" y2="${px(area.bottom)}"/>`;
  const p50Row = rows.findIndex((r) => r.name === 'inference p50');
  const epochRatios = p50Row < 0 ? [] : (trial.paired?.epochP50Ratios ?? []);
  const epochs = epochRatios.map((ratio, e) => {
    const y = area.top + p50Row * ROW + ROW / 2;
    return html`<line class="epoch" x1="${px(clip(ratio - 1))}" x2="${px(clip(ratio - 1))}" y1="${px(y - 8)}" y2="${px(y + 8)}"><title>${`epoch ${e + 1} of ${epochRatios.length}: inference p50 head/base ${formatSignedPercent(ratio - 1)}`}</title></line>`;
  });
  return figure({
    kind: 'compare',
    title: 'Change head vs base, with interval and threshold',
    width,
    height,
    area,
    x: { scale: x, title: 'change of head relative to base (positive = slower; for throughput, positive = faster)', format: (v) => formatSignedPercent(v) },
    body: [body, zero, epochs],
    caption: html`Each row is one metric: the dot is the change head/base − 1, the bar its ${formatPercent(rows[0]?.m.level ?? 0.95)} bootstrap interval (widened for run-to-run variance), the grey band the threshold ±t. A verdict is decisive only when the whole bar clears the band; the word and symbol at the right carry the verdict without colour. Values past ±${formatPercent(reach)} are clipped at the edge (arrow); the text keeps them.${epochRatios.length > 1 ? ` The short ticks on the inference p50 row are the ${epochRatios.length} epochs' ratios, each measured on freshly opened sessions.` : ''}`,
  });
}
