// The page's only stylesheet, inlined. Colours are CSS custom properties switched by
// prefers-color-scheme, so the inline SVG (styled by class, never by fixed colours) follows the
// system's light or dark mode. The series palette is Okabe & Ito's ("Color Universal Design",
// 2008), chosen to stay distinguishable under the common colour-vision deficiencies; each series
// also has its own marker shape, and p99 lines are dashed, so nothing depends on colour alone.
// Verdicts carry a word and a symbol next to their colour.
import { trusted, type SafeHtml } from './escape.js';

const CSS = `
:root { color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1b1b; --muted: #5f6368; --grid: #e3e3e3; --panel: #f6f7f8; --border: #d0d4d9;
  --c0: #0072B2; --c1: #E69F00; --c2: #009E73; --c3: #D55E00; --c4: #CC79A7; --c5: #56B4E9; --c6: #9a8a00; --c7: #555555;
  --regressed: #D55E00; --improved: #009E73; --unchanged: #6b6b6b; --inconclusive: #B07800;
  --band-warmup: rgba(230,159,0,0.13); --band-measure: rgba(0,114,178,0.08); --band-load: rgba(120,120,120,0.12); --band-idle: transparent; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #16181b; --fg: #e8e8e8; --muted: #a0a4a8; --grid: #2c3035; --panel: #1f2226; --border: #3a3f45;
  --c0: #56B4E9; --c1: #E69F00; --c2: #2BC39A; --c3: #FF7A33; --c4: #E08FC0; --c5: #9AD3F5; --c6: #F0E442; --c7: #bdbdbd;
  --regressed: #FF7A33; --improved: #2BC39A; --unchanged: #a0a0a0; --inconclusive: #F0C030;
  --band-warmup: rgba(230,159,0,0.16); --band-measure: rgba(86,180,233,0.10); --band-load: rgba(200,200,200,0.10); } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 1.5rem; background: var(--bg); color: var(--fg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.08rem; margin: 1.5rem 0 .5rem; } h4 { font-size: .95rem; margin: 0 0 .3rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.sub { color: var(--muted); margin: 0 0 1rem; overflow-wrap: anywhere; }
nav.toc ul { columns: 2; padding-left: 1.2rem; } nav.toc a { color: inherit; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .88rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--grid); padding: .2rem .55rem; text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: 600; } td.num, th.num { text-align: right; white-space: nowrap; }
.table-wrap { overflow-x: auto; }
.warning { border-left: 4px solid var(--inconclusive); background: var(--panel); padding: .3rem .6rem; margin: .3rem 0; }
.banner { border-left: 4px solid var(--regressed); background: var(--panel); padding: .5rem .8rem; }
.note, figcaption { color: var(--muted); font-size: .88rem; }
.charts { display: grid; grid-template-columns: 1fr; gap: 1.2rem; }
figure.chart { margin: 0; padding: .8rem; background: var(--panel); border: 1px solid var(--border); border-radius: 6px; break-inside: avoid; }
svg.plot { width: 100%; height: auto; display: block; overflow: visible; }
svg text { fill: var(--fg); font-size: 11px; font-family: inherit; }
svg .tick, svg .note-text { fill: var(--muted); } svg .axis-title { font-size: 12px; fill: var(--fg); }
svg .grid { stroke: var(--grid); stroke-width: 1; } svg .domain { stroke: var(--muted); stroke-width: 1; }
svg .series { fill: none; stroke-width: 2; stroke-linejoin: round; } svg .series.dashed { stroke-dasharray: 6 4; stroke-width: 1.6; }
svg .guide { stroke: var(--muted); stroke-dasharray: 3 3; } svg .budget { stroke: var(--regressed); stroke-width: 1.5; stroke-dasharray: 8 3 2 3; }
svg .budget-label { fill: var(--regressed); font-weight: 600; } svg .knee { fill: none; stroke: var(--fg); stroke-width: 2; }
svg .knee-label, svg .point-label, svg .verdict-label { font-weight: 600; } svg .errbar line { stroke: var(--fg); stroke-width: 1.2; opacity: 0.7; }
svg .knee-line { stroke: var(--fg); stroke-width: 1.5; stroke-dasharray: 2 3; } svg .overloaded { stroke: var(--regressed); stroke-width: 2.5; fill: none; }
section.trial { content-visibility: auto; contain-intrinsic-size: auto 1600px; }
svg .value { fill: var(--muted); font-size: 10.5px; dominant-baseline: middle; } svg .bar + title { }
svg text.tick { dominant-baseline: auto; }
svg .band-label { fill: var(--muted); font-size: 10px; }
.s0 { stroke: var(--c0); fill: var(--c0); } .s1 { stroke: var(--c1); fill: var(--c1); } .s2 { stroke: var(--c2); fill: var(--c2); }
.s3 { stroke: var(--c3); fill: var(--c3); } .s4 { stroke: var(--c4); fill: var(--c4); } .s5 { stroke: var(--c5); fill: var(--c5); }
.s6 { stroke: var(--c6); fill: var(--c6); } .s7 { stroke: var(--c7); fill: var(--c7); }
svg .series.s0, svg .series.s1, svg .series.s2, svg .series.s3, svg .series.s4, svg .series.s5, svg .series.s6, svg .series.s7 { fill: none; }
svg rect.bar { stroke: var(--bg); stroke-width: .5; }
.band { stroke: none; } .phase-warmup { fill: var(--band-warmup); } .phase-measure { fill: var(--band-measure); } .phase-load { fill: var(--band-load); } .phase-idle { fill: var(--band-idle); }
ul.legend { list-style: none; padding: 0; margin: .3rem 0; display: flex; flex-wrap: wrap; gap: .2rem 1rem; font-size: .85rem; }
ul.legend li { display: flex; align-items: center; gap: .3rem; } ul.legend svg { flex: none; }
.verdict { font-weight: 700; } .v-regressed { color: var(--regressed); } .v-improved { color: var(--improved); }
.v-unchanged { color: var(--unchanged); } .v-inconclusive { color: var(--inconclusive); }
svg .v-regressed { fill: var(--regressed); stroke: var(--regressed); } svg .v-improved { fill: var(--improved); stroke: var(--improved); }
svg .v-unchanged { fill: var(--unchanged); stroke: var(--unchanged); } svg .v-inconclusive { fill: var(--inconclusive); stroke: var(--inconclusive); }
svg text.verdict-label, svg text.tick { stroke: none; }
svg .threshold-band { fill: var(--grid); opacity: .8; } svg .ci { stroke-width: 3; } svg .zero { stroke: var(--muted); } svg .epoch { stroke: var(--fg); stroke-width: 1.5; opacity: .7; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #444; --panel: #fff; --grid: #ddd; }
  body { max-width: none; padding: 0; font-size: 11pt; } nav.toc { display: none; }
  figure.chart, table, .trial-head { break-inside: avoid; } h2 { break-before: auto; } section.trial { break-before: page; }
  a { color: inherit; text-decoration: none; } }
`;

export function stylesheet(): SafeHtml {
  return trusted(`<style>${CSS.trim()}</style>`);
}
