// GPU utilisation from ONE long-lived `nvidia-smi --query-gpu=... -lms <interval>` child that
// streams a CSV line per GPU per interval, instead of a process per sample (one nvidia-smi start
// costs tens of ms: it loads NVML and opens every device). Lines arrive in arbitrary chunks, so
// the parser keeps the unfinished tail. A missing binary, a driver error or an early exit become a
// note saying why; nothing here throws.
import { spawn } from 'node:child_process';
import type { GpuReading } from '../model/samples.js';

export const GPU_STREAM_FIELDS = [
  'index',
  'utilization.gpu',
  'utilization.memory',
  'memory.used',
  'memory.total',
  'power.draw',
  'clocks.sm',
  'temperature.gpu',
] as const;

/** nvidia-smi answers in ~10–50 ms per poll (NVML); polling faster only adds load to the GPU host. */
export const MIN_GPU_INTERVAL_MS = 100;

const MIB = 1024 * 1024;

/** One `--format=csv,noheader,nounits` line; [N/A], [Not Supported] and the like become null. */
export function parseGpuStreamLine(line: string): GpuReading | null {
  const fields = line.split(',').map((f) => f.trim());
  if (fields.length !== GPU_STREAM_FIELDS.length) return null;
  const n = fields.map((f) => (/^-?\d+(\.\d+)?$/.test(f) ? Number(f) : null));
  const [index, util, memUtil, memUsed, memTotal, power, clock, temp] = n;
  if (index === null || index === undefined) return null;
  const mib = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : v * MIB);
  return {
    index,
    utilizationPct: util ?? null,
    memoryUtilizationPct: memUtil ?? null,
    memoryUsedBytes: mib(memUsed),
    memoryTotalBytes: mib(memTotal),
    powerW: power ?? null,
    smClockMHz: clock ?? null,
    temperatureC: temp ?? null,
  };
}

/** Incremental parser: push chunks as they come, get the readings of every completed line. */
export class GpuCsvParser {
  private tail = '';

  push(chunk: string): GpuReading[] {
    const text = this.tail + chunk;
    const lines = text.split(/\r?\n/);
    this.tail = lines.pop() ?? '';
    return lines.map(parseGpuStreamLine).filter((r): r is GpuReading => r !== null);
  }

  /** The last line, when the stream ended without a newline. */
  flush(): GpuReading[] {
    const last = this.tail;
    this.tail = '';
    const reading = parseGpuStreamLine(last);
    return reading ? [reading] : [];
  }
}

export interface GpuStreamOptions {
  intervalMs: number;
  /** Binary to run; tests put a fake one first on PATH instead. */
  binary?: string;
  onReading(reading: GpuReading): void;
}

export interface GpuStream {
  /** Why GPU readings are absent or stopped early; empty while all is well. */
  readonly notes: string[];
  /** Kills the child and resolves once it has exited. */
  stop(): Promise<void>;
}

const KILL_GRACE_MS = 1_000;

export function startNvidiaSmiStream(options: GpuStreamOptions): GpuStream {
  const binary = options.binary ?? 'nvidia-smi';
  const intervalMs = Math.max(MIN_GPU_INTERVAL_MS, Math.round(options.intervalMs));
  const args = [`--query-gpu=${GPU_STREAM_FIELDS.join(',')}`, '--format=csv,noheader,nounits', '-lms', String(intervalMs)];
  const notes: string[] = [];
  const parser = new GpuCsvParser();
  let stopping = false;
  let stderr = '';
  let stdoutHead = ''; // what it printed instead of CSV, e.g. "No devices were found"
  let readings = 0;
  let failedToStart = false;
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      failedToStart = true;
      notes.push(error.code === 'ENOENT' ? `${binary} not found: no NVIDIA driver on this machine, so no GPU metrics` : `${binary} could not start: ${error.message}`);
      resolve();
    });
    child.once('close', (code, signal) => {
      for (const r of parser.flush()) emit(r);
      if (!stopping && !failedToStart) {
        const printed = (readings === 0 ? stdoutHead : '') + '\n' + stderr;
        const why = printed.trim().split('\n')[0] || (code !== null ? `exit code ${code}` : `signal ${signal}`);
        notes.push(readings === 0 ? `${binary} gave no GPU readings: ${why}` : `${binary} stopped during sampling: ${why}`);
      }
      resolve();
    });
  });
  const emit = (reading: GpuReading): void => {
    readings++;
    options.onReading(reading);
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (stdoutHead.length < 4096) stdoutHead += chunk;
    for (const r of parser.push(chunk)) emit(r);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 4096) stderr += chunk;
  });
  return {
    notes,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
        await exited;
        clearTimeout(force);
      }
      await exited;
    },
  };
}
