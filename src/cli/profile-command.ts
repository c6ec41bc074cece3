// `inferbench profile <model>`: the command's flags and help. Cheap to load (`--help` builds every
// command); the work is in profile-action.ts, imported when the command runs.
import { addDeclaredFlags, declaredOptionsFrom } from './declared-flags.js';
import { defineCommand } from './frame.js';
import type { ProfileCliFlags } from './profile-action.js';

const EXAMPLES = `
Examples:
  $ inferbench profile fixtures/cnn.onnx
  $ inferbench profile model.onnx --batch 1..32:x2 --precision fp32,fp16,int8 --threads 1,2
  $ inferbench profile model.onnx --device cpu,cuda --batch 1,8 --isolate --dry-run
  $ inferbench profile model.onnx --batch 8 --threads 4 -n 1000
  $ inferbench profile bert.onnx --dim sequence=256 --range input_ids=0:30000
  $ inferbench profile detector.onnx --shape images=1x3x640x640 --warmup 2s --duration 20s
  $ inferbench profile model.onnx --batch 1..64:x2 --budget "p99<=20ms"   # best batch within the budget
  $ inferbench profile model.onnx --repeat 5 -n 1000 --no-op-profile
  $ inferbench profile cnn.onnx --data images/ --pipeline image --postprocess softmax,topk=5 --batch 4
  $ inferbench profile bert.onnx --data texts.txt --pipeline text --pipeline-opt tokenizer=tokenizer.json
  $ inferbench profile model.onnx --json > report.json`;

export const profileCommand = defineCommand<ProfileCliFlags>({
  name: 'profile',
  description: 'measure a model: cold start, then per-stage latency (preprocess, inference, postprocess)',
  build: (command) =>
    addDeclaredFlags(command.argument('<model...>', 'the model: .onnx, a TensorFlow.js model.json, or a SavedModel directory (one per run)'), 'profile')
      .option('--dry-run', 'print the plan and exit', false)
      .option('-o, --out <dir>', 'directory for report files', 'reports')
      .option('-f, --format <list>', 'report file formats: json, md, csv, html, console (comma-separated)', 'json,md')
      .option('--no-save', 'do not write report files')
      .option('--json', 'print the JSON report to stdout (nothing else goes to stdout)', false)
      .addHelpText('after', EXAMPLES),
  outputs: (flags) => (flags.save && !flags.dryRun ? [{ flag: '--out', path: flags.out, kind: 'dir' }] : []),
  onStop: 'finishing the current measurement and writing the partial report',
  async run(context) {
    const declared = declaredOptionsFrom(context.command, 'profile');
    const { runProfile } = await import('./profile-action.js');
    return runProfile(context.args, declared, context);
  },
});
