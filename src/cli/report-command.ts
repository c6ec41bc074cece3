// `inferbench report <file>`: render a saved report (or a saved comparison) in another format,
// e.g. HTML in CI after the run: `inferbench report run.json --format html -o run.html`.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Command } from 'commander';
import { compareExporterFor } from '../compare/exporter.js';
import { isComparisonJson, parseComparison } from '../compare/load-comparison.js';
import { parseReport } from '../compare/load.js';
import { InferbenchError } from '../errors.js';
import { exporterFor, exporterFormats } from '../report/exporters.js';
import { writeFileAtomic } from '../io/write-atomic.js';
import { createTerminal } from './terminal.js';
import type { GlobalFlags } from './terminal.js';

export interface ReportFlags {
  format?: string;
  out?: string;
}

const EXAMPLES = `
Examples:
  $ inferbench report reports/cnn-20261201-074650.json --format html -o cnn.html
  $ inferbench compare base.json head.json --format json -o cmp.json; inferbench report cmp.json -o cmp.html
  $ inferbench report run.json --format md

The input is a JSON report (profile/run) or a JSON comparison (compare --format json). Without
--format the format follows the extension of -o, else console.`;

export function reportCommand(globals: () => GlobalFlags = () => ({ quiet: false, verbose: false, color: true })): Command {
  return new Command('report')
    .description('render a saved JSON report or comparison as html, md, csv, json or console')
    .argument('<file>', 'a JSON report (profile/run) or comparison (compare --format json)')
    .option('-f, --format <name>', `output format: ${exporterFormats().join(', ')} (comparisons: console, md, json, html)`)
    .option('-o, --out <file>', 'write to this file (atomically) instead of stdout')
    .addHelpText('after', EXAMPLES)
    .action((file: string, flags: ReportFlags) => {
      process.exitCode = runReport(file, flags, globals());
    });
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InferbenchError('usage', `cannot read ${path}${code ? ` (${code})` : ''}`, 'pass the path of a JSON report or comparison');
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

function runReport(file: string, flags: ReportFlags, globals: GlobalFlags): number {
  const terminal = createTerminal(globals);
  const text = renderFile(file, flags, flags.out === undefined && terminal.color);
  if (flags.out === undefined) {
    process.stdout.write(text);
  } else {
    writeFileAtomic(flags.out, text);
    terminal.info(`report written: ${flags.out}`);
  }
  return 0;
}
