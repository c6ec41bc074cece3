// The terminal rendering of a Comparison: headline, caveats in yellow, one table per trial,
// budgets. Colour only when asked (same rules as report/console.ts).
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Verdict } from './significance.js';
import { BUDGET_HEADER, budgetRows, headline, methodLine, metricHeader, metricRows, notableLines, pairedLine, repetitionsLine, sideLine, stabilityLine, trialTitle } from './rows.js';
import { caveats, notes, type Comparison } from './verdict.js';

export interface CompareRenderOptions {
  color: boolean;
}

function table(head: readonly string[], rows: string[][], chalk: ChalkInstance, color: boolean, rightFrom = 2): string {
  const t = new Table({
    head: head.map((cell) => chalk.bold(cell)),
    colAligns: head.map((_, i) => (i >= rightFrom && i < head.length - 1 ? 'right' : 'left')),
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
  });
  t.push(...rows);
  return t.toString();
}

export function renderCompareConsole(c: Comparison, options: CompareRenderOptions = { color: false }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<Verdict, (s: string) => string> = { regressed: chalk.red.bold, improved: chalk.green, unchanged: (s) => s, inconclusive: chalk.yellow };
  const verdictCell = (v: Verdict): string => paint[v](v);
  const lines = [
    chalk.bold('inferbench compare'),
    `  base  ${sideLine(c.base)}`,
    `  head  ${sideLine(c.head)}`,
    ...caveats(c).map((line) => chalk.yellow(`warning: ${line}`)),
    ...notes(c).map((line) => `note: ${line}`),
    `method: ${methodLine(c)}`,
    '',
    paint[c.verdict](headline(c)),
  ];
  for (const trial of c.trials) {
    lines.push('', `${chalk.bold(trialTitle(trial))} — ${verdictCell(trial.verdict)}`);
    if (trial.note !== undefined) {
      lines.push(`  ${trial.note}`);
      continue;
    }
    const paired = pairedLine(trial);
    if (paired !== null) lines.push(`  ${paired}`);
    const repetitions = repetitionsLine(trial);
    if (repetitions !== null) lines.push(`  ${repetitions}`);
    const stability = stabilityLine(trial);
    if (stability !== null) lines.push(chalk.yellow(`  ${stability}`));
    lines.push(table(metricHeader(c), metricRows(trial, verdictCell), chalk, options.color));
    lines.push(...notableLines(trial).map((line) => `  ${line}`));
  }
  if (c.budgets.length > 0) {
    lines.push('', chalk.bold('Budgets (head)'));
    lines.push(table(BUDGET_HEADER, budgetRows(c.budgets, (pass) => (pass ? chalk.green('pass') : chalk.red.bold('FAIL'))), chalk, options.color));
  }
  return `${lines.join('\n')}\n`;
}
