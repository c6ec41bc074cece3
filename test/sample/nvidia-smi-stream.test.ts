import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GpuCsvParser, parseGpuStreamLine, startNvidiaSmiStream } from '../../src/sample/nvidia-smi-stream.js';
import type { GpuReading } from '../../src/model/samples.js';

const recorded = (name: string): string => readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8');
const MIB = 1024 * 1024;

describe('nvidia-smi CSV parsing (recorded output)', () => {
  it('one GPU: every field, units converted', () => {
    const readings = new GpuCsvParser().push(recorded('nvidia-smi-1gpu.csv'));
    expect(readings).toHaveLength(6);
    expect(readings[3]).toEqual({
      index: 0,
      utilizationPct: 100,
      memoryUtilizationPct: 43,
      memoryUsedBytes: 8723 * MIB,
      memoryTotalBytes: 81920 * MIB,
      powerW: 318.9,
      smClockMHz: 1395,
      temperatureC: 44,
    });
  });

  it('two GPUs: [N/A] and [Not Supported] become null', () => {
    const readings = new GpuCsvParser().push(recorded('nvidia-smi-2gpu.csv'));
    expect(readings.map((r) => r.index)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(readings[1]).toEqual({
      index: 1,
      utilizationPct: 0,
      memoryUtilizationPct: null,
      memoryUsedBytes: 3 * MIB,
      memoryTotalBytes: 15360 * MIB,
      powerW: null,
      smClockMHz: 585,
      temperatureC: 39,
    });
    expect(readings[6]).toMatchObject({ index: 0, utilizationPct: null, powerW: null, smClockMHz: null, temperatureC: 63 });
  });

  it('gives the same readings whatever chunk boundary splits a line', () => {
    const text = recorded('nvidia-smi-2gpu.csv');
    const whole = new GpuCsvParser().push(text);
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new GpuCsvParser();
      const split = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.flush()];
      expect(split).toEqual(whole);
    }
  });

  it('handles CRLF, a last line without newline, and ignores lines that are not readings', () => {
    const parser = new GpuCsvParser();
    const crlf = parser.push(recorded('nvidia-smi-2gpu-crlf.csv'));
    expect(crlf.map((r) => r.index)).toEqual([0, 1]);
    expect(parser.push('No devices were found\n0, 1, 2')).toEqual([]);
    expect(parser.flush()).toEqual([]); // too few fields
    expect(parseGpuStreamLine('0, 5, 6, 7, 8, 9.5, 10, 11')?.powerW).toBe(9.5);
  });
});

describe('the nvidia-smi stream with a fake binary on PATH', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A fake nvidia-smi: records its args and pid, prints `body` (a shell snippet). */
  function fakeNvidiaSmi(body: string): string {
    dir = mkdtempSync(join(tmpdir(), 'inferbench-nvsmi-'));
    const path = join(dir, 'nvidia-smi');
    writeFileSync(path, `#!/bin/sh\necho "$@" > "${dir}/args"\necho $$ > "${dir}/pid"\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  const waitFor = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  };

  it('streams readings, including lines split across writes, and kills the child on stop', async () => {
    // Each round prints two GPUs' lines, the second one in two writes with a pause mid-line.
    const binary = fakeNvidiaSmi(
      `while true; do\nprintf '0, 96, 47, 11412, 24564, 391.20, 2505, 61\\n1, 47, [Not Sup'\nsleep 0.02\nprintf 'ported], 2210, 15360, [N/A], 1590, 42\\n'\nsleep 0.03\ndone`,
    );
    const readings: GpuReading[] = [];
    const stream = startNvidiaSmiStream({ intervalMs: 50, binary, onReading: (r) => readings.push(r) });
    await waitFor(() => readings.length >= 6);
    await stream.stop();
    expect(readings.length).toBeGreaterThanOrEqual(6);
    expect(readings.slice(0, 2)).toEqual([
      expect.objectContaining({ index: 0, utilizationPct: 96, powerW: 391.2 }),
      expect.objectContaining({ index: 1, utilizationPct: 47, memoryUtilizationPct: null, powerW: null, smClockMHz: 1590 }),
    ]);
    expect(stream.notes).toEqual([]);
    const args = readFileSync(join(dir, 'args'), 'utf8');
    expect(args).toContain('--query-gpu=index,utilization.gpu,utilization.memory,memory.used,memory.total,power.draw,clocks.sm,temperature.gpu');
    expect(args).toContain('--format=csv,noheader,nounits -lms 100'); // raised to the 100 ms floor
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it('a missing binary is a note, not a crash', async () => {
    const stream = startNvidiaSmiStream({ intervalMs: 100, binary: join(tmpdir(), 'no-such-nvidia-smi'), onReading: () => {} });
    await stream.stop();
    expect(stream.notes).toEqual([expect.stringMatching(/not found: no NVIDIA driver/)]);
  });

  it('an exit before any reading is a note with what it printed', async () => {
    const binary = fakeNvidiaSmi('echo "No devices were found"\nexit 6');
    const stream = startNvidiaSmiStream({ intervalMs: 100, binary, onReading: () => {} });
    await waitFor(() => stream.notes.length > 0);
    expect(stream.notes).toEqual([`${binary} gave no GPU readings: No devices were found`]);
    await stream.stop();
  });

  it('an exit during sampling is a note too', async () => {
    const binary = fakeNvidiaSmi(`printf '0, 1, 2, 3, 4, 5.5, 6, 7\\n'\necho "GPU is lost" >&2\nexit 15`);
    const readings: GpuReading[] = [];
    const stream = startNvidiaSmiStream({ intervalMs: 100, binary, onReading: (r) => readings.push(r) });
    await waitFor(() => stream.notes.length > 0);
    expect(readings).toHaveLength(1);
    expect(stream.notes).toEqual([`${binary} stopped during sampling: GPU is lost`]);
    await stream.stop();
  });
});
