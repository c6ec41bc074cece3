// The Markdown report: readable in a PR comment or a wiki page. Same content as the console
// rendering, laid out as headings, fact lists and tables. Every number comes from format.ts.

import { scaleOutLines } from './scale-out-facts.js';
import type { Report, TrialFailed, TrialOk, TrialSkipped } from '../types.js';
import { sweepTable } from './sweep-table.js';
import { outputCheckDetails, outputCheckSummary } from './output-check-section.js';
import { meanTable, percentileTable, servingNotes, servingTitle } from './serving-overhead-section.js';
import { BUDGET_HEADER, bestLine, bestOverallLine, budgetRows, inconclusiveNote } from './budget-section.js';
import { serviceBlocks } from './service-curve.js';
import type { Exporter } from './exporter.js';
import {
  type Align,
  EVIDENCE_ALIGN,
  EVIDENCE_HEADER,
  REFRESH_CALIBRATION,
  STAGE_VERDICT_ALIGN,
  STAGE_VERDICT_HEADER,
  analysisFacts,
  bottleneckSection,
  calibrationNote,
} from './analysis-sections.js';
import { NODE_ALIGN, NODE_HEADER, OP_TYPE_HEADER, nodeRows, opProfileSummary, opTypeRows } from './op-profile-section.js';
import { UTILISATION_HEADER, utilisationRows, utilisationSection } from './utilisation-section.js';
import { formatTimestamp, insufficientFootnotes } from './format.js';
import { type Fact, interruptedBanner, STAGE_TABLE_HEADER, environmentFacts, flaggedPercentiles, inputLines, modelFacts, stageRows, tensorRows, trialConfig, trialFacts } from './facts.js';

/**
 * Escape text for a table cell or inline position: pipes, backslashes, line breaks, and < > so that
 * a model's input name cannot open HTML in a PR comment (GitHub renders \< as <).
 */
function escapeCell(text: string): string {
  return text.replace(/([\\|*_<>])/g, '\\$1').replace(/\r?\n/g, ' ');
}

/** A code span that holds any text: its fence is one backtick longer than the longest run inside. */
function codeSpan(text: string): string {
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const body = text.replace(/\r?\n/g, ' ');
  return fence.length > 1 || body.startsWith(' ') || body.endsWith(' ') ? `${fence} ${body} ${fence}` : `${fence}${body}${fence}`;
}

/** Escape Markdown's inline markup characters in free text (error messages, paths). */
function escapeText(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1').replace(/\r?\n/g, ' ');
}

/** `align` per column, or the index of the first right-aligned column. */
function table(header: readonly string[], rows: readonly (readonly string[])[], align: number | readonly Align[] = 1): string[] {
  const marks = header.map((_, index) =>
    (typeof align === 'number' ? index >= align : align[index] === 'right') ? '---:' : '---',
  );
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), `|${marks.join('|')}|`, ...rows.map(line)];
}

function factList(facts: readonly Fact[]): string[] {
  return facts.map(([label, value]) => `- **${label}:** ${escapeText(value)}`);
}

function modelBaseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function bottleneckLines(trial: TrialOk): string[] {
  if (trial.bottleneck === undefined) return [];
  const section = bottleneckSection(trial.bottleneck);
  const lines = ['#### Bottleneck', '', `**${escapeText(section.verdict)}** — ${escapeText(section.summary)}`];
  if (section.evidence.length > 0) lines.push('', ...table(EVIDENCE_HEADER, section.evidence, EVIDENCE_ALIGN));
  if (section.stages.length > 0) lines.push('', ...table(STAGE_VERDICT_HEADER, section.stages, STAGE_VERDICT_ALIGN));
  if (section.recommendations.length > 0) {
    lines.push('', '**Recommendations**', '', ...section.recommendations.map((text) => `- ${escapeText(text)}`));
  }
  return lines;
}

function utilisationLines(trial: TrialOk): string[] {
  if (trial.utilisation === undefined) return [];
  const section = utilisationSection(trial.utilisation);
  const lines = ['#### Utilisation', '', `${escapeText(section.window)}.`];
  const rows = utilisationRows(section);
  if (rows.length > 0) lines.push('', ...table(UTILISATION_HEADER, rows, 2));
  if (section.notes.length > 0) lines.push('', ...section.notes.map((note) => `- Note: ${escapeText(note)}`));
  return lines;
}

function opProfileLines(trial: TrialOk): string[] {
  const profile = trial.opProfile;
  if (profile === undefined) return [];
  const lines = ['#### Operators', '', `${escapeText(opProfileSummary(profile))}.`];
  if (profile.nodes.length > 0) lines.push('', ...table(NODE_HEADER, nodeRows(profile), NODE_ALIGN));
  if (profile.byOpType.length > 0) lines.push('', ...table(OP_TYPE_HEADER, opTypeRows(profile)));
  return lines;
}

