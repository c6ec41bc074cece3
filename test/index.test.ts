// The public API as a library user imports it: profile(), compare() and listDevices() from the
// package entry, returning data and printing nothing.
import { describe, expect, test } from 'vitest';
import { compare, listDevices, profile, validateReport } from '../src/index.js';

describe('public API', () => {
  test('profile() → a schema-valid report; compare() of it with itself never flags a change', async () => {
    const report = await profile({ model: 'fixtures/mlp.onnx', warmup: { kind: 'count', iterations: 5 }, measure: { kind: 'count', iterations: 100 }, sample: false });
    expect(validateReport(report)).toEqual({ valid: true });
    // 100 samples a side: honest intervals may be too wide to say "unchanged", never a change.
    const same = compare(report, report);
    expect(same.exitCode).toBe(0);
    expect(['unchanged', 'inconclusive']).toContain(same.verdict);
    expect(same.base.label).toBe('base');
    expect(compare('test/data/compare/cnn-t1-a.json', 'test/data/compare/cnn-t1-b.json').verdict).toBe('unchanged');
  });

  test('compare() reads report paths like the CLI and labels the sides with them', () => {
    const a = 'test/data/compare/cnn-t1-b.json';
    const b = 'test/data/compare/cnn-slow-t1.json';
    const c = compare(a, b);
    expect(c).toMatchObject({ verdict: 'regressed', exitCode: 1 });
    expect([c.base.label, c.head.label]).toEqual([a, b]);
    expect(() => compare('missing.json', b)).toThrow(/cannot read report missing\.json/);
  });

  test('listDevices(): every runtime with each device probed, and why a GPU is absent', async () => {
    const { runtimes, gpus, gpuNote } = await listDevices();
    expect(runtimes.map((r) => r.runtime)).toEqual(['onnxruntime', 'tensorflow.js']);
    for (const r of runtimes) expect(r.devices.find((d) => d.device === 'cpu')?.available).toBe(true);
    const cuda = runtimes[0]!.devices.find((d) => d.device === 'cuda');
    if (!cuda?.available) expect(cuda?.detail).toMatch(/cuda/);
    if (gpus.length === 0) expect(gpuNote).toMatch(/nvidia-smi/);
  });
});
