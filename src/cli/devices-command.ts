// `inferbench devices`: what this machine and the installed runtimes can run, and why not.
import { ExitCode } from '../errors.js';
import { defineCommand } from './frame.js';

export const devicesCommand = defineCommand<{ json: boolean }>({
  name: 'devices',
  description: 'list execution devices the installed runtimes can use on this machine, with the reason for any that cannot',
  build: (command) => command.option('--json', 'print as JSON', false),
  async run({ flags }) {
    const [{ listDevices }, { formatBytes }] = await Promise.all([import('../devices.js'), import('../report/format.js')]);
    const { runtimes, gpus, gpuNote } = await listDevices();
    if (flags.json) {
      const onnx = runtimes[0]!;
      const body = { ...onnx, runtimes, gpus, ...(gpuNote !== undefined && { gpuNote }) };
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      return ExitCode.ok;
    }
    const lines: string[] = [];
    for (const { runtime, version, devices, error } of runtimes) {
      lines.push(error === undefined ? `${runtime} ${version}` : `${runtime} unavailable: ${error}`);
      for (const d of devices) lines.push(`  ${d.available ? 'yes' : 'no '}  ${d.device.padEnd(10)} ${d.detail}`);
    }
    lines.push('GPUs:');
    if (gpus.length === 0 && gpuNote !== undefined) lines.push(`  none (${gpuNote})`);
    for (const g of gpus) lines.push(`  ${g.index}: ${g.name}, driver ${g.driver}, ${formatBytes(g.memoryBytes)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
});
