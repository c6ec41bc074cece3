// Child-process entry for --isolate: runs exactly one trial and reports back over IPC.
import { resolveAdapter } from '../adapters/resolve.js';
import { isInferbenchError } from '../errors.js';
import type { ChildMessage, ChildRequest } from './isolate.js';
import { availableParallelism } from 'node:os';
import { startSampler } from '../sample/sampler.js';
import { runSpec } from './run-spec.js';
import { Fp32Reference } from './variants.js';

// The child dies with its parent. When the parent goes (SIGKILL, a crash, `timeout -s KILL`),
// the IPC channel closes and 'disconnect' fires: exit at once rather than keep a core busy as an
// orphan under PID 1, skewing every later benchmark on the machine. Linux's PR_SET_PDEATHSIG is
// not reachable from Node; the channel is. The ppid poll catches a parent that vanished while
// the event loop was busy in a long synchronous step (session creation).
let finished = false;
process.on('disconnect', () => {
  if (!finished) process.exit(1);
});
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(1);
}, 500).unref();

const send = (message: ChildMessage): Promise<void> =>
  new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

process.once('message', async (request: ChildRequest) => {
  const controller = new AbortController();
  // The parent forwards a stop as SIGINT; a terminal's Ctrl-C or a closed terminal reaches the
  // whole process group, and `kill` may name the child: each means finish and report.
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, () => controller.abort());
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
  finished = true;
  process.disconnect();
});
