// listDevices' per-runtime view: listed devices are probed; a runtime whose package cannot load
// is reported with the reason instead of failing the whole list. (A fake adapter stands in for a
// broken install here only; the real runtimes are exercised in test/index.test.ts.)
import { expect, test } from 'vitest';
import type { RuntimeAdapter } from '../src/adapters/adapter.js';
import { describeRuntime } from '../src/devices.js';

const adapter = (over: Partial<RuntimeAdapter>): RuntimeAdapter => ({
  runtime: 'fake', version: () => '1.0', accepts: () => false, open: () => Promise.reject(new Error('unused')),
  devices: () => Promise.resolve([{ device: 'cpu', available: true, detail: 'listed' }, { device: 'gpu', available: true, detail: 'listed' }, { device: 'npu', available: false, detail: 'absent' }]),
  ...over,
});

test('available devices are probed; unavailable ones keep their reason', async () => {
  const probed = await describeRuntime(adapter({ probe: (device) => Promise.resolve({ device, available: device === 'cpu', detail: device === 'cpu' ? 'ran' : 'no adapter' }) }));
  expect(probed.devices).toEqual([
    { device: 'cpu', available: true, detail: 'ran' },
    { device: 'gpu', available: false, detail: 'no adapter' },
    { device: 'npu', available: false, detail: 'absent' },
  ]);
  expect(probed.error).toBeUndefined();
});

test('a runtime whose package cannot load is an entry with the reason, not a crash', async () => {
  const broken = await describeRuntime(adapter({ devices: () => Promise.reject(new Error("Cannot find package '@tensorflow/tfjs'\n    at stack")) }));
  expect(broken).toEqual({ runtime: 'fake', version: 'unavailable', devices: [], error: "Cannot find package '@tensorflow/tfjs'" });
});
