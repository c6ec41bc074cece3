// The per-operator profile (--op-profile) as a sorted bar chart: time per inference by op type,
// largest first, from ORT's profiler trace. Op types rather than single nodes, because a model
// with 200 Conv nodes has one question to answer — "is it the convolutions?" — and the node
// table next to the chart names the individual nodes.
import type { OpProfile } from '../../types.js';
import { formatPercent, formatUs } from '../format.js';
import { html, type SafeHtml } from './escape.js';
import { linearScale } from './scale.js';
import { figure, px } from './svg.js';

/** Bars drawn; the rest are summed into one "other" bar. */
export const OP_BARS = 15;
const ROW = 22;
const LEFT = 170;

export function opProfileChart(profile: OpProfile): SafeHtml {
  const runs = Math.max(1, profile.runs);
  const top = profile.byOpType.slice(0, OP_BARS).map((o) => ({ name: o.opType, us: o.totalUs / runs, share: o.shareOfInference, nodes: o.nodes }));
  const rest = profile.byOpType.slice(OP_BARS);
  if (rest.length > 0) top.push({ name: `other (${rest.length} op types)`, us: rest.reduce((s, o) => s + o.totalUs, 0) / runs, share: rest.reduce((s, o) => s + o.shareOfInference, 0), nodes: rest.reduce((s, o) => s + o.nodes, 0) });
  const width = 720;
  const height = 16 + top.length * ROW + 52;
  const area = { left: LEFT, right: width - 70, top: 16, bottom: height - 52 };
  const x = linearScale([0, Math.max(...top.map((o) => o.us), 1e-9) * 1.02], [area.left, area.right]);
  const rows = top.map((o, i) => {
    const y = area.top + i * ROW + 3;
    return html`<text class="tick" x="${px(area.left - 6)}" y="${px(y + (ROW - 6) / 2 + 4)}" text-anchor="end">${o.name.length > 24 ? `${o.name.slice(0, 23)}…` : o.name}<title>${o.name}</title></text><rect class="bar s0" x="${px(area.left)}" y="${px(y)}" width="${px(Math.max(0.5, x(o.us) - area.left))}" height="${px(ROW - 6)}"><title>${`${o.name}: ${formatUs(o.us)} per inference, ${formatPercent(o.share)} of inference, ${o.nodes} nodes`}</title></rect><text class="value" x="${px(x(o.us) + 4)}" y="${px(y + (ROW - 6) / 2 + 4)}">${formatPercent(o.share)}</text>`;
  });
  return figure({
    kind: 'op-profile',
    title: 'Time per operator type',
    width,
    height,
    area,
    x: { scale: x, title: 'kernel time per inference', format: (v) => formatUs(v) },
    body: rows,
    caption: html`Kernel time per inference by op type, from ONNX Runtime's profiler over ${profile.runs} runs (outside the timed loop); the label is the share of inference time. Optimise the top bars first. Kernels add up to ${formatPercent(profile.kernelUs / Math.max(1, profile.inferenceUs))} of inference time; the rest is the executor's own overhead.`,
  });
}
