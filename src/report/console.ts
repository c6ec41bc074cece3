// The terminal rendering: the Markdown report's content, compact — a header block, one stage
// table per trial, warnings in yellow and failures in red. Colour only when asked: the chalk
// instance is made here with an explicit level (never the global auto-detection), and
// cli-table3 gets empty styles so NO_COLOR / non-TTY output carries no escape codes at all.

import { scaleOutLines } from './scale-out-facts.js';
import { stripVTControlCharacters } from 'node:util';
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Report, TrialFailed, TrialOk, TrialSkipped } from '../types.js';
import type { Exporter, RenderOptions } from './exporter.js';
import { narrowSweep, sweepTable, type SweepTable } from './sweep-table.js';
import { outputCheckDetails, outputCheckSummary } from './output-check-section.js';
import { meanTable, percentileTable, servingNotes, servingTitle } from './serving-overhead-section.js';
import { BUDGET_HEADER, bestLine, bestOverallLine, budgetRows, inconclusiveNote } from './budget-section.js';
import { lineText, serviceBlocks } from './service-curve.js';
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
import {
  CONSOLE_TOP_NODES,
  NODE_ALIGN,
  NODE_HEADER,
  OP_TYPE_HEADER,
  nodeRows,
  nodesCutNote,
  opProfileSummary,
  opTypeRows,
} from './op-profile-section.js';
import { utilisationGroupLine, utilisationSection } from './utilisation-section.js';
import { formatTimestamp, insufficientFootnotes } from './format.js';
import { type Fact, interruptedBanner, STAGE_TABLE_HEADER, environmentFacts, flaggedPercentiles, inputLines, modelFacts, stageRows, tensorRows, trialConfig, trialFacts } from './facts.js';

interface Style {
  chalk: ChalkInstance;
  color: boolean;
}

function factLines(facts: readonly Fact[], style: Style, indent = ''): string[] {
  const width = Math.max(0, ...facts.map(([label]) => label.length));
  return facts.map(([label, value]) => `${indent}${style.chalk.dim(label.padEnd(width))}  ${value}`);
}

/** A compact table (no rule between body rows); `align` per column, or the first right-aligned column. */
function compactTable(
  header: readonly string[],
  rows: readonly string[][],
  style: Style,
  align: number | readonly Align[] = 1,
): string {
  const table = new Table({
    head: header.map((cell) => style.chalk.bold(cell)),
    colAligns: header.map((_, index) =>
      typeof align === 'number' ? (index >= align ? 'right' : 'left') : (align[index] ?? 'left'),
    ),
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: style.color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
  });
  for (const row of rows) table.push(row);
  return table.toString();
}

function stageTable(trial: TrialOk, style: Style): string {
  return compactTable(STAGE_TABLE_HEADER, stageRows(trial), style);
}

function bottleneckLines(trial: TrialOk, style: Style): string[] {
  if (trial.bottleneck === undefined) return [];
  const { chalk } = style;
  const section = bottleneckSection(trial.bottleneck);
  const lines = [`  ${chalk.bold('Bottleneck')}  ${section.verdict}`, `  ${section.summary}`];
  if (section.evidence.length > 0) lines.push(compactTable(EVIDENCE_HEADER, section.evidence, style, EVIDENCE_ALIGN));
  if (section.stages.length > 0) lines.push(compactTable(STAGE_VERDICT_HEADER, section.stages, style, STAGE_VERDICT_ALIGN));
  if (section.recommendations.length > 0) {
    lines.push('  Recommendations:', ...section.recommendations.map((text) => `  - ${text}`));
  }
  return lines;
}

function utilisationLines(trial: TrialOk, style: Style): string[] {
  if (trial.utilisation === undefined) return [];
  const { chalk } = style;
  const section = utilisationSection(trial.utilisation);
  const facts: Fact[] = section.groups.map((group) => [group.group, utilisationGroupLine(group)]);
  return [
    `  ${chalk.bold('Utilisation')}  ${section.window}`,
    ...factLines(facts, style, '    '),
    ...section.notes.map((note) => chalk.dim(`    note: ${note}`)),
  ];
}

function opProfileLines(trial: TrialOk, style: Style): string[] {
  const profile = trial.opProfile;
  if (profile === undefined) return [];
  const lines = [`  ${style.chalk.bold('Operators')}  ${opProfileSummary(profile)}`];
  if (profile.nodes.length > 0) lines.push(compactTable(NODE_HEADER, nodeRows(profile, CONSOLE_TOP_NODES), style, NODE_ALIGN));
  const cut = nodesCutNote(profile, CONSOLE_TOP_NODES);
  if (cut !== undefined) lines.push(style.chalk.dim(`  ${cut}`));
  if (profile.byOpType.length > 0) lines.push(compactTable(OP_TYPE_HEADER, opTypeRows(profile), style));
  return lines;
}

function okTrial(trial: TrialOk, style: Style): string[] {
  const { chalk } = style;
  const lines = [
    `${chalk.bold(`Trial ${trial.spec.id}`)}  ${trialConfig(trial.spec)}`,
    stageTable(trial, style),
    ...insufficientFootnotes(flaggedPercentiles(trial)).map((note) => chalk.yellow(note)),
  ];
  const inputs = inputLines(trial.inputs);
  const facts = trialFacts(trial);
  if (inputs.length > 0) facts.push(['Inputs', inputs.join('; ')]);
  facts.push(...analysisFacts(trial));
  lines.push(...factLines(facts, style, '  '));
  const calibration = calibrationNote(trial);
  if (calibration !== undefined) lines.push(chalk.yellow(`  note: ${calibration} ${REFRESH_CALIBRATION}`));
  for (const warning of trial.warnings) {
    lines.push(chalk.yellow(`  warning [${warning.code}]: ${warning.message}`));
  }
  for (const section of [bottleneckLines, utilisationLines, opProfileLines]) {
    const sectionLines = section(trial, style);
    if (sectionLines.length > 0) lines.push('', ...sectionLines);
  }
  return lines;
}

