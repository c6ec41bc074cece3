// The roofline (Williams, Waterman & Patterson, CACM 2009): attainable GFLOP/s = min(peak compute,
// intensity × peak bandwidth), on log–log axes, with each profiled trial as a point at its
// arithmetic intensity and achieved rate. The roofs are the machine's calibrated peaks
// (`inferbench calibrate`), the same numbers the classifier used, and each point's label carries
// the trial's bound and the classifier's verdict so the picture and the words can be checked
// against each other.
import type { TrialOk } from '../../types.js';
import { formatPercent, formatQuantity, formatTick } from '../format.js';
import { html, type SafeHtml } from './escape.js';
import { logScale } from './scale.js';
import { figure, line, marker, noChart, plotArea, px } from './svg.js';

type Profiled = TrialOk & { roofline: NonNullable<TrialOk['roofline']> };

export function rooflineChart(trials: readonly TrialOk[], label: (t: TrialOk) => string): SafeHtml {
  const points = trials.filter((t): t is Profiled => t.roofline !== undefined);
  const title = 'Roofline';
  if (points.length === 0) return noChart('roofline', title, 'No trial has a roofline position: run with --op-profile on the CPU (it needs the FLOP count and the calibrated peaks).');
  const { gflops, gbps } = points[0]!.roofline.calibration;
  const ridge = gflops / gbps;
  const intensities = points.map((p) => p.roofline.arithmeticIntensity);
  const rates = points.map((p) => p.roofline.achievedGflops);
  const xLo = Math.min(ridge / 10, ...intensities) / 2;
  const xHi = Math.max(ridge * 10, ...intensities) * 2;
  const area = plotArea();
  const x = logScale([xLo, xHi], [area.left, area.right]);
  const y = logScale([Math.min(xLo * gbps, ...rates) / 2, Math.max(gflops, ...rates) * 2], [area.bottom, area.top]);
  const roof = [xLo, ridge, xHi].map((i) => [x(i), y(Math.min(gflops, i * gbps))] as const);
  const ridgeLine = html`<line class="guide" x1="${px(x(ridge))}" x2="${px(x(ridge))}" y1="${px(area.top)}" y2="${px(area.bottom)}"/><text class="note-text" x="${px(x(ridge) + 4)}" y="${px(area.bottom - 6)}">ridge ${formatQuantity(ridge, 'FLOP/byte')}</text>`;
  const roofLabels = html`<text class="note-text" x="${px(area.right - 4)}" y="${px(y(gflops) - 6)}" text-anchor="end">peak compute ${formatQuantity(gflops, 'GFLOP/s')}</text><text class="note-text" x="${px(x(xLo) + 6)}" y="${px(y(xLo * gbps) - 8)}">bandwidth ${formatQuantity(gbps, 'GB/s')}</text>`;
  const marks = points.map((t, i) => {
    const r = t.roofline;
    const verdict = t.bottleneck?.label ?? 'not classified';
    const text = `${label(t)}: ${formatQuantity(r.achievedGflops, 'GFLOP/s')} at ${formatQuantity(r.arithmeticIntensity, 'FLOP/byte')}, ${formatPercent(r.fractionOfPeak)} of the ${r.bound} roof; classified ${verdict}`;
    const px0 = x(r.arithmeticIntensity);
    const py0 = y(r.achievedGflops);
    const right = px0 > (area.left + area.right) / 2;
    const tag = points.length <= 4 ? html`<text class="point-label" x="${px(right ? px0 - 9 : px0 + 9)}" y="${px(py0 + 4)}" text-anchor="${right ? 'end' : 'start'}">${`${r.bound}-bound roof, ${formatPercent(r.fractionOfPeak)} · ${verdict}`}</text>` : '';
    return html`${marker(px0, py0, i + 1, text, 5)}${tag}`;
  });
  const mixed = points.some((p) => p.roofline.calibration.gflops !== gflops || p.roofline.calibration.gbps !== gbps);
  return figure({
    kind: 'roofline',
    title,
    area,
    x: { scale: x, title: 'arithmetic intensity (FLOP/byte, log scale)', format: formatTick },
    y: { scale: y, title: 'GFLOP/s (log scale)', format: formatTick },
    body: [line(roof, 7), ridgeLine, roofLabels, marks],
    legend: points.map((t, i) => ({ label: `${label(t)} — ${t.bottleneck?.label ?? 'not classified'}`, slot: i + 1 })),
    caption: html`The roof is the most a kernel mix of that intensity can reach on this machine (calibrated ${points[0]!.roofline.calibration.measuredAt}). Left of the ridge memory bandwidth limits, right of it compute does. A point far below its roof leaves the hardware idle (small batch, threading, framework overhead); a point near it needs a cheaper model or faster hardware.${mixed ? ' Trials were calibrated differently; the roof shown is the first trial\'s.' : ''}`,
  });
}