function okTrial(trial: TrialOk): string[] {
  const rows = stageRows(trial);
  const footnotes = insufficientFootnotes(flaggedPercentiles(trial));
  const lines = [
    `### Trial \`${trial.spec.id}\``,
    '',
    escapeText(trialConfig(trial.spec)),
    '',
    ...table(STAGE_TABLE_HEADER, rows),
  ];
  if (footnotes.length > 0) lines.push('', ...footnotes.map(escapeText));
  if (trial.warnings.length > 0) {
    lines.push('', '**Warnings**', '');
    lines.push(...trial.warnings.map((w) => `- ⚠️ \`${w.code}\`: ${escapeText(w.message)}`));
  }
  // Results above, the rest folded: a $GITHUB_STEP_SUMMARY stays a page, not 90 lines a trial.
  lines.push('', '<details><summary>Details: cold start, throughput, inputs, bottleneck, utilisation, operators</summary>', '');
  lines.push(...factList(trialFacts(trial)));
  const inputs = inputLines(trial.inputs);
  if (inputs.length > 0) lines.push(`- **Inputs:** ${inputs.map(codeSpan).join(', ')}`);
  lines.push(...factList(analysisFacts(trial)));
  const calibration = calibrationNote(trial);
  if (calibration !== undefined) lines.push('', `> ℹ️ **Note:** ${escapeText(calibration)} \`${REFRESH_CALIBRATION}\``);
  for (const section of [bottleneckLines(trial), utilisationLines(trial), opProfileLines(trial)]) {
    if (section.length > 0) lines.push('', ...section);
  }
  lines.push('', '</details>');
  return lines;
}

function failedTrial(trial: TrialFailed): string[] {
  const lines = [
    `### Trial \`${trial.spec.id}\` — failed`,
    '',
    escapeText(trialConfig(trial.spec)),
    '',
    `> ❌ **Failed during ${trial.phase}:** \`${trial.error.code}\`: ${escapeText(trial.error.message)}`,
  ];
  if (trial.error.hint !== undefined) lines.push('>', `> **Hint:** ${escapeText(trial.error.hint)}`);
  return lines;
}

function skippedTrial(trial: TrialSkipped): string[] {
  return [
    `### Trial \`${trial.spec.id}\` — skipped`,
    '',
    escapeText(trialConfig(trial.spec)),
    '',
    `> ⏭️ **Skipped:** ${escapeText(trial.reason)}`,
  ];
}

export function renderMarkdown(report: Report): string {
  const lines = [
    `# inferbench: ${escapeText(modelBaseName(report.model.path))} — ${formatTimestamp(report.startedAt)}`,
    '',
  ];
  if (report.interrupted === true) lines.push(`> ⚠️ **${interruptedBanner(report)}**`, '');
  const scaleOut = scaleOutLines(report);
  if (scaleOut.length > 0) lines.push(...scaleOut.map((l) => (l.startsWith('  ') ? `- ${escapeText(l.trim())}` : escapeText(l))), '');
  // Results first (sweep, budgets, output check, trials); environment and model folded at the end.
  const sweep = sweepTable(report);
  if (sweep) lines.push('## Sweep', '', ...(sweep.shared.length > 0 ? [`All trials: ${escapeText(sweep.shared.join(' · '))}`, ''] : []), ...table(sweep.header, sweep.rows, sweep.firstNumeric), '');
  if (report.budget) lines.push('## Budgets', '', ...table(BUDGET_HEADER, budgetRows(report.budget), 2), '', ...[inconclusiveNote(report.budget)].flatMap((n) => (n ? [escapeText(n), ''] : [])), `**${escapeText(bestLine(report.budget))}**`, '');
  const best = bestOverallLine(report);
  if (best) lines.push(`**${escapeText(best)}**`, '');
  for (const block of serviceBlocks(report)) {
    lines.push(`## ${block.title}`, '', ...(block.table ? [...table(block.table.header, block.table.rows, block.table.firstNumeric), ''] : []), ...block.lines.flatMap((l) => [typeof l === 'string' ? escapeText(l) : `${escapeText(l.label)}: \`${l.code}\``, '']));
  }
  if (report.servingOverhead) {
    const section = report.servingOverhead;
    const [at, mean] = [percentileTable(section), meanTable(section)];
    lines.push(`## ${servingTitle()}`, '', ...table(at.header, at.rows, at.firstNumeric), '', '### Where the mean request\'s time goes', '', ...table(mean.header, mean.rows, mean.firstNumeric), '', ...servingNotes(report, section).flatMap((l) => [escapeText(l), '']));
  }
  if (report.outputCheck) {
    const details = outputCheckDetails(report.outputCheck);
    lines.push(`**${escapeText(outputCheckSummary(report.outputCheck))}**`, '', ...details.map((l) => `- ${escapeText(l)}`), ...(details.length > 0 ? [''] : []));
  }
  lines.push('## Trials');
  if (report.trials.length === 0) lines.push('', 'No trials ran.');
  for (const trial of report.trials) {
    lines.push('');
    if (trial.status === 'ok') lines.push(...okTrial(trial));
    else if (trial.status === 'failed') lines.push(...failedTrial(trial));
    else lines.push(...skippedTrial(trial));
  }
  lines.push(
    '',
    '<details><summary>Environment and model</summary>',
    '',
    `inferbench ${report.tool.version}, finished ${formatTimestamp(report.finishedAt)}.`,
    '',
    '## Environment',
    '',
    ...factList(environmentFacts(report.environment)),
    '',
    '## Model',
    '',
    ...factList(modelFacts(report.model)),
    '',
    ...table(['input', 'type', 'shape'], tensorRows(report.model.inputs), 3),
    '',
    ...table(['output', 'type', 'shape'], tensorRows(report.model.outputs), 3),
    '',
    '</details>',
  );
  return `${lines.join('\n')}\n`;
}

export const markdownExporter: Exporter = {
  format: 'markdown',
  extension: 'md',
  render: (report) => renderMarkdown(report),
};
