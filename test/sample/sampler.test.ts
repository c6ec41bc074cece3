import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSampler } from '../../src/sample/sampler.js';
import { summarizeSamples } from '../../src/sample/summary.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** OS threads of this process right now (Linux), to see the worker's thread come and go. */
function threads(): number | null {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
  } catch {
    return null;
  }
}

describe('startSampler (a real worker thread)', () => {
  // First, so that whatever a first worker sets up once per process (thread pools, loader
  // hooks) already exists when the next test counts threads before and after.
  it('stop() right after start still returns a sample', async () => {
    const series = await startSampler({ gpu: false }).stop();
    expect(series.samples.length).toBeGreaterThanOrEqual(1);
    expect(series.samples[0]?.phase).toBe('idle');
  });

  it('samples every interval, applies tags, and stop() resolves with the worker gone', async () => {
    const before = threads();
    const sampler = startSampler({ intervalMs: 50, gpu: false });
    await sampler.ready();
    sampler.setTag('cpu fp32 batch=1', 'warmup');
    await sleep(250);
    sampler.setTag('cpu fp32 batch=1', 'measure');
    await sleep(300);
    const mid = await sampler.snapshot();
    expect(mid.samples.at(-1)?.phase).toBe('measure'); // snapshot() took a sample under the current tag
    sampler.setTag('cpu fp32 batch=1', 'idle');
    const series = await sampler.stop();
    expect(series.samples.slice(0, mid.samples.length)).toEqual(mid.samples);

    expect(series.samples.length).toBeGreaterThanOrEqual(5);
    expect(series.intervalMs).toBe(50);
    expect(series.pid).toBe(process.pid);
    expect(series.marks.map((m) => m.phase)).toEqual(['warmup', 'measure', 'idle']);
    const phases = series.samples.map((s) => s.phase);
    expect(phases).toContain('measure');
    expect(phases.at(-1)).toBe('idle');
    // Tags only move forward: once a sample is 'measure', no later one is 'warmup'.
    expect(phases.slice(phases.indexOf('measure'))).not.toContain('warmup');
    const times = series.samples.map((s) => s.tMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(series.notes).toContain('GPU sampling was turned off');

    const last = series.samples.at(-1)!;
    expect(last.processCpuUser).not.toBeNull();
    expect(last.processRssBytes).toBeGreaterThan(0);
    expect(last.heap?.heapUsedBytes).toBeGreaterThan(0);
    if (process.platform === 'linux') {
      expect(series.source).toBe('proc');
      expect(last.cores).toHaveLength(series.logicalCores);
      expect(last.processThreads).toBeGreaterThan(1);
      expect(last.memoryAvailableBytes).toBeGreaterThan(0);
      expect(threads()).toBe(before); // the worker's thread has exited
    }
    const summary = summarizeSamples(series, { trial: 'cpu fp32 batch=1', phase: 'measure' });
    expect(summary.sampleCount).toBe(phases.filter((p) => p === 'measure').length);
    expect(summary.rssMaxBytes).toBeGreaterThan(0);

    expect(await sampler.stop()).toBe(series); // stop() twice is the same answer
  });

  // `npm test` builds first; under a bare `vitest run` dist/ may be absent (or stale: this checks
  // only that the built worker is found and starts, the behaviour is tested above from source).
  const built = new URL('../../dist/sample/sampler.js', import.meta.url);
  it.skipIf(!existsSync(built))('the built sampler starts its built worker (dist/sample/sampler-worker.js)', async () => {
    const { startSampler: startBuilt } = (await import(built.href)) as typeof import('../../src/sample/sampler.js');
    const sampler = startBuilt({ intervalMs: 20, gpu: false });
    await sampler.ready();
    await sleep(100);
    const series = await sampler.stop();
    expect(series.samples.length).toBeGreaterThanOrEqual(2);
  });

  it('the portable source (non-Linux path) samples CPU and memory and notes what it lacks', async () => {
    const sampler = startSampler({ intervalMs: 50, gpu: false, source: 'portable' });
    await sampler.ready();
    await sleep(150);
    const series = await sampler.stop();
    expect(series.source).toBe('portable');
    const last = series.samples.at(-1)!;
    expect(last.cpu).not.toBeNull();
    expect(last.processCpuUser).not.toBeNull();
    expect(last.diskReadBytes).toBeNull();
    expect(last.processThreads).toBeNull();
    expect(series.notes[0]).toMatch(/^no \/proc on \w+: iowait, steal, swap activity, disk and process I\/O/);
  });

  it('attaches GPU readings from a (fake) nvidia-smi, and notes a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferbench-sampler-'));
    try {
      const binary = join(dir, 'nvidia-smi');
      writeFileSync(binary, "#!/bin/sh\nwhile true; do\nprintf '0, 88, 30, 1000, 16000, 70.5, 1500, 50\\n'\nsleep 0.05\ndone\n");
      chmodSync(binary, 0o755);
      const sampler = startSampler({ intervalMs: 50, gpu: binary });
      await sampler.ready();
      await sleep(400);
      const series = await sampler.stop();
      const withGpu = series.samples.filter((s) => s.gpus.length > 0);
      expect(withGpu.length).toBeGreaterThanOrEqual(1);
      expect(withGpu[0]?.gpus[0]).toMatchObject({ index: 0, utilizationPct: 88, powerW: 70.5 });
      expect(series.notes).toEqual([]);

      const missing = await startSampler({ intervalMs: 50, gpu: join(dir, 'absent') }).stop();
      expect(missing.notes).toEqual([expect.stringMatching(/absent not found: no NVIDIA driver/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
