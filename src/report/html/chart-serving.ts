// --serve: ONE stacked horizontal bar chart, a bar per protocol (and per loop and configuration)
// — the mean served request split into the model in process (the base), serialize, transport,
// the server's queue (an average from its statistics) and deserialize. Means because means add up
// (the bar's length is the served mean); one axis, so JSON, binary and gRPC compare by eye, the
// protocols' bars grouped under their names. Each segment carries its value (data-ms, the
// report's number) for the browser test to read back.
import type { ServedRow, ServingOverhead } from '../../types.js';
import { formatMs, formatRate } from '../format.js';
import { rowsByProtocol, SEGMENTS } from '../serving-overhead-section.js';
import { html, type SafeHtml } from './escape.js';
import { linearScale } from './scale.js';
import { figure, px, type SeriesStyle } from './svg.js';

const ROW = 28;
const LEFT = 300;
/** Extra space above each protocol's first bar, for its name. */
const GROUP_GAP = 20;
const WIDTH = 880;

const drawn = (value: number | null): number => Math.max(0, value ?? 0);

function total(row: ServedRow): number {
  return SEGMENTS.reduce((sum, s) => sum + drawn(row.segments![s.key]), 0);
}

/** 'closed · batch=1' or '200 req/s · batch=1': the loop and the configuration (the full trial id is the tooltip). */
export function barLabel(row: ServedRow): string {
  const batch = /batch=\S+/.exec(row.inProcessTrialId)?.[0] ?? '';
  const loop = row.loop === 'open' ? `${formatRate(row.rate ?? 0, 'req/s')}` : 'closed loop';
  return [loop, batch].filter(Boolean).join(' · ');
}

function bar(row: ServedRow, y: number, x: (v: number) => number): SafeHtml {
  let at = 0;
  const segments = SEGMENTS.map((s, slot) => {
    const value = row.segments![s.key];
    const width = drawn(value);
    const rect = html`<rect class="${`bar s${slot}`}" data-segment="${s.key}" data-ms="${value === null ? 'null' : String(value)}" x="${px(x(at))}" y="${px(y)}" width="${px(Math.max(value === null ? 0 : 0.5, x(at + width) - x(at)))}" height="${px(ROW - 10)}"><title>${`${s.label}: ${value === null ? 'not reported' : formatMs(value)}`}</title></rect>`;
    at += width;
    return rect;
  });
  const name = barLabel(row);
  return html`<g class="served" data-protocol="${row.protocol}" data-trial="${row.inProcessTrialId}" data-served-mean="${String(row.servedMeanMs)}"><text class="tick" x="${px(LEFT - 6)}" y="${px(y + (ROW - 10) / 2 + 4)}" text-anchor="end">${name}<title>${row.inProcessTrialId}</title></text>${segments}<text class="value" x="${px(x(at) + 4)}" y="${px(y + (ROW - 10) / 2 + 4)}">${formatMs(row.servedMeanMs ?? at)}</text></g>`;
}

/** The one chart of the section (empty when no served row has segments). */
export function servingCharts(section: ServingOverhead): SafeHtml[] {
  const groups = rowsByProtocol(section).map((g) => ({ ...g, rows: g.rows.filter((r) => r.segments) })).filter((g) => g.rows.length > 0);
  const all = groups.flatMap((g) => g.rows);
  if (all.length === 0) return [];
  const max = Math.max(...all.map(total));
  const legend: SeriesStyle[] = SEGMENTS.map((s, slot) => ({ label: s.label, slot }));
  const plotHeight = groups.length * GROUP_GAP + all.length * ROW;
  const height = 16 + plotHeight + 52;
  const area = { left: LEFT, right: WIDTH - 60, top: 16, bottom: 16 + plotHeight };
  const x = linearScale([0, max * 1.05], [area.left, area.right]);
  const body: SafeHtml[] = [];
  let y = area.top;
  for (const g of groups) {
    y += GROUP_GAP;
    body.push(html`<text class="group" x="${px(8)}" y="${px(y - 6)}" font-weight="600">${g.label}</text>`);
    for (const row of g.rows) {
      body.push(bar(row, y + 4, x));
      y += ROW;
    }
  }
  return [figure({
    kind: 'serving',
    title: "Where the mean request's time goes, per protocol",
    width: WIDTH,
    height,
    area,
    x: { scale: x, title: 'mean time per request', format: (v) => formatMs(v) },
    body,
    legend,
    caption: html`The base is the model in process; what follows is what serving over each protocol adds. Means, so the segments add up to the served mean; the server's queue is an average from its statistics extension.`,
  })];
}
