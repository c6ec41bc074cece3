// `inferbench calibrate`: measure this machine's peak compute and memory bandwidth through the
// runtime (cached per machine), the roof that --op-profile places each trial under.
import { ExitCode } from '../errors.js';
import { parsePositiveInt } from '../options/parse.js';
import { defineCommand } from './frame.js';

interface CalibrateFlags {
  device: string;
  threads?: number;
  refresh: boolean;
  json: boolean;
  cache?: string;
}

export const calibrateCommand = defineCommand<CalibrateFlags>({
  name: 'calibrate',
  description: 'measure peak GFLOP/s (chained large MatMuls) and GB/s (chained large Adds) through ONNX Runtime on a device; cached per machine',
  build: (command) =>
    command
      .option('-d, --device <name>', 'ONNX Runtime device: cpu, cuda, webgpu, ... (probed first)', 'cpu')
      .option('-t, --threads <n>', 'intra-op threads (default: the runtime decides)', (v) => parsePositiveInt(v, '--threads'))
      .option('--refresh', 'measure again even when a cached calibration exists (e.g. it ran while the machine was busy)', false)
      .option('--cache <file>', 'calibration cache file (default: $XDG_CACHE_HOME/inferbench/calibration.json)')
      .option('--json', 'print as JSON', false),
  // --cache is not probed as an output: writing it is best effort, and a read-only shared cache is fine.
  onStop: 'finishing the calibration (a few seconds)',
  async run({ flags }) {
    const [{ calibrate }, { formatRate }] = await Promise.all([import('../measure/calibrate.js'), import('../report/format.js')]);
    const result = await calibrate({
      device: flags.device,
      threads: flags.threads ?? null,
      refresh: flags.refresh,
      ...(flags.cache && { cachePath: flags.cache }),
    });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return ExitCode.ok;
    }
    const lines = [
      `peak compute     ${formatRate(result.gflops, 'GFLOP/s')}`,
      `peak bandwidth   ${formatRate(result.gbps, 'GB/s')}`,
      `machine balance  ${formatRate(result.machineBalance, 'FLOP/byte')}`,
      `measured         ${result.measuredAt}${result.fromCache ? ' (from cache; --refresh to measure again)' : ''}`,
      `method           ${result.method}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
});