function failedTrial(trial: TrialFailed, style: Style): string[] {
  const { chalk } = style;
  const lines = [
    `${chalk.bold(`Trial ${trial.spec.id}`)}  ${trialConfig(trial.spec)}`,
    chalk.red(`  failed during ${trial.phase}: [${trial.error.code}] ${trial.error.message}`),
  ];
  if (trial.error.hint !== undefined) lines.push(chalk.red(`  hint: ${trial.error.hint}`));
  return lines;
}

function skippedTrial(trial: TrialSkipped, style: Style): string[] {
  const { chalk } = style;
  return [
    `${chalk.bold(`Trial ${trial.spec.id}`)}  ${trialConfig(trial.spec)}`,
    chalk.dim(`  skipped: ${trial.reason}`),
  ];
}

function header(report: Report, style: Style): string[] {
  const { chalk } = style;
  const tensors = (kind: string, rows: string[][]): Fact[] =>
    rows.length === 0 ? [] : [[kind, rows.map(([name, type, shape]) => `${name} ${type} ${shape}`).join('; ')]];
  return [
    chalk.bold(`inferbench ${report.tool.version} — ${formatTimestamp(report.startedAt)}`),
    ...factLines(environmentFacts(report.environment), style),
    ...factLines(
      [
        ...modelFacts(report.model),
        ...tensors('Inputs', tensorRows(report.model.inputs)),
        ...tensors('Outputs', tensorRows(report.model.outputs)),
      ],
      style,
    ),
  ];
}

export function renderConsole(report: Report, options: RenderOptions = { color: false }): string {
  const style: Style = { chalk: new Chalk({ level: options.color ? 1 : 0 }), color: options.color };
  const lines: string[] = [];
  if (report.interrupted === true) lines.push(style.chalk.yellow.bold(interruptedBanner(report)), '');
  const scaleOut = scaleOutLines(report);
  if (scaleOut.length > 0) lines.push(...scaleOut.map((l) => (l.startsWith('Incomplete') || l.startsWith('Mixed') ? style.chalk.yellow(l) : l)), '');
  lines.push(...header(report, style));
  if (report.trials.length === 0) lines.push('', 'No trials ran.');
  for (const trial of report.trials) {
    lines.push('');
    if (trial.status === 'ok') lines.push(...okTrial(trial, style));
    else if (trial.status === 'failed') lines.push(...failedTrial(trial, style));
    else lines.push(...skippedTrial(trial, style));
  }
  const sweep = sweepTable(report);
  if (sweep) {
    const width = options.width;
    const render = (t: SweepTable): string => compactTable(t.header, t.rows, style, t.firstNumeric);
    const widest = (text: string): number => Math.max(...stripVTControlCharacters(text).split('\n').map((l) => l.length));
    const { table, dropped } = width ? narrowSweep(sweep, (t) => widest(render(t)) <= width) : { table: sweep, dropped: [] };
    lines.push('', style.chalk.bold(`Sweep: ${report.trials.length} trials${sweep.shared.length > 0 ? `, all ${sweep.shared.join(' · ')}` : ''}`), render(table));
    if (dropped.length > 0) lines.push(style.chalk.dim(`(${dropped.join(', ')} left out to fit ${width} columns; the JSON and Markdown reports have them)`));
  }
  if (report.outputCheck) {
    const check = report.outputCheck;
    const summary = outputCheckSummary(check);
    lines.push('', check.status === 'match' ? style.chalk.green(summary) : style.chalk.red.bold(summary), ...outputCheckDetails(check).map((l) => `  ${l}`));
  }
  if (report.budget) {
    lines.push('', style.chalk.bold('Budgets'), compactTable(BUDGET_HEADER, budgetRows(report.budget), style, 2));
    const note = inconclusiveNote(report.budget);
    if (note) lines.push(style.chalk.yellow(note));
    lines.push(report.budget.best ? style.chalk.green(bestLine(report.budget)) : style.chalk.red(bestLine(report.budget)));
  }
  const best = bestOverallLine(report);
  if (best) lines.push('', style.chalk.green(best));
  if (report.servingOverhead) {
    const section = report.servingOverhead;
    const [at, mean] = [percentileTable(section), meanTable(section)];
    lines.push('', style.chalk.bold(servingTitle()), compactTable(at.header, at.rows, style, at.firstNumeric), '', style.chalk.bold('Where the mean request\'s time goes'), compactTable(mean.header, mean.rows, style, mean.firstNumeric), ...servingNotes(report, section));
  }
  for (const block of serviceBlocks(report)) {
    lines.push('', style.chalk.bold(block.title));
    if (block.table) lines.push(compactTable(block.table.header, block.table.rows, style, block.table.firstNumeric));
    lines.push(...block.lines.map(lineText));
  }
  return `${lines.join('\n')}\n`;
}

export const consoleExporter: Exporter = {
  format: 'console',
  extension: 'txt',
  render: (report, options) => renderConsole(report, options),
};
