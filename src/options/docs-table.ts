// The option reference in docs/options.md, rendered from the option declarations (written by
// scripts/gen-options.mjs between the options-table markers; a test checks it is current).
import { OPTION_DECLARATIONS, type OptionDeclaration, type OptionGroup } from './declarations.js';

const GROUP_TITLES: Record<OptionGroup, string> = {
  sweep: 'What is measured (the sweep)',
  service: 'Service latency (open-loop load)',
  endpoint: 'Remote endpoints (profile URL)',
  inputs: 'Inputs',
  data: 'Real data and pipelines',
  measure: 'How long: warm-up and measurement',
  analysis: 'Analysis, budgets and checks',
};

export const TABLE_BEGIN = '<!-- options-table:begin -->';
const GENERATED_NOTE = '<!-- generated from src/options/declarations.ts by `node scripts/gen-options.mjs`: edit the declarations, not this table -->';
export const TABLE_END = '<!-- options-table:end -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

function defaultOf(d: OptionDeclaration): string {
  if (d.defaultText !== undefined) return d.defaultText;
  if (d.default === undefined || d.default === null) return '';
  if (Array.isArray(d.default)) return d.default.join(',');
  return typeof d.default === 'object' ? JSON.stringify(d.default) : String(d.default);
}

function row(d: OptionDeclaration): string {
  const flag = d.flags === undefined ? '(library only)' : `\`${d.flags}\``;
  const where = [d.paired ? 'compare' : '', d.run ? 'run' : ''].filter(Boolean);
  const also = where.length > 0 ? ` Also on \`${where.join('`, `')}\`.` : '';
  return `| ${cell(flag)} | \`${d.key}\` | ${d.config ? `\`${d.config.at}\`` : ''} | ${cell(defaultOf(d))} | ${cell(d.help)}.${also} |`;
}

/** The generated section, markers included. */
export function optionsTable(): string {
  const lines = [TABLE_BEGIN, GENERATED_NOTE];
  for (const group of Object.keys(GROUP_TITLES) as OptionGroup[]) {
    const rows = (OPTION_DECLARATIONS as readonly OptionDeclaration[]).filter((d) => d.group === group);
    lines.push('', `### ${GROUP_TITLES[group]}`, '', '| Flag | Library (`profile()`) | Config file | Default | What it does |', '|---|---|---|---|---|', ...rows.map(row));
  }
  lines.push('', TABLE_END);
  return lines.join('\n');
}

/** `doc` with its generated section replaced (or, without markers, appended). */
export function withOptionsTable(doc: string): string {
  const begin = doc.indexOf(TABLE_BEGIN);
  const end = doc.indexOf(TABLE_END);
  if (begin < 0 || end < begin) return `${doc.trimEnd()}\n\n${optionsTable()}\n`;
  return `${doc.slice(0, begin)}${optionsTable()}${doc.slice(end + TABLE_END.length)}`;
}
