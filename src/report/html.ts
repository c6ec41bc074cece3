// The HTML report: one self-contained page per run (inline CSS, static SVG charts, no script, a
// Content-Security-Policy that forbids any fetch), so it opens from disk, prints, and reads with
// JavaScript off. Pure like every exporter: render(report) → string. The pieces live in html/:
// escape.ts (escaping by default), page.ts (shell and CSP), one file per chart.
import type { Report, TrialOk } from '../types.js';
import { BUDGET_HEADER, bestLine, bestOverallLine, budgetRows, inconclusiveNote } from './budget-section.js';
import type { Exporter } from './exporter.js';
import { interruptedBanner, environmentFacts, modelFacts, tensorRows } from './facts.js';
import { scaleOutLines } from './scale-out-facts.js';
import { formatTimestamp } from './format.js';
import { sweepTable } from './sweep-table.js';
import { serviceBlocks } from './service-curve.js';
import { serviceCurveChart } from './html/chart-service.js';
import { servingCharts } from './html/chart-serving.js';
import { meanTable, percentileTable, servingNotes, servingTitle } from './serving-overhead-section.js';
import { accuracyChart } from './html/chart-accuracy.js';
import { sweepLatencyChart, sweepThroughputChart } from './html/chart-sweep.js';
import { rooflineChart } from './html/chart-roofline.js';
import { stageBarChart } from './html/chart-stages.js';
import { timelineChart } from './html/chart-timeline.js';
import { html, type SafeHtml } from './html/escape.js';
import { page } from './html/page.js';
import { sweepAxis, sweepLines } from './html/sweep-series.js';
import { factList, table } from './html/tables.js';
import { trialSection } from './html/trial-section.js';

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function sweepCharts(report: Report): SafeHtml {
  const ok = report.trials.filter((t): t is TrialOk => t.status === 'ok');
  const swept = sweepAxis(report.trials);
  // A curve needs two points on one line; a sweep whose other trials failed has none to draw.
  const axis = swept !== null && sweepLines(report.trials, swept).some((l) => l.points.length >= 2) ? swept : null;
  const hasVariants = ok.some((t) => t.accuracy !== undefined);
  return html`<div class="charts">${axis ? [sweepLatencyChart(report, axis), sweepThroughputChart(report, axis)] : ''}${hasVariants ? accuracyChart(report, (t) => t.spec.id) : ''}${stageBarChart(ok, (t) => t.spec.id)}${ok.some((t) => t.roofline) ? rooflineChart(ok, (t) => t.spec.id) : ''}${timelineChart(report)}</div>`;
}

function toc(report: Report, sweep: boolean): SafeHtml {
  const trials = report.trials.map((t, i) => html`<li><a href="${`#trial-${i + 1}`}">${t.spec.id}</a>${t.status === 'ok' ? '' : ` (${t.status})`}</li>`);
  return html`<nav class="toc"><ul>${sweep ? html`<li><a href="#sweep">Sweep</a></li>` : ''}${report.budget ? html`<li><a href="#budgets">Budgets</a></li>` : ''}${report.servingOverhead ? html`<li><a href="#serving">Where the time goes</a></li>` : ''}${trials}<li><a href="#environment">Environment and model</a></li></ul></nav>`;
}

/** The latency–throughput curve, the knee and the batching advice (open-loop trials only). */
function serviceSection(report: Report): SafeHtml | '' {
  const blocks = serviceBlocks(report);
  if (blocks.length === 0) return '';
  const parts = blocks.map((b) => html`<h3>${b.title}</h3>${b.table ? table(b.table.header, b.table.rows, b.table.firstNumeric) : ''}${b.lines.map((l) => (typeof l === 'string' ? html`<p>${l}</p>` : html`<p>${l.label}: <code>${l.code}</code></p>`))}`);
  return html`<section id="service"><h2>Service latency</h2>${serviceCurveChart(report)}${parts}</section>`;
}

/** --serve: what each protocol adds, the tables and one stacked bar chart per protocol. */
function servingSection(report: Report): SafeHtml | '' {
  const section = report.servingOverhead;
  if (!section) return '';
  return html`<section id="serving"><h2>${servingTitle()}</h2>${[percentileTable(section)].map((t) => table(t.header, t.rows, t.firstNumeric))}<h3>Where the mean request's time goes</h3>${[meanTable(section)].map((t) => table(t.header, t.rows, t.firstNumeric))}<div class="charts">${servingCharts(section)}</div>${servingNotes(report, section).map((l) => html`<p class="note">${l}</p>`)}</section>`;
}

export function renderHtml(report: Report): string {
  const sweep = sweepTable(report);
  const title = `inferbench: ${baseName(report.model.path)} — ${formatTimestamp(report.startedAt)}`;
  const body = html`<header><h1>${title}</h1><p class="sub">inferbench ${report.tool.version}, finished ${formatTimestamp(report.finishedAt)} · <code>${report.command.argv.join(' ')}</code></p>
${report.interrupted === true ? html`<p class="banner">${interruptedBanner(report)}</p>` : ''}${scaleOutLines(report).map((l) => html`<p class="sub">${l}</p>`)}</header>
${report.trials.length > 1 ? toc(report, sweep !== null) : ''}
${sweep ? html`<section id="sweep"><h2>Sweep</h2>${table(sweep.header, sweep.rows, sweep.firstNumeric)}${bestOverallLine(report) ? html`<p id="best"><strong>${bestOverallLine(report)}</strong></p>` : ''}${sweepCharts(report)}</section>` : ''}
${report.budget ? html`<section id="budgets"><h2>Budgets</h2>${table(BUDGET_HEADER, budgetRows(report.budget), 2)}${inconclusiveNote(report.budget) ? html`<p>${inconclusiveNote(report.budget)}</p>` : ''}<p id="best"><strong>${bestLine(report.budget)}</strong></p></section>` : ''}
${serviceSection(report)}
${servingSection(report)}
<section id="trials"><h2>Trials</h2>${report.trials.length === 0 ? html`<p>No trials ran.</p>` : report.trials.map((t, i) => trialSection(report, t, i, sweep !== null))}</section>
<section id="environment"><h2>Environment and model</h2>${factList(environmentFacts(report.environment))}${factList(modelFacts(report.model))}
${table(['input', 'type', 'shape'], tensorRows(report.model.inputs), 3)}${table(['output', 'type', 'shape'], tensorRows(report.model.outputs), 3)}</section>
<footer>Self-contained report: no scripts, no network; charts are static SVG drawn from the report's histograms and samples.</footer>`;
  return page(title, body);
}

export const htmlExporter: Exporter = {
  format: 'html',
  extension: 'html',
  render: (report) => renderHtml(report),
};
