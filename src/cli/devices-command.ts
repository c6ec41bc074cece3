// `inferbench devices`: what this machine and the installed runtime binaries can run, and why not.
import { Command } from 'commander';
import { onnxAdapter } from '../adapters/onnx.js';
import { queryGpus } from '../sample/nvidia-smi.js';
import { formatBytes } from '../report/format.js';

export function devicesCommand(): Command {
  return new Command('devices')
    .description('list execution devices this machine and runtime build can use, with the reason for any that cannot')
    .option('--json', 'print as JSON', false)
    .action(async (flags: { json: boolean }) => {
      const [devices, gpu] = await Promise.all([onnxAdapter.devices(), queryGpus()]);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ runtime: onnxAdapter.runtime, version: onnxAdapter.version(), devices, gpus: gpu.gpus, ...('note' in gpu && { gpuNote: gpu.note }) }, null, 2)}\n`);
        return;
      }
      const lines = [`onnxruntime-node ${onnxAdapter.version()}`];
      for (const d of devices) lines.push(`  ${d.available ? 'yes' : 'no '}  ${d.device.padEnd(10)} ${d.detail}`);
      lines.push('GPUs:');
      if (gpu.gpus.length === 0 && 'note' in gpu) lines.push(`  none (${gpu.note})`);
      for (const g of gpu.gpus) lines.push(`  ${g.index}: ${g.name}, driver ${g.driver}, ${formatBytes(g.memoryBytes)}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
