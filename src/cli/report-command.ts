// `inferbench report <file>`: render a saved report (or a saved comparison) in another format,
// e.g. HTML in CI after the run: `inferbench report run.json --format html -o run.html`.
import { REPORT_FORMATS } from '../report/formats.js';
import { defineCommand } from './frame.js';
import type { ReportFlags } from './report-action.js';

const EXAMPLES = `
Examples:
  $ inferbench report reports/cnn-20261201-074650.json --format html -o cnn.html
  $ inferbench compare base.json head.json --format json -o cmp.json; inferbench report cmp.json -o cmp.html
  $ inferbench report run.json --format md

The input is a JSON report (profile/run) or a JSON comparison (compare --format json). Without
--format the format follows the extension of -o, else console.`;

export const reportCommand = defineCommand<ReportFlags>({
  name: 'report',
  description: 'render a saved JSON report or comparison as html, md, csv, json or console',
  build: (command) =>
    command
      .argument('<file>', 'a JSON report (profile/run) or comparison (compare --format json)')
      .option('-f, --format <name>', `output format: ${REPORT_FORMATS.join(', ')} (comparisons: console, md, json, html)`)
      .option('-o, --out <file>', 'write to this file (atomically) instead of stdout')
      .addHelpText('after', EXAMPLES),
  outputs: (flags) => (flags.out === undefined ? [] : [{ flag: '--out', path: flags.out, kind: 'file' }]),
  async run({ args, flags, terminal }) {
    const { runReport } = await import('./report-action.js');
    return runReport(args[0]!, flags, terminal);
  },
});
