// nvidia-smi as a data source: one query with a timeout, parsed from CSV. Absent tool, absent GPU
// or a broken driver are answers ("why there is no GPU data"), never crashes.
import { execFile } from 'node:child_process';

export interface GpuIdentity {
  index: number;
  name: string;
  driver: string;
  memoryBytes: number;
}

export type GpuQuery = { gpus: GpuIdentity[] } | { gpus: []; note: string };

const IDENTITY_FIELDS = 'index,name,driver_version,memory.total';
const QUERY_TIMEOUT_MS = 5_000;

export function queryGpus(binary = 'nvidia-smi'): Promise<GpuQuery> {
  return new Promise((resolve) => {
    execFile(
      binary,
      [`--query-gpu=${IDENTITY_FIELDS}`, '--format=csv,noheader,nounits'],
      { timeout: QUERY_TIMEOUT_MS, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const note =
            code === 'ENOENT'
              ? 'nvidia-smi not found: no NVIDIA driver on this machine'
              : `nvidia-smi failed: ${(stderr || stdout || error.message).trim().split('\n')[0]}`;
          resolve({ gpus: [], note });
          return;
        }
        const gpus = parseGpuIdentityCsv(stdout);
        resolve(gpus.length > 0 ? { gpus } : { gpus: [], note: 'nvidia-smi lists no GPU' });
      },
    );
  });
}

/** Parses `--query-gpu=index,name,driver_version,memory.total --format=csv,noheader,nounits`. */
export function parseGpuIdentityCsv(csv: string): GpuIdentity[] {
  const gpus: GpuIdentity[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 4) continue;
    const [index, name, driver, memoryMiB] = fields as [string, string, string, string];
    const memory = Number(memoryMiB);
    gpus.push({
      index: Number(index),
      name,
      driver,
      memoryBytes: Number.isFinite(memory) ? memory * 1024 * 1024 : 0,
    });
  }
  return gpus;
}
