// --serve: one stacked horizontal bar chart per protocol — the mean served request split into the
// model in process (the base), serialize, transport, the server's queue (an average from its
// statistics) and deserialize. Means because means add up (the bar's length is the served mean);
// every protocol's chart has the same x scale, so JSON, binary and gRPC compare by eye. Each
// segment carries its value (data-ms, the report's number) for the browser test to read back.
import type { ServedRow, ServingOverhead } from '../../types.js';
import { formatMs, formatRate } from '../format.js';
import { rowsByProtocol, SEGMENTS } from '../serving-overhead-section.js';
import { html, type SafeHtml } from './escape.js';
import { linearScale } from './scale.js';
import { figure, px, type SeriesStyle } from './svg.js';

const ROW = 28;
const LEFT = 190;
const WIDTH = 720;

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

function bar(row: ServedRow, i: number, x: (v: number) => number, top: number): SafeHtml {
  const y = top + i * ROW + 4;
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

export function servingCharts(section: ServingOverhead): SafeHtml[] {
  const groups = rowsByProtocol(section).map((g) => ({ ...g, rows: g.rows.filter((r) => r.segments) })).filter((g) => g.rows.length > 0);
  const all = groups.flatMap((g) => g.rows);
  if (all.length === 0) return [];
  const max = Math.max(...all.map(total));
  const legend: SeriesStyle[] = SEGMENTS.map((s, slot) => ({ label: s.label, slot }));
  return groups.map((g) => {
    const height = 16 + g.rows.length * ROW + 52;
    const area = { left: LEFT, right: WIDTH - 60, top: 16, bottom: height - 52 };
    const x = linearScale([0, max * 1.05], [area.left, area.right]);
    return figure({
      kind: 'serving',
      title: `${g.label}: where the mean request's time goes`,
      width: WIDTH,
      height,
      area,
      x: { scale: x, title: 'mean time per request', format: (v) => formatMs(v) },
      body: g.rows.map((r, i) => bar(r, i, x, area.top)),
      legend,
      caption: html`The base is the model in process; what follows is what serving over ${g.label} adds. Means, so the segments add up to the served mean; the server's queue is an average from its statistics extension. Same scale on every protocol's chart.`,
    });
  });
}
