// `inferbench merge REPORT… -o FILE|DIR`: the command's flags and help. The work is the library's
// merge() (src/merge.ts), written by merge-action.ts; both load when the command runs.
import { REPORT_FORMATS } from '../report/formats.js';
import { defineCommand } from './frame.js';
import type { MergeFlags } from './merge-action.js';
import { outIsFile } from './merge-out.js';

const EXAMPLES = `
Examples:
  $ inferbench profile model.onnx --batch 1..64:x2 --shard 2/4 -o shard-2    # on each of 4 machines
  $ inferbench merge shard-*/ -o merged.json && inferbench report merged.json -o merged.html
  $ inferbench run --shard 1/3 --no-compare -o reports/shard-1                 # a sharded config
  $ inferbench merge reports/ -o merged/      # one <model>.json per model, as run writes them

Histograms add (count, min, max and every percentile come from all the samples); percentiles are
never averaged. Exit codes: 0 merged; 1 a budget violated on the merged trials; 2 the reports
cannot be merged (what differs is said); 4 no trial was measured; 6 a shard's trials are missing
(the merged report says incomplete and names the shard).`;

export const mergeCommand = defineCommand<MergeFlags>({
  name: 'merge',
  description: 'merge the reports of shards (--shard I/N) or repeated runs into one report per model, exactly',
  build: (command) =>
    command
      .argument('<reports...>', 'JSON reports: files, directories (every *.json under them) or quoted globs')
      .requiredOption('-o, --out <file|dir>', 'the merged report (merged.json, merged.html), or a directory for one report per model (<model>.json, as run writes them)')
      .option('-f, --format <list>', `formats: ${REPORT_FORMATS.join(', ')} (a file: one, default from its extension; a directory: a list, default json)`)
      .option('--allow-mixed-machines', 'merge reports measured on different machines (the report names each trial\'s machine)', false)
      .addHelpText('after', EXAMPLES),
  outputs: (flags) => [{ flag: '--out', path: flags.out, kind: outIsFile(flags.out) ? 'file' : 'dir' }],
  async run(context) {
    const { runMerge } = await import('./merge-action.js');
    return runMerge(context.args, context.flags, context.terminal);
  },
});
