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
import { onnxAdapter } from '../adapters/onnx.js';
import { loadOrt } from '../adapters/ort.js';
import { InferbenchError } from '../errors.js';
import { writeFileAtomic } from '../io/write-atomic.js';
import { addKernel, matMulKernel } from './calibrate-kernels.js';
import type { Calibration } from '../types.js';

export type { Calibration } from '../types.js';

/** Default MatMul size on the CPU: 1024×1024 fp32 (4 MiB per operand, 2.1 GFLOP per MatMul). */
export const DEFAULT_MATMUL_SIZE = 1024;
/**
 * Default Add vector size on the CPU: 64 MiB (192 MiB touched per Add), far beyond any CPU's
 * last-level cache, as STREAM asks (arrays ≥ 4 × the sum of all caches).
 */
export const DEFAULT_BANDWIDTH_BYTES = 64 * 1024 * 1024;
/**
 * On a GPU both are larger: a 4096² MatMul keeps thousands of cores busy, and 256 MiB is over 4×
 * the largest GPU L2 (50 MB on H100/H200), so a kernel of ~10 µs launch cost does ≥ 100 µs of work.
 */
export const GPU_MATMUL_SIZE = 4096;
export const GPU_BANDWIDTH_BYTES = 256 * 1024 * 1024;
/** Kernels chained per run, so that launch and the scalar transfers vanish against the work. */
export const DEFAULT_CHAIN = 8;
export const DEFAULT_REPEATS = 10;
/** 2: resident-operand kernels (version 1 fed operands from JS and under-read bandwidth). */
const CACHE_VERSION = 2;


export interface CalibrateOptions {
  /** ONNX Runtime device: 'cpu' (default), 'cuda', 'webgpu', ...; probed first. */
  device?: string;
  /** Intra-op threads; default null (ORT decides). Use the trial's threads to compare like with like. */
  threads?: number | null;
  /** Cache file; default `$XDG_CACHE_HOME/inferbench/calibration.json` or `~/.cache/inferbench/...`. */
  cachePath?: string;
  /** Measure even when the cache holds an entry (and replace it). Default false. */
  refresh?: boolean;
  /** MatMul n (n×n). Default DEFAULT_MATMUL_SIZE on the CPU, GPU_MATMUL_SIZE elsewhere. */
  matmulSize?: number;
  /** Bytes per Add operand. Default DEFAULT_BANDWIDTH_BYTES on the CPU, GPU_BANDWIDTH_BYTES elsewhere. */
  bandwidthBytes?: number;
  /** Kernels per timed run. Default DEFAULT_CHAIN. */
  chain?: number;
  /** Timed runs per kernel, best counts. Default DEFAULT_REPEATS. */
  repeats?: number;
  /** Called once before measuring, i.e. only when the cache cannot answer (progress for the UI). */
  onMeasure?: () => void;
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
export function machineFingerprint(parts: { cpuModel: string; logicalCores: number; ortVersion: string; device: string; threads: number | null; matmulSize: number; bandwidthBytes: number; chain: number }): string {
  return [
    parts.cpuModel.trim(),
    `${parts.logicalCores} cores`,
    `onnxruntime ${parts.ortVersion}`,
    parts.device,
    `threads=${parts.threads ?? 'auto'}`,
    `matmul=${parts.matmulSize}`,
    `add=${parts.bandwidthBytes}`,
    `chain=${parts.chain}`,
  ].join(' | ');
}

export async function calibrate(options: CalibrateOptions = {}): Promise<CalibrationResult> {
  const device = options.device ?? 'cpu';
  const status = await onnxAdapter.probe!(device);
  if (!status.available) {
    throw new InferbenchError('device-unavailable', `cannot calibrate device ${device}: ${status.detail}`, 'run `inferbench devices` to see what this machine can run');
  }
  const onCpu = device === 'cpu';
  const threads = options.threads ?? null;
  const matmulSize = positiveInteger(options.matmulSize ?? (onCpu ? DEFAULT_MATMUL_SIZE : GPU_MATMUL_SIZE), 'matmulSize');
  const bandwidthBytes = positiveInteger(options.bandwidthBytes ?? (onCpu ? DEFAULT_BANDWIDTH_BYTES : GPU_BANDWIDTH_BYTES), 'bandwidthBytes');
  const chain = positiveInteger(options.chain ?? DEFAULT_CHAIN, 'chain');
  const repeats = positiveInteger(options.repeats ?? DEFAULT_REPEATS, 'repeats');
  const cachePath = options.cachePath ?? defaultCachePath();
  const ort = await loadOrt();
  const ortVersion = ort.env.versions.node ?? ort.env.versions.common;
  const cpuList = cpus();
  const fingerprint = machineFingerprint({ cpuModel: cpuList[0]?.model ?? 'unknown cpu', logicalCores: cpuList.length, ortVersion, device, threads, matmulSize, bandwidthBytes, chain });

  const cache = await readCache(cachePath);
  const hit = cache.entries[fingerprint];
  if (hit && !options.refresh) return { ...hit, fromCache: true };
  options.onMeasure?.();

  const kernel = { provider: device, chain, threads, repeats };
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
    method: `best of ${repeats}: ${chain} chained MatMul ${matmulSize}×${matmulSize} fp32 (2n³ FLOP each); ${chain} chained Add on a resident ${bandwidthBytes}-byte fp32 vector (3 × ${bandwidthBytes} bytes moved each, STREAM Add); onnxruntime-node ${ortVersion} ${device}, threads ${threads ?? 'auto'}`,
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
