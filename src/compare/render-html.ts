// A Comparison as a self-contained HTML page: the verdict headline (colour + symbol + word), the
// caveats, then per matched trial an interval chart and the full metric table, then budgets.
// Renders the Comparison type as it is; fields added to it later get their own block here.
import { html, type SafeHtml } from '../report/html/escape.js';
import { page } from '../report/html/page.js';
import { table } from '../report/html/tables.js';
import { formatCount, formatPercent } from '../report/format.js';
import { compareChart, VERDICT_SYMBOL } from './html-chart.js';
import { BUDGET_HEADER, budgetRows, explain, headline, methodLine, metricHeader, metricRows, pairedLine, repetitionsLine, sideLine, stabilityLine, trialTitle } from './rows.js';
import type { Verdict } from './significance.js';
import { caveats, notes, type Comparison, type TrialComparison } from './verdict.js';

function verdict(v: Verdict): SafeHtml {
  return html`<span class="${`verdict v-${v}`}">${VERDICT_SYMBOL[v]} ${v}</span>`;
}

function trialBlock(c: Comparison, trial: TrialComparison, index: number): SafeHtml {
  const head = html`<h3 id="${`trial-${index + 1}`}">${verdict(trial.verdict)} — <code>${trialTitle(trial)}</code></h3>`;
  if (trial.note !== undefined) return html`<section class="trial">${head}<p class="warning">${trial.note}</p></section>`;
  const stability = stabilityLine(trial);
  const repetitions = repetitionsLine(trial);
  const paired = pairedLine(trial);
  const all = [...trial.stages.flatMap((s) => s.metrics.map((m) => [s.stage, m] as const)), ...(trial.throughput ? [['trial', trial.throughput] as const] : [])];
  const notable = all.filter(([, m]) => m.verdict !== 'unchanged');
  return html`<section class="trial">${head}${paired ? html`<p class="note"><strong>${paired}</strong></p>` : ''}${stability ? html`<p class="warning">⚠ ${stability}</p>` : ''}${repetitions ? html`<p class="note">${repetitions}</p>` : ''}
${compareChart(trial)}
${table(metricHeader(c), metricRows(trial, (v) => `${VERDICT_SYMBOL[v]} ${v}`), 2)}
${notable.length > 0 ? html`<ul>${notable.map(([stage, m]) => html`<li><strong>${stage} ${m.metric}</strong> ${verdict(m.verdict)}: ${explain(m)}</li>`)}</ul>` : ''}</section>`;
}

export function renderCompareHtml(c: Comparison): string {
  const title = `inferbench compare: ${c.verdict}`;
  const body = html`<header><h1>${verdict(c.verdict)} <span>inferbench compare</span></h1><p>${headline(c)}</p>
<ul><li><strong>base:</strong> ${sideLine(c.base)}</li><li><strong>head:</strong> ${sideLine(c.head)}</li></ul><p class="note">${methodLine(c)}</p></header>
${caveats(c).map((w) => html`<p class="warning">⚠ ${w}</p>`)}${notes(c).map((n) => html`<p class="note">ℹ ${n}</p>`)}
<section id="trials"><h2>Trials (${formatCount(c.trials.length)})</h2>${c.trials.length === 0 ? html`<p>No trial matched: nothing was compared.</p>` : c.trials.map((t, i) => trialBlock(c, t, i))}</section>
${c.budgets.length > 0 ? html`<section id="budgets"><h2>Budgets (head)</h2>${table(BUDGET_HEADER, budgetRows(c.budgets, (pass) => (pass ? '✓ pass' : '✗ FAIL')), 2)}</section>` : ''}
<footer>Method: ${formatPercent(c.method.level)} ${c.path === 'paired' ? 'paired block bootstrap CI of head/base over the interleaved blocks' : "percentile-bootstrap CI of head/base from the reports' HDR histograms, widened for drift, contention and the run-to-run allowance"} (B = ${formatCount(c.method.resamples)}, seed ${c.method.seed}); a regression needs the whole CI above the threshold. Exit code ${c.exitCode}. Self-contained page: no scripts, no network.</footer>`;
  return page(title, body);
}
