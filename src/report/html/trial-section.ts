// One trial of a report as HTML: the stage table and facts first (the numbers, readable with no
// chart), then its charts — percentiles, utilisation over time, stage breakdown, operators and
// roofline when profiled — and the bottleneck verdict next to the roofline.
import type { Report, TrialFailed, TrialOk, TrialResult, TrialSkipped } from '../../types.js';
import { EVIDENCE_ALIGN, EVIDENCE_HEADER, STAGE_VERDICT_ALIGN, STAGE_VERDICT_HEADER, analysisFacts, bottleneckSection, calibrationNote } from '../analysis-sections.js';
import { STAGE_TABLE_HEADER, flaggedPercentiles, inputLines, stageRows, trialConfig, trialFacts } from '../facts.js';
import { insufficientFootnotes } from '../format.js';
import { NODE_ALIGN, NODE_HEADER, OP_TYPE_HEADER, nodeRows, opProfileSummary, opTypeRows } from '../op-profile-section.js';
import { UTILISATION_HEADER, utilisationRows, utilisationSection } from '../utilisation-section.js';
import { html, type SafeHtml } from './escape.js';
import { opProfileChart } from './chart-op-profile.js';
import { percentileChart } from './chart-percentiles.js';
import { latencyTimelineChart } from './chart-latency.js';
import { rooflineChart } from './chart-roofline.js';
import { stageBarChart } from './chart-stages.js';
import { timelineChart } from './chart-timeline.js';
import { factList, table } from './tables.js';

/** Top nodes listed under the operator chart (the full list is in the JSON report). */
const NODE_ROWS = 20;

function bottleneck(trial: TrialOk): SafeHtml | '' {
  if (trial.bottleneck === undefined) return '';
  const s = bottleneckSection(trial.bottleneck);
  return html`<div class="bottleneck"><h4>Bottleneck: <span class="verdict">${s.verdict}</span></h4><p>${s.summary}</p>
${s.evidence.length > 0 ? table(EVIDENCE_HEADER, s.evidence, EVIDENCE_ALIGN) : ''}${s.stages.length > 0 ? table(STAGE_VERDICT_HEADER, s.stages, STAGE_VERDICT_ALIGN) : ''}
${s.recommendations.length > 0 ? html`<ul>${s.recommendations.map((r) => html`<li>${r}</li>`)}</ul>` : ''}</div>`;
}

function utilisation(trial: TrialOk): SafeHtml | '' {
  if (trial.utilisation === undefined) return '';
  const s = utilisationSection(trial.utilisation);
  const rows = utilisationRows(s);
  return html`<h4>Utilisation</h4><p class="note">${s.window}.</p>${rows.length > 0 ? table(UTILISATION_HEADER, rows, 2) : ''}${s.notes.map((n) => html`<p class="note">Note: ${n}</p>`)}`;
}

function operators(trial: TrialOk): SafeHtml | '' {
  const profile = trial.opProfile;
  if (profile === undefined) return '';
  const cut = profile.nodes.length > NODE_ROWS ? html`<p class="note">The ${NODE_ROWS} slowest of ${profile.nodes.length} nodes; the JSON report lists them all.</p>` : '';
  return html`<h4>Operators</h4><p class="note">${opProfileSummary(profile)}.</p>${profile.byOpType.length > 0 ? opProfileChart(profile) : ''}${profile.nodes.length > 0 ? table(NODE_HEADER, nodeRows(profile, NODE_ROWS), NODE_ALIGN) : ''}${cut}${profile.byOpType.length > 0 ? table(OP_TYPE_HEADER, opTypeRows(profile)) : ''}`;
}

function okTrial(report: Report, trial: TrialOk, sweep: boolean): SafeHtml {
  const footnotes = insufficientFootnotes(flaggedPercentiles(trial));
  const inputs = inputLines(trial.inputs);
  const facts = [...trialFacts(trial), ...(inputs.length > 0 ? [['Inputs', html`${inputs.map((l, i) => html`${i > 0 ? ', ' : ''}<code>${l}</code>`)}`] as const] : []), ...analysisFacts(trial)];
  const calibration = calibrationNote(trial);
  const warnings = trial.warnings.map((w) => html`<p class="warning">⚠ <code>${w.code}</code>: ${w.message}</p>`);
  const charts = [percentileChart(trial), latencyTimelineChart(trial), timelineChart(report, trial), sweep ? '' : stageBarChart([trial], (t) => t.spec.id)];
  const roofline = trial.roofline ? html`<div class="charts">${rooflineChart([trial], () => trial.spec.id)}</div>` : '';
  return html`${table(STAGE_TABLE_HEADER, stageRows(trial))}${footnotes.map((f) => html`<p class="note">${f}</p>`)}${factList(facts)}${calibration ? html`<p class="note">Note: ${calibration}</p>` : ''}${warnings}
<div class="charts">${charts}</div>${roofline}${bottleneck(trial)}${utilisation(trial)}${operators(trial)}`;
}

function failed(trial: TrialFailed): SafeHtml {
  return html`<p class="banner">✗ Failed during ${trial.phase}: <code>${trial.error.code}</code>: ${trial.error.message}${trial.error.hint ? html`<br>Hint: ${trial.error.hint}` : ''}</p>`;
}

function skipped(trial: TrialSkipped): SafeHtml {
  return html`<p class="warning">Skipped: ${trial.reason}</p>`;
}

export function trialSection(report: Report, trial: TrialResult, index: number, sweep: boolean): SafeHtml {
  const status = trial.status === 'ok' ? '' : ` — ${trial.status}`;
  const body = trial.status === 'ok' ? okTrial(report, trial, sweep) : trial.status === 'failed' ? failed(trial) : skipped(trial);
  return html`<section class="trial" id="${`trial-${index + 1}`}" data-status="${trial.status}"><h3 class="trial-head">Trial <code>${trial.spec.id}</code>${status}</h3><p class="sub">${trialConfig(trial.spec)}</p>${body}</section>`;
}
