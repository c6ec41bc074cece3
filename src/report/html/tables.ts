// Tables and fact lists: the numbers, readable without any chart. Rows come from the same
// builders the console and Markdown exporters use (facts.ts, sweep-table.ts, …), so a number
// reads the same in every format.
import { html, type HtmlValue, type SafeHtml } from './escape.js';

export type Align = 'left' | 'right';

/** `align`: the index of the first right-aligned (numeric) column, or one entry per column. */
export function table(header: readonly string[], rows: readonly (readonly HtmlValue[])[], align: number | readonly Align[] = 1, caption?: string): SafeHtml {
  const right = (i: number): boolean => (typeof align === 'number' ? i >= align : align[i] === 'right');
  const head = header.map((h, i) => html`<th scope="col" class="${right(i) ? 'num' : ''}">${h}</th>`);
  const body = rows.map((r) => html`<tr>${r.map((cell, i) => html`<td class="${right(i) ? 'num' : ''}">${cell}</td>`)}</tr>`);
  return html`<div class="table-wrap"><table>${caption ? html`<caption>${caption}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export function factList(facts: readonly (readonly [string, HtmlValue])[]): SafeHtml {
  return html`<dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}
