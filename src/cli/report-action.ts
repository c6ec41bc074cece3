// `inferbench report <file>`, loaded when the command runs: a saved report or comparison rendered.
import { extname } from 'node:path';
import { compareExporterFor } from '../compare/exporter.js';
import { isComparisonJson, parseComparison } from '../compare/load-comparison.js';
import { parseReport } from '../compare/load.js';
import { InferbenchError } from '../errors.js';
import { readRegularText } from '../io/read-text.js';
import { exporterFor } from '../report/exporters.js';
import { fallbackWarning, writeOutput } from './outputs.js';
import type { Terminal } from './terminal.js';

export interface ReportFlags {
  format?: string;
  out?: string;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readRegularText(path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === 'ENOTREG' || code === 'EISDIR' ? `: ${message}` : code ? ` (${code})` : '';
    throw new InferbenchError('usage', `cannot read ${path}${why}`, 'pass the path of a JSON report or comparison');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InferbenchError('usage', `${path} is not JSON: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ')}`, 'pass a report written by `inferbench profile --format json` or a comparison from `inferbench compare --format json`');
  }
}

/** Renders `file` and returns the text; exported for tests and for `run`. */
export function renderFile(file: string, flags: ReportFlags, color = false): string {
  const format = flags.format ?? (flags.out !== undefined && extname(flags.out) !== '' ? extname(flags.out).slice(1) : 'console');
  const data = readJson(file);
  if (isComparisonJson(data)) return compareExporterFor(format).render(parseComparison(data, file), { color });
  const exporter = exporterFor(format);
  return exporter.render(parseReport(JSON.stringify(data), file), { color });
}

export function runReport(file: string, flags: ReportFlags, terminal: Terminal): number {
  const text = renderFile(file, flags, flags.out === undefined && terminal.color);
  if (flags.out === undefined) {
    process.stdout.write(text);
    return 0;
  }
  const outcome = writeOutput({ flag: '--out', path: flags.out, kind: 'file' }, text, 'report');
  const warning = fallbackWarning(outcome, 'report');
  if (warning !== null) terminal.warn(warning);
  else terminal.info(`report written: ${flags.out}`);
  return 0;
}
