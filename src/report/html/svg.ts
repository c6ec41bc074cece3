// The frame every chart shares: a fixed viewBox, axes with ticks and titles (units in the title),
// grid lines, a legend, and a <figure> with the caption that says what to read from the chart.
// Charts are static inline SVG, styled by the page's CSS classes (colours follow the light/dark
// scheme), so they need no script and print as vectors.
import { html, join, trusted, type HtmlValue, type SafeHtml } from './escape.js';
import type { Scale } from './scale.js';

export const WIDTH = 720;
export const HEIGHT = 320;
const MARGIN = { left: 76, right: 24, top: 16, bottom: 52 };

export interface Area {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The plotting rectangle inside a chart of the given size (y grows downwards). */
export function plotArea(width = WIDTH, height = HEIGHT): Area {
  return { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };
}

/** A coordinate for an SVG attribute: one decimal is below a pixel at any print size. */
export function px(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '0';
}

export interface Axis {
  scale: Scale;
  /** With the unit, e.g. "latency (ms)". */
  title: string;
  format(value: number): string;
  ticks?: readonly number[];
}

export interface SeriesStyle {
  label: string;
  /** Palette slot 0–7 (colour, dash and marker shape all vary with it). */
  slot: number;
  /** Draw the legend entry dashed (a second line of the same series, e.g. p99). */
  dashed?: boolean;
}

/** A polyline through the points (NaN points break it into segments). */
export function line(points: readonly (readonly [number, number])[], slot: number, dashed = false): SafeHtml {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(x)} ${px(y)}`;
    pen = true;
  }
  return html`<path class="${`series s${slot % 8}${dashed ? ' dashed' : ''}`}" d="${d}"/>`;
}

/** A marker whose shape varies with the slot, so series differ by more than colour. */
export function marker(x: number, y: number, slot: number, tooltip: string, r = 4): SafeHtml {
  const cls = `mark s${slot % 8}`;
  const shape = slot % 4;
  const title = html`<title>${tooltip}</title>`;
  if (shape === 0) return html`<circle class="${cls}" cx="${px(x)}" cy="${px(y)}" r="${px(r)}">${title}</circle>`;
  if (shape === 1) return html`<rect class="${cls}" x="${px(x - r)}" y="${px(y - r)}" width="${px(2 * r)}" height="${px(2 * r)}">${title}</rect>`;
  const pts = shape === 2 ? [[x, y - r * 1.2], [x + r * 1.1, y + r * 0.8], [x - r * 1.1, y + r * 0.8]] : [[x, y - r * 1.3], [x + r * 1.3, y], [x, y + r * 1.3], [x - r * 1.3, y]];
  return html`<polygon class="${cls}" points="${pts.map(([a, b]) => `${px(a!)},${px(b!)}`).join(' ')}">${title}</polygon>`;
}

function xAxis(axis: Axis, area: Area): SafeHtml {
  const ticks = axis.ticks ?? axis.scale.ticks(6);
  const marks = ticks.map((t) => {
    const x = axis.scale(t);
    return html`<line class="grid" x1="${px(x)}" x2="${px(x)}" y1="${px(area.top)}" y2="${px(area.bottom)}"/><text class="tick" x="${px(x)}" y="${px(area.bottom + 16)}" text-anchor="middle">${axis.format(t)}</text>`;
  });
  const mid = (area.left + area.right) / 2;
  return html`<g class="axis x">${marks}<line class="domain" x1="${px(area.left)}" x2="${px(area.right)}" y1="${px(area.bottom)}" y2="${px(area.bottom)}"/><text class="axis-title" x="${px(mid)}" y="${px(area.bottom + 40)}" text-anchor="middle">${axis.title}</text></g>`;
}

function yAxis(axis: Axis, area: Area): SafeHtml {
  const ticks = axis.ticks ?? axis.scale.ticks(5);
  const marks = ticks.map((t) => {
    const y = axis.scale(t);
    return html`<line class="grid" x1="${px(area.left)}" x2="${px(area.right)}" y1="${px(y)}" y2="${px(y)}"/><text class="tick" x="${px(area.left - 6)}" y="${px(y + 4)}" text-anchor="end">${axis.format(t)}</text>`;
  });
  const mid = (area.top + area.bottom) / 2;
  return html`<g class="axis y">${marks}<line class="domain" x1="${px(area.left)}" x2="${px(area.left)}" y1="${px(area.top)}" y2="${px(area.bottom)}"/><text class="axis-title" transform="${`translate(16 ${px(mid)}) rotate(-90)`}" text-anchor="middle">${axis.title}</text></g>`;
}

/** An HTML legend: a swatch drawn with the series' own class, then its label. */
export function legend(entries: readonly SeriesStyle[]): SafeHtml | '' {
  if (entries.length === 0) return '';
  const items = entries.map(
    (e) => html`<li><svg width="28" height="12" aria-hidden="true"><line class="${`series s${e.slot % 8}${e.dashed ? ' dashed' : ''}`}" x1="2" x2="26" y1="6" y2="6"/></svg>${e.label}</li>`,
  );
  return html`<ul class="legend">${items}</ul>`;
}

export interface PanelSpec {
  body: HtmlValue;
  x?: Axis;
  y?: Axis;
  area?: Area;
  width?: number;
  height?: number;
  /** For screen readers: what the panel shows. */
  label: string;
}

/** One SVG plot: axes under the body. */
export function panel(spec: PanelSpec): SafeHtml {
  const width = spec.width ?? WIDTH;
  const height = spec.height ?? HEIGHT;
  const area = spec.area ?? plotArea(width, height);
  const axes = join([spec.x ? xAxis(spec.x, area) : '', spec.y ? yAxis(spec.y, area) : '']);
  const viewBox = `0 0 ${width} ${height}`;
  return html`<svg class="plot" viewBox="${viewBox}" role="img" aria-label="${spec.label}">${axes}<g class="body">${spec.body}</g></svg>`;
}

export interface FigureSpec extends Partial<PanelSpec> {
  /** Chart kind, for tests and styling (data-chart). */
  kind: string;
  title: string;
  /** What to read from the chart, in a sentence or two. */
  caption: HtmlValue;
  legend?: readonly SeriesStyle[];
  /** Several plots stacked on one figure (sharing an x axis); otherwise the single panel given by body/x/y. */
  panels?: readonly PanelSpec[];
}

/** A chart as a <figure>: title, the SVG panel(s), legend, caption. */
export function figure(spec: FigureSpec): SafeHtml {
  const panels = spec.panels ?? [{ ...spec, body: spec.body, label: spec.title }];
  return html`<figure class="chart" data-chart="${spec.kind}"><h4>${spec.title}</h4>${panels.map(panel)}${legend(spec.legend ?? [])}<figcaption>${spec.caption}</figcaption></figure>`;
}

/** A short paragraph in place of a chart that has no data, saying why. */
export function noChart(kind: string, title: string, why: string): SafeHtml {
  return html`<figure class="chart empty" data-chart="${kind}" data-empty="true"><h4>${title}</h4><p class="note">${why}</p></figure>`;
}

export { trusted };

/**
 * An interval drawn as an error bar through a point: horizontal (x from x0 to x1 at y) or
 * vertical (y from y0 to y1 at x), with end caps. `data-lo`/`data-hi` carry the interval's values
 * so a reader (or a test in a browser) can check them against the table.
 */
export function errorBar(orientation: 'x' | 'y', at: number, from: number, to: number, lo: number, hi: number, cap = 4): SafeHtml {
  const [x1, y1, x2, y2] = orientation === 'x' ? [from, at, to, at] : [at, from, at, to];
  const caps = orientation === 'x'
    ? html`<line x1="${px(from)}" x2="${px(from)}" y1="${px(at - cap)}" y2="${px(at + cap)}"/><line x1="${px(to)}" x2="${px(to)}" y1="${px(at - cap)}" y2="${px(at + cap)}"/>`
    : html`<line x1="${px(at - cap)}" x2="${px(at + cap)}" y1="${px(from)}" y2="${px(from)}"/><line x1="${px(at - cap)}" x2="${px(at + cap)}" y1="${px(to)}" y2="${px(to)}"/>`;
  return html`<g class="errbar" data-lo="${String(lo)}" data-hi="${String(hi)}"><line x1="${px(x1)}" x2="${px(x2)}" y1="${px(y1)}" y2="${px(y2)}"/>${caps}</g>`;
}
