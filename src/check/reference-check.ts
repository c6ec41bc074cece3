// --reference MODEL with a URL target: one request's outputs from the endpoint against the same
// model run in process on the same synthetic inputs, outside any timing, before the sweep. A
// server that answers with other names, shapes or types (or other numbers) is a mismatch that
// says what differed, reported as an output check (exit 1, as --check-outputs).
import type { RuntimeAdapter, SessionOptions } from '../adapters/adapter.js';
import { resolveAdapter } from '../adapters/resolve.js';
import { messageOf } from '../errors.js';
import type { InputPins } from '../inputs/pins.js';
import { resolveInputShapes } from '../inputs/shapes.js';
import { buildInputs } from '../inputs/synthetic.js';
import type { OutputCheck, OutputComparison } from '../model/output-check.js';
import { compareOutput, DEFAULT_ATOL, DEFAULT_RTOL } from './allclose.js';

export async function checkAgainstReference(remote: RuntimeAdapter, url: string, reference: string, options: SessionOptions, pins: InputPins, seed: number): Promise<OutputCheck> {
  const path = `${url} against ${reference} in process (one request, synthetic inputs, seed ${seed})`;
  const result = (status: OutputCheck['status'], outputs: OutputComparison[], error?: string): OutputCheck => ({
    device: options.device, rtol: DEFAULT_RTOL, atol: DEFAULT_ATOL, status,
    dataSets: [{ path, status, outputs, ...(error !== undefined && { error }) }],
  });
  const local = await (await resolveAdapter(reference)).open(reference, { ...options, remote: undefined });
  try {
    const endpoint = await remote.open(url, options);
    try {
      const { shapes } = resolveInputShapes(endpoint.info.inputs, pins, null, url);
      const { tensors } = buildInputs(endpoint.info.inputs, shapes, pins, seed);
      let actual;
      try {
        actual = endpoint.collect(await endpoint.run(endpoint.prepare(tensors)));
      } catch (error) {
        return result('error', [], `the endpoint failed the request: ${messageOf(error)}`);
      }
      const expected = local.collect(await local.run(local.prepare(tensors)));
      const outputs = expected.map((want): OutputComparison => {
        const got = actual.find((a) => a.name === want.name);
        return got ? compareOutput(want, got) : { name: want.name, status: 'mismatch', elements: want.data.length, mismatched: want.data.length, maxAbsError: 0, detail: `the endpoint returned no output '${want.name}' (it returned ${actual.map((a) => `'${a.name}'`).join(', ') || 'none'})` };
      });
      const extra = actual.filter((a) => !expected.some((e) => e.name === a.name));
      for (const a of extra) outputs.push({ name: a.name, status: 'mismatch', elements: a.data.length, mismatched: a.data.length, maxAbsError: 0, detail: `the endpoint returned an output '${a.name}' the model file does not have` });
      return result(outputs.every((o) => o.status === 'match') ? 'match' : 'mismatch', outputs);
    } finally {
      await endpoint.close();
    }
  } finally {
    await local.close();
  }
}
