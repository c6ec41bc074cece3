// Every report exporter, looked up by --format name (the interface is exporter.ts).
import { InferbenchError } from '../errors.js';
import { consoleExporter } from './console.js';
import { csvExporter } from './csv.js';
import type { Exporter } from './exporter.js';
import { htmlExporter } from './html.js';
import { jsonExporter } from './json.js';
import { markdownExporter } from './markdown.js';
import { REPORT_FORMATS, type ReportFormat } from './formats.js';

const BY_FORMAT: Record<ReportFormat, Exporter> = { console: consoleExporter, json: jsonExporter, markdown: markdownExporter, csv: csvExporter, html: htmlExporter };

/** Every exporter, in the order the help text lists them (REPORT_FORMATS). */
export const exporters: readonly Exporter[] = REPORT_FORMATS.map((format) => BY_FORMAT[format]);

/** The format names --format accepts. */
export function exporterFormats(): string[] {
  return [...REPORT_FORMATS];
}

/** The exporter for a format name (or its extension: 'md' finds markdown). */
export function exporterFor(format: string): Exporter {
  const wanted = format.trim().toLowerCase();
  const found =
    exporters.find((exporter) => exporter.format === wanted) ??
    exporters.find((exporter) => exporter.extension === wanted);
  if (found === undefined) {
    throw new InferbenchError(
      'usage',
      `unknown report format '${format}'`,
      // The names --help shows: markdown is `md` there (its extension), so the hint says the same.
      `use one of: ${exporters.map((e) => (e.format === 'markdown' ? 'md' : e.format)).join(', ')} (comma-separated)`,
    );
  }
  return found;
}
