// Comparison exporters, one per --format of `inferbench compare` (same pattern as report/exporter.ts).
import { InferbenchError } from '../errors.js';
import { renderCompareConsole } from './render-console.js';
import { renderCompareHtml } from './render-html.js';
import { renderGithubBenchmark } from './render-github-benchmark.js';
import { renderCompareJson } from './render-json.js';
import { renderCompareMarkdown } from './render-markdown.js';
import type { Comparison } from './verdict.js';

export interface CompareExporter {
  format: string;
  /** Other names --format accepts. */
  aliases: readonly string[];
  extension: string;
  render(c: Comparison, options?: { color: boolean }): string;
}

export const compareExporters: readonly CompareExporter[] = [
  { format: 'console', aliases: ['text', 'txt'], extension: 'txt', render: (c, o) => renderCompareConsole(c, o) },
  { format: 'md', aliases: ['markdown'], extension: 'md', render: (c) => renderCompareMarkdown(c) },
  { format: 'json', aliases: [], extension: 'json', render: (c) => renderCompareJson(c) },
  { format: 'html', aliases: [], extension: 'html', render: (c) => renderCompareHtml(c) },
  { format: 'github-benchmark', aliases: ['customSmallerIsBetter'], extension: 'json', render: (c) => renderGithubBenchmark(c, 'smaller') },
  { format: 'github-benchmark-throughput', aliases: ['customBiggerIsBetter'], extension: 'json', render: (c) => renderGithubBenchmark(c, 'bigger') },
];

export function compareExporterFor(format: string): CompareExporter {
  const wanted = format.trim().toLowerCase();
  const found = compareExporters.find((e) => e.format === wanted || e.aliases.some((a) => a.toLowerCase() === wanted));
  if (found === undefined) {
    throw new InferbenchError('usage', `unknown compare format '${format}'`, `use one of: ${compareExporters.map((e) => e.format).join(', ')}`);
  }
  return found;
}
