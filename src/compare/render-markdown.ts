// A Comparison as GitHub-flavoured Markdown, for a PR comment or $GITHUB_STEP_SUMMARY: the
// headline and caveats first, a one-line-per-trial summary, then each trial's full table folded
// in <details> so a long sweep stays readable.
import { formatChange } from './rows.js';
import { BUDGET_HEADER, budgetRows, explain, headline, methodLine, metricHeader, metricRows, pairedLine, repetitionsLine, sideLine, stabilityLine, trialTitle } from './rows.js';
import type { MetricChange, Verdict } from './significance.js';
import { caveats, notes, type Comparison, type TrialComparison } from './verdict.js';

const ICON: Record<Verdict, string> = { regressed: '🔴', improved: '🟢', unchanged: '⚪', inconclusive: '🟡' };

/** Pipes, markup and < > (a name cannot open HTML in a PR comment; GitHub renders \< as <). */
function escapeCell(text: string): string {
  return text.replace(/([\\|*_`<>])/g, '\\$1').replace(/\r?\n/g, ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), `|${header.map((_, i) => (i >= 2 && i < header.length - 1 ? '---:' : '---')).join('|')}|`, ...rows.map(line)];
}

const verdictCell = (v: Verdict): string => `${ICON[v]} ${v}`;

function headlineChange(trial: TrialComparison, stage: string, metric: string): string {
  const m: MetricChange | undefined = stage === 'trial' ? (trial.throughput ?? undefined) : trial.stages.find((s) => s.stage === stage)?.metrics.find((x) => x.metric === metric);
  return m === undefined ? '—' : `${formatChange(m.change)} ${ICON[m.verdict]}`;
}

function trialDetails(c: Comparison, trial: TrialComparison): string[] {
  const lines = ['<details>', `<summary>${ICON[trial.verdict]} ${escapeCell(trialTitle(trial))}: ${trial.verdict}</summary>`, ''];
  if (trial.note !== undefined) return [...lines, escapeCell(trial.note), '', '</details>'];
  const stability = stabilityLine(trial);
  if (stability !== null) lines.push(`> ⚠️ ${escapeCell(stability)}`, '');
  const paired = pairedLine(trial);
  if (paired !== null) lines.push(escapeCell(paired), '');
  const repetitions = repetitionsLine(trial);
  if (repetitions !== null) lines.push(escapeCell(repetitions), '');
  lines.push(...table(metricHeader(c), metricRows(trial, verdictCell)), '');
  const all = [...trial.stages.flatMap((s) => s.metrics.map((m) => [s.stage, m] as const)), ...(trial.throughput ? [['trial', trial.throughput] as const] : [])];
  const notable = all.filter(([, m]) => m.verdict !== 'unchanged');
  if (notable.length > 0) lines.push(...notable.map(([stage, m]) => `- **${stage} ${m.metric}** ${m.verdict}: ${escapeCell(explain(m))}`), '');
  return [...lines, '</details>'];
}

export function renderCompareMarkdown(c: Comparison): string {
  const lines = [`## ${ICON[c.verdict]} inferbench compare: ${c.verdict}`, '', escapeCell(headline(c)), '', `<sub>${escapeCell(methodLine(c))}</sub>`, ''];
  lines.push(`- **base:** ${escapeCell(sideLine(c.base))}`, `- **head:** ${escapeCell(sideLine(c.head))}`, '');
  const warnings = caveats(c);
  if (warnings.length > 0) lines.push(...warnings.map((w) => `> ⚠️ ${escapeCell(w)}`), '');
  const remarks = notes(c);
  if (remarks.length > 0) lines.push(...remarks.map((n) => `> ℹ️ ${escapeCell(n)}`), '');
  if (c.trials.length > 0) {
    const rows = c.trials.map((t) => [t.key, verdictCell(t.verdict), headlineChange(t, 'inference', 'p50'), headlineChange(t, 'total', 'p99'), headlineChange(t, 'trial', 'throughput')]);
    lines.push(...table(['trial', 'verdict', 'inference p50', 'total p99', 'throughput'], rows), '');
    for (const trial of c.trials) lines.push(...trialDetails(c, trial), '');
  }
  if (c.budgets.length > 0) {
    lines.push('### Budgets (head)', '', ...table(BUDGET_HEADER, budgetRows(c.budgets, (pass) => (pass ? '✅ pass' : '❌ fail'))), '');
  }
  if (c.path === 'reports') {
    lines.push(
      `<sub>Method: ${Math.round(c.method.level * 100)}% percentile-bootstrap CI of head/base from the reports' HDR histograms, repetitions resampled first (B = ${c.method.resamples}, seed ${c.method.seed}), widened for drift, contention and the run-to-run allowance; a regression needs the whole widened CI above the threshold and, with ≥ 4 repetitions a side, a Mann–Whitney test to agree.</sub>`,
    );
  }
  return `${lines.join('\n')}\n`;
}
