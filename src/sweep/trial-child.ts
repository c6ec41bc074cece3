// Child-process entry for --isolate: runs exactly one trial and reports back over IPC.
import { resolveAdapter } from '../adapters/resolve.js';
import { isInferbenchError } from '../errors.js';
import type { ChildMessage, ChildRequest } from './isolate.js';
import { availableParallelism } from 'node:os';
import { startSampler } from '../sample/sampler.js';
import { runSpec } from './run-spec.js';
import { Fp32Reference } from './variants.js';

const send = (message: ChildMessage): Promise<void> =>
  new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

process.once('message', async (request: ChildRequest) => {
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort()); // the parent forwards Ctrl-C: finish and report
  try {
    const { spec, variant, options } = request;
    const adapter = await resolveAdapter(spec.model);
    const reference = spec.precision === 'fp32' ? null : new Fp32Reference(adapter, spec.model);
    const sampler = options.sample ? startSampler({ intervalMs: options.sampleIntervalMs }) : null;
    await sampler?.ready();
    try {
      const context = { variant, reference, sampler, logicalCores: availableParallelism() };
      const outcome = await runSpec(adapter, spec, context, { ...options, signal: controller.signal }, {
        onPhase: (_spec, phase, iterations, elapsedMs) => void send({ type: 'phase', phase, iterations, elapsedMs }),
      });
      await send({ type: 'result', outcome });
    } finally {
      await reference?.close();
      await sampler?.stop();
    }
  } catch (error) {
    if (!isInferbenchError(error)) throw error; // a bug: crash loudly, the parent records the exit
    await send({ type: 'error', error: { code: error.code, message: error.message, ...(error.hint && { hint: error.hint }) } });
  }
  process.disconnect();
});
