// The docs' large-output command (docs/large-outputs.md), run through bin/inferbench: an --outputs
// sweep prints both trials with their wall-time and memory lines. Numbers are not asserted.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);

test('inferbench profile fixtures/expand4m.onnx --threads 1 -n 100 --outputs drop,reuse', async () => {
  const { stdout } = await run(process.execPath, ['bin/inferbench', 'profile', 'fixtures/expand4m.onnx', '--threads', '1', '-n', '100', '--outputs', 'drop,reuse', '--no-save', '--no-sample', '-w', '5'], {
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  expect(stdout).toContain('Trial cpu fp32 batch=1 threads=1 ');
  expect(stdout).toContain('Trial cpu fp32 batch=1 threads=1 outputs=reuse');
  expect(stdout.match(/Wall time +\S+ (ms|µs) per request = timed stages/g)).toHaveLength(2);
  // The output bytes and the per-stage faults come from an untimed pass that runs when the phase
  // faulted ≥ 8 times per request (almost always with 4 MiB of fresh output per request).
  expect(stdout).toMatch(/Outputs +--outputs drop(, 4\.00 MiB of outputs per request)?\n/);
  expect(stdout).toMatch(/Outputs +--outputs reuse(, 4\.00 MiB of outputs per request)?\n/);
  expect(stdout.match(/Memory +\S+ minor \/ \S+ major page faults per request( \(preprocess \S+, run \S+, postprocess \S+ in a 20-request untimed pass\))?; kernel CPU/g)).toHaveLength(2);
});
