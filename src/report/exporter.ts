// Exporters turn a Report into text. They are pure (`render(report) → string`), one file per
// format, and share `format.ts` for every number; writing to disk is `write-atomic.ts`'s job.
// (hyperfine's `export/` folder; autocannon's printer returns a string for API users.)

import { InferbenchError } from '../errors.js';
import type { Report } from '../types.js';
import { consoleExporter } from './console.js';
import { csvExporter } from './csv.js';
import { htmlExporter } from './html.js';
import { jsonExporter } from './json.js';
import { markdownExporter } from './markdown.js';

export interface RenderOptions {
  /** Emit ANSI colour codes. Only the console exporter colours; default false. */
  color: boolean;
  /** Terminal width in columns; wide tables (the sweep) drop their least needed columns to fit. Default: no limit. */
  width?: number;
}

export interface Exporter {
  /** Name used by --format, e.g. 'json'. */
  format: string;
  /** File extension without the dot, e.g. 'md'. */
  extension: string;
  render(report: Report, options?: RenderOptions): string;
}

/** Every exporter, in the order the help text lists them. */
export const exporters: readonly Exporter[] = [consoleExporter, jsonExporter, markdownExporter, csvExporter, htmlExporter];

/** The format names --format accepts. */
export function exporterFormats(): string[] {
  return exporters.map((exporter) => exporter.format);
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
