// The environment fingerprint every report carries, so two reports can be told apart as "same
// machine" or not. Collected once, before any trial, with systeminformation's cheap calls only
// (cpu, mem, osInfo read /proc and /sys); the GPU comes from one nvidia-smi query.
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

export async function collectEnvironment(runtimes: RuntimeVersion[]): Promise<Environment> {
  const [cpu, mem, os, gpu] = await Promise.all([si.cpu(), si.mem(), si.osInfo(), queryGpus()]);
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
