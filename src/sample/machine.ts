// The environment fingerprint every report carries, so two reports can be told apart as "same
// machine" or not: systeminformation's cpu, mem and osInfo (they read /proc and /sys, and spawn
// lscpu, hostname and a few more) and one nvidia-smi query for the GPU. Read once per process and
// finished before any trial starts.
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import si from 'systeminformation';
import type { Environment } from '../types.js';
import { queryGpus } from './nvidia-smi.js';

export interface RuntimeVersion {
  name: string;
  version: string;
  executionProviders: string[];
}

/**
 * The machine's part is read once per process: systeminformation spawns about a dozen short
 * child processes (lscpu, hostname, cat …), ~300 ms here, and a library user profiling many
 * models, or a bench script, would pay for them per call.
 */
const readMachine = () => Promise.all([si.cpu(), si.mem(), si.osInfo(), queryGpus()]);
let machine: ReturnType<typeof readMachine> | null = null;

/**
 * Await it before any trial starts: the child processes it spawns share the cores (and, under
 * `taskset`, the one core) with the model, and forking makes the parent's next writes page-fault.
 * Left running beside a short sweep, it added faults and kernel time to the measured phase
 * (docs/large-outputs.md).
 */
export async function collectEnvironment(runtimes: RuntimeVersion[]): Promise<Environment> {
  if (!machine) {
    machine = readMachine();
    machine.catch(() => (machine = null)); // a failed read is tried again next time, not cached
  }
  const [cpu, mem, os, gpu] = await machine;
  return {
    hostname: hostname(),
    cpu: {
      model: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ').trim() || 'unknown',
      logicalCores: cpu.cores,
      physicalCores: cpu.physicalCores,
      speedMHz: Math.round(cpu.speed * 1000),
    },
    memoryBytes: mem.total,
    os: { platform: os.platform, distro: os.distro, release: os.release, kernel: os.kernel, arch: os.arch },
    node: process.versions.node,
    runtimes,
    gpus: gpu.gpus.map(({ name, driver, memoryBytes }) => ({ name, driver, memoryBytes })),
    ...('note' in gpu && { gpuNote: gpu.note }),
  };
}

/**
 * Peak RSS during a trial. Linux keeps a high-water mark (VmHWM) that writing "5" to
 * /proc/self/clear_refs resets to the current RSS, so a reset before and a read after give the
 * trial's own peak at no cost during the run. Elsewhere the process-lifetime maximum is the best
 * available (and says so by being ≥ the trial's).
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export function readPeakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}
