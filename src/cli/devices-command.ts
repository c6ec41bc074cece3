// `inferbench devices`: what this machine and the installed runtimes can run, and why not.
import { Command } from 'commander';
import type { DeviceStatus, RuntimeAdapter } from '../adapters/adapter.js';
import { onnxAdapter } from '../adapters/onnx.js';
import { tfAdapter } from '../adapters/tf.js';
import { formatBytes } from '../report/format.js';
import { queryGpus } from '../sample/nvidia-smi.js';

interface RuntimeDevices {
  runtime: string;
  version: string;
  devices: DeviceStatus[];
}

async function describe(adapter: RuntimeAdapter): Promise<RuntimeDevices> {
  const listed = await adapter.devices();
  // Probe what the packages say is there: bundled is not the same as usable on this machine.
  const devices = await Promise.all(listed.map((d) => (d.available && adapter.probe ? adapter.probe(d.device) : d)));
  return { runtime: adapter.runtime, version: adapter.version(), devices };
}

export function devicesCommand(): Command {
  return new Command('devices')
    .description('list execution devices the installed runtimes can use on this machine, with the reason for any that cannot')
    .option('--json', 'print as JSON', false)
    .action(async (flags: { json: boolean }) => {
      const [runtimes, gpu] = await Promise.all([Promise.all([describe(onnxAdapter), describe(tfAdapter)]), queryGpus()]);
      if (flags.json) {
        const onnx = runtimes[0]!;
        const body = { ...onnx, runtimes, gpus: gpu.gpus, ...('note' in gpu && { gpuNote: gpu.note }) };
        process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
        return;
      }
      const lines: string[] = [];
      for (const { runtime, version, devices } of runtimes) {
        lines.push(`${runtime} ${version}`);
        for (const d of devices) lines.push(`  ${d.available ? 'yes' : 'no '}  ${d.device.padEnd(10)} ${d.detail}`);
      }
      lines.push('GPUs:');
      if (gpu.gpus.length === 0 && 'note' in gpu) lines.push(`  none (${gpu.note})`);
      for (const g of gpu.gpus) lines.push(`  ${g.index}: ${g.name}, driver ${g.driver}, ${formatBytes(g.memoryBytes)}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
