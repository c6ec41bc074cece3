// Child-process entry of a paired side: opens one model, builds its inputs, and runs what the
// parent asks for — the cold iteration, warm-up, the harness cost, blocks of k iterations —
// replying with the samples. It exits when the parent disconnects (or dies), so it never
// outlives the run.
import type { Session } from '../adapters/adapter.js';
import { resolveAdapter } from '../adapters/resolve.js';
import { isInferbenchError, messageOf } from '../errors.js';
import { withNpyShapes } from '../inputs/input-file.js';
import { resolveShapes } from '../inputs/shapes.js';
import { elapsedNs, now } from '../measure/clock.js';
import { sessionOptionsOf, batchOf } from '../sweep/run-spec.js';
import { prepareInputs, type TrialInputs } from '../sweep/trial-inputs.js';
import type { SideReply, SideRequest } from './child-protocol.js';
import { inProcessSide } from './in-process-side.js';
import type { PairedSide } from './paired-loop.js';

const reply = (message: SideReply): Promise<void> => new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

let session: Session | undefined;
let inputs: TrialInputs | undefined;
let side: PairedSide | undefined;

async function handle(request: SideRequest): Promise<SideReply> {
  switch (request.type) {
    case 'open': {
      const adapter = await resolveAdapter(request.path);
      const start = now();
      session = await adapter.open(request.path, sessionOptionsOf(request.spec));
      const loadMs = elapsedNs(start, now()) / 1e6;
      const pins = withNpyShapes(request.options.pins);
      const shapes = resolveShapes(session.info.inputs, pins, request.spec.batch);
      const batch = batchOf(session.info.inputs, shapes, pins.batchDim);
      inputs = await prepareInputs(session, shapes, batch ?? 1, pins, { ...request.options, signal: undefined });
      side = inProcessSide(inputs.driver);
      return { type: 'opened', info: session.info, backend: session.backend, shapes: [...shapes.entries()], hasLoad: inputs.driver.hasLoad, inputs: inputs.descriptions(), loadMs, batch };
    }
    case 'first':
      return { type: 'first', first: await opened().first() };
    case 'warmup':
      return { type: 'warmup', warmup: await opened().warmup(request.bound, undefined) };
    case 'harness':
      return { type: 'harness', us: await opened().harnessCostUs() };
    case 'block': {
      const s = opened();
      const from = s.recorder.count;
      const wallNs = await s.block(request.k);
      const stages = s.recorder.stages.map((stage) => s.recorder.samplesOf(stage).slice(from, s.recorder.count));
      // Only this block's samples are kept here; the parent's recorder holds the run.
      s.recorder.count = 0;
      return { type: 'block', block: { stages, wallNs } };
    }
    case 'close':
      await inputs?.close();
      await session?.close();
      return { type: 'closed' };
  }
}

function opened(): PairedSide {
  if (side === undefined) throw new Error('the side was not opened');
  return side;
}

process.on('disconnect', () => process.exit(0));
process.on('message', (request: SideRequest) => {
  handle(request).then(reply, (error: unknown) =>
    reply({ type: 'error', code: isInferbenchError(error) ? error.code : 'runtime-error', message: messageOf(error), ...(isInferbenchError(error) && error.hint && { hint: error.hint }) }),
  ).then(() => request.type === 'close' && process.disconnect());
});
