// The terminal rendering: the Markdown report's content, compact — a header block, one stage
// table per trial, warnings in yellow and failures in red. Colour only when asked: the chalk
// instance is made here with an explicit level (never the global auto-detection), and
// cli-table3 gets empty styles so NO_COLOR / non-TTY output carries no escape codes at all.

import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Report, TrialFailed, TrialOk, TrialSkipped } from '../types.js';
import { TIMED_STAGES } from '../types.js';
import type { Exporter, RenderOptions } from './exporter.js';
import { SWEEP_HEADER, sweepRows } from './sweep-table.js';
import {
  type Fact,
  INTERRUPTED_BANNER,
  STAGE_TABLE_HEADER,
  environmentFacts,
  flaggedPercentiles,
  formatTimestamp,
  inputLines,
  insufficientFootnotes,
  modelFacts,
  stageRow,
  tensorRows,
  trialConfig,
  trialFacts,
} from './format.js';

interface Style {
  chalk: ChalkInstance;
  color: boolean;
}

function factLines(facts: readonly Fact[], style: Style, indent = ''): string[] {
  const width = Math.max(0, ...facts.map(([label]) => label.length));
  return facts.map(([label, value]) => `${indent}${style.chalk.dim(label.padEnd(width))}  ${value}`);
}

function stageTable(trial: TrialOk, style: Style): string {
  const table = new Table({
    head: STAGE_TABLE_HEADER.map((cell) => style.chalk.bold(cell)),
    colAligns: STAGE_TABLE_HEADER.map((_, index) => (index === 0 ? 'left' : 'right')),
    // Compact: no rule between body rows.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: style.color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
  });
  for (const stage of TIMED_STAGES) table.push(stageRow(stage, trial.stages[stage]));
  return table.toString();
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
  lines.push(...factLines(facts, style, '  '));
  for (const warning of trial.warnings) {
    lines.push(chalk.yellow(`  warning [${warning.code}]: ${warning.message}`));
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
  if (report.interrupted === true) lines.push(style.chalk.yellow.bold(INTERRUPTED_BANNER), '');
  lines.push(...header(report, style));
  if (report.trials.length === 0) lines.push('', 'No trials ran.');
  for (const trial of report.trials) {
    lines.push('');
    if (trial.status === 'ok') lines.push(...okTrial(trial, style));
    else if (trial.status === 'failed') lines.push(...failedTrial(trial, style));
    else lines.push(...skippedTrial(trial, style));
  }
  const sweep = sweepRows(report);
  if (sweep) lines.push('', style.chalk.bold(`Sweep: ${report.trials.length} trials`), sweepTable(sweep, style));
  return `${lines.join('\n')}\n`;
}

function sweepTable(rows: string[][], style: Style): string {
  const table = new Table({
    head: SWEEP_HEADER.map((cell) => style.chalk.bold(cell)),
    colAligns: SWEEP_HEADER.map((_, index) => (index < 5 ? 'left' : 'right')),
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: style.color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
  });
  for (const row of rows) table.push(row);
  return table.toString();
}

export const consoleExporter: Exporter = {
  format: 'console',
  extension: 'txt',
  render: (report, options) => renderConsole(report, options),
};
