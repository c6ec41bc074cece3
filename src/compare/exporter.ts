// Comparison exporters, one per --format of `inferbench compare` (same pattern as report/exporter.ts).
import { InferbenchError } from '../errors.js';
import { renderCompareConsole } from './render-console.js';
import { renderCompareHtml } from './render-html.js';
import { renderGithubBenchmark } from './render-github-benchmark.js';
import { renderCompareJson } from './render-json.js';
import { renderCompareMarkdown } from './render-markdown.js';
import type { Comparison } from './verdict.js';
import { COMPARE_FORMATS, type CompareFormat } from './flag-values.js';

export interface CompareExporter {
  format: CompareFormat;
  /** Other names --format accepts. */
  aliases: readonly string[];
  extension: string;
  render(c: Comparison, options?: { color: boolean }): string;
}

const BY_FORMAT: Record<CompareFormat, Omit<CompareExporter, 'format'>> = {
  console: { aliases: ['text', 'txt'], extension: 'txt', render: (c, o) => renderCompareConsole(c, o) },
  md: { aliases: ['markdown'], extension: 'md', render: (c) => renderCompareMarkdown(c) },
  json: { aliases: [], extension: 'json', render: (c) => renderCompareJson(c) },
  html: { aliases: [], extension: 'html', render: (c) => renderCompareHtml(c) },
  'github-benchmark': { aliases: ['customSmallerIsBetter'], extension: 'json', render: (c) => renderGithubBenchmark(c, 'smaller') },
  'github-benchmark-throughput': { aliases: ['customBiggerIsBetter'], extension: 'json', render: (c) => renderGithubBenchmark(c, 'bigger') },
};

/** Every comparison exporter, in COMPARE_FORMATS order. */
export const compareExporters: readonly CompareExporter[] = COMPARE_FORMATS.map((format) => ({ format, ...BY_FORMAT[format] }));

export function compareExporterFor(format: string): CompareExporter {
  const wanted = format.trim().toLowerCase();
  const found = compareExporters.find((e) => e.format === wanted || e.aliases.some((a) => a.toLowerCase() === wanted));
  if (found === undefined) {
    throw new InferbenchError('usage', `unknown compare format '${format}'`, `use one of: ${compareExporters.map((e) => e.format).join(', ')}`);
  }
  return found;
}
