// Machine calibration for the roofline: peak compute (GFLOP/s) and peak memory bandwidth (GB/s)
// measured through the same runtime as the trials (see calibrate-kernels.ts), cached per machine.
//
// The cache is one JSON file of entries keyed by a fingerprint of what the peaks depend on: CPU
// model, logical cores, ONNX Runtime version, device, threads and the kernel sizes (a quick
// small-size calibration never stands in for a full one). Written atomically (temp + rename) so a
// crash mid-write never leaves a torn cache; an unreadable cache is treated as empty.
import { readFile } from 'node:fs/promises';
import { cpus, homedir } from 'node:os';
import { join } from 'node:path';
import { loadOrt } from '../adapters/onnx.js';
import { InferbenchError } from '../errors.js';
import { writeFileAtomic } from '../report/write-atomic.js';
import { addKernel, matMulKernel } from './calibrate-kernels.js';

/** Default MatMul size: 1024×1024 fp32 (4 MiB per operand, 2.1 GFLOP per run). */
export const DEFAULT_MATMUL_SIZE = 1024;
/**
 * Default Add vector size: 64 MiB each (192 MiB touched per run), far beyond any CPU's last-level
 * cache, as STREAM asks (arrays ≥ 4 × the sum of all caches).
 */
export const DEFAULT_BANDWIDTH_BYTES = 64 * 1024 * 1024;
export const DEFAULT_REPEATS = 10;
const CACHE_VERSION = 1;

export interface Calibration {
  device: string;
  /** Intra-op threads used; null = ORT's default. */
  threads: number | null;
  /** Peak compute, GFLOP/s (1e9 FLOP per second). */
  gflops: number;
  /** Peak memory bandwidth, GB/s (1e9 bytes per second). */
  gbps: number;
  /** gflops / gbps: the roofline's ridge point, FLOP per byte. */
  machineBalance: number;
  /** ISO 8601 time of the measurement. */
  measuredAt: string;
  /** How it was measured, in words (kernel, sizes, repeats, runtime version). */
  method: string;
  /** The cache key this calibration is stored under. */
  fingerprint: string;
}

export interface CalibrateOptions {
  /** Default 'cpu', the only device calibrated so far. */
  device?: string;
  /** Intra-op threads; default null (ORT decides). Use the trial's threads to compare like with like. */
  threads?: number | null;
  /** Cache file; default `$XDG_CACHE_HOME/inferbench/calibration.json` or `~/.cache/inferbench/...`. */
  cachePath?: string;
  /** Measure even when the cache holds an entry (and replace it). Default false. */
  refresh?: boolean;
  /** MatMul n (n×n). Default DEFAULT_MATMUL_SIZE. */
  matmulSize?: number;
  /** Bytes per Add operand. Default DEFAULT_BANDWIDTH_BYTES. */
  bandwidthBytes?: number;
  /** Timed runs per kernel, best counts. Default DEFAULT_REPEATS. */
  repeats?: number;
}

export interface CalibrationResult extends Calibration {
  /** True when the numbers came from the cache, not from this call. */
  fromCache: boolean;
}

interface CacheFile {
  version: number;
  entries: Record<string, Calibration>;
}

export function defaultCachePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'inferbench', 'calibration.json');
}

/** What the peaks depend on, as one string. */
export function machineFingerprint(parts: { cpuModel: string; logicalCores: number; ortVersion: string; device: string; threads: number | null; matmulSize: number; bandwidthBytes: number }): string {
  return [
    parts.cpuModel.trim(),
    `${parts.logicalCores} cores`,
    `onnxruntime ${parts.ortVersion}`,
    parts.device,
    `threads=${parts.threads ?? 'auto'}`,
    `matmul=${parts.matmulSize}`,
    `add=${parts.bandwidthBytes}`,
  ].join(' | ');
}

export async function calibrate(options: CalibrateOptions = {}): Promise<CalibrationResult> {
  const device = options.device ?? 'cpu';
  if (device !== 'cpu') {
    throw new InferbenchError('device-unavailable', `calibration for device '${device}' is not implemented yet`, 'calibrate with --device cpu; GPU peaks need device-resident buffers (IO binding)');
  }
  const threads = options.threads ?? null;
  const matmulSize = positiveInteger(options.matmulSize ?? DEFAULT_MATMUL_SIZE, 'matmulSize');
  const bandwidthBytes = positiveInteger(options.bandwidthBytes ?? DEFAULT_BANDWIDTH_BYTES, 'bandwidthBytes');
  const repeats = positiveInteger(options.repeats ?? DEFAULT_REPEATS, 'repeats');
  const cachePath = options.cachePath ?? defaultCachePath();
  const ort = await loadOrt();
  const ortVersion = ort.env.versions.node ?? ort.env.versions.common;
  const cpuList = cpus();
  const fingerprint = machineFingerprint({ cpuModel: cpuList[0]?.model ?? 'unknown cpu', logicalCores: cpuList.length, ortVersion, device, threads, matmulSize, bandwidthBytes });

  const cache = await readCache(cachePath);
  const hit = cache.entries[fingerprint];
  if (hit && !options.refresh) return { ...hit, fromCache: true };

  const kernel = { threads, repeats };
  const compute = await matMulKernel(matmulSize, kernel);
  const memory = await addKernel(bandwidthBytes, kernel);
  const gflops = compute.work / compute.bestSeconds / 1e9;
  const gbps = memory.work / memory.bestSeconds / 1e9;
  const calibration: Calibration = {
    device,
    threads,
    gflops,
    gbps,
    machineBalance: gflops / gbps,
    measuredAt: new Date().toISOString(),
    method: `best of ${repeats}: MatMul ${matmulSize}×${matmulSize} fp32 (2n³ FLOP); Add of two ${bandwidthBytes}-byte fp32 vectors (3 × ${bandwidthBytes} bytes moved, STREAM Add); onnxruntime-node ${ortVersion} cpu, threads ${threads ?? 'auto'}`,
    fingerprint,
  };
  cache.entries[fingerprint] = calibration;
  writeCache(cachePath, cache);
  return { ...calibration, fromCache: false };
}

async function readCache(path: string): Promise<CacheFile> {
  try {
    const json = JSON.parse(await readFile(path, 'utf8')) as Partial<CacheFile>;
    if (json.version === CACHE_VERSION && typeof json.entries === 'object' && json.entries !== null) {
      return { version: CACHE_VERSION, entries: json.entries };
    }
  } catch {
    // missing or unreadable: measured again and rewritten
  }
  return { version: CACHE_VERSION, entries: {} };
}

/** Best effort: a read-only cache directory costs a re-measurement next time, not a failure now. */
function writeCache(path: string, cache: CacheFile): void {
  try {
    writeFileAtomic(path, `${JSON.stringify(cache, null, 2)}\n`);
  } catch {
    // the numbers are still returned to the caller
  }
}

function positiveInteger(value: number, name: string): number {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
