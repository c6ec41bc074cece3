// Child-process entry of a paired run: opens the sides it is given (one with --isolate, both in
// duet mode), builds their inputs, and runs what the parent asks of a side — the cold iteration,
// warm-up, the harness cost, blocks of k iterations — replying with the samples. It exits when
// the parent disconnects (or dies), so it never outlives the run.
import type { Session } from '../adapters/adapter.js';
import { resolveAdapter } from '../adapters/resolve.js';
import { isInferbenchError, messageOf } from '../errors.js';
import { withNpyShapes } from '../inputs/input-file.js';
import { resolveShapes } from '../inputs/shapes.js';
import { pinsFor } from '../inputs/side-pins.js';
import { elapsedNs, now } from '../measure/clock.js';
import { sessionOptionsOf, batchOf } from '../sweep/run-spec.js';
import { prepareInputs, type TrialInputs } from '../sweep/trial-inputs.js';
import type { SideName, SideReply, SideRequest } from './child-protocol.js';
import { inProcessSide, type InProcessSide } from './in-process-side.js';

const reply = (message: SideReply): Promise<void> => new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

interface OpenSide {
  session: Session;
  inputs: TrialInputs;
  side: InProcessSide;
}

const sides = new Map<SideName, OpenSide>();
/** Set by 'stop-fill', which overtakes the queue; the duet filler checks it after each iteration. */
let fillStopped = false;

/** The reply to a request, or null when it was sent already (a block with a filler after it). */
async function handle(request: Exclude<SideRequest, { type: 'stop-fill' }>): Promise<SideReply | null> {
  switch (request.type) {
    case 'open': {
      const adapter = await resolveAdapter(request.path);
      const start = now();
      const session = await adapter.open(request.path, sessionOptionsOf(request.spec));
      const loadMs = elapsedNs(start, now()) / 1e6;
      // The pins that concern this side's inputs; the parent checks that each names one of either side.
      const pins = pinsFor(session.info.inputs, withNpyShapes(request.options.pins));
      const shapes = resolveShapes(session.info.inputs, pins, request.spec.batch);
      const batch = batchOf(session.info.inputs, shapes, pins.batchDim);
      const inputs = await prepareInputs(session, shapes, batch ?? 1, pins, { ...request.options, signal: undefined });
      sides.set(request.side, { session, inputs, side: inProcessSide(inputs.driver) });
      return { type: 'opened', info: session.info, backend: session.backend, shapes: [...shapes.entries()], hasLoad: inputs.driver.hasLoad, inputs: inputs.descriptions(), loadMs, batch };
    }
    case 'first':
      return { type: 'first', first: await opened(request.side).first() };
    case 'warmup':
      return { type: 'warmup', warmup: await opened(request.side).warmup(request.bound, undefined) };
    case 'harness':
      return { type: 'harness', us: await opened(request.side).harnessCostUs() };
    case 'block': {
      const s = opened(request.side);
      fillStopped = false;
      await s.unrecorded(() => true); // re-warm after the wait for this request
      const wallNs = await s.block(request.k);
      const stages = s.recorder.stages.map((stage) => s.recorder.samplesOf(stage).slice(0, s.recorder.count));
      // Only this block's samples are kept here; the parent's recorder holds the run.
      s.recorder.count = 0;
      if (!request.fill) return { type: 'block', block: { stages, wallNs } };
      await reply({ type: 'block', block: { stages, wallNs } });
      await s.unrecorded(() => fillStopped);
      return null;
    }
    case 'close':
      for (const { inputs, session } of sides.values()) {
        await inputs.close();
        await session.close();
      }
      return { type: 'closed' };
  }
}

function opened(name: SideName): InProcessSide {
  const open = sides.get(name);
  if (open === undefined) throw new Error(`the ${name} side was not opened`);
  return open.side;
}

process.on('disconnect', () => process.exit(0));
// The parent decides when a run stops: on SIGINT/SIGTERM/SIGHUP it finishes the current block and
// closes this child. A terminal's Ctrl-C or a closed terminal reaches the whole process group, so
// here they are ignored rather than killing a side mid-block (which read as that side failing).
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, () => undefined);
// A parent that vanished while this event loop was busy in a long synchronous step (session
// creation) is caught by its pid changing, as in trial-child.ts.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(1);
}, 500).unref();
// One request at a time, in order: a block's filler runs until 'stop-fill', and the next request waits for it.
let queue = Promise.resolve();
process.on('message', (request: SideRequest) => {
  if (request.type === 'stop-fill') {
    fillStopped = true;
    return;
  }
  queue = queue
    .then(() => handle(request))
    .then(
      (answer) => answer && reply(answer),
      (error: unknown) => reply({ type: 'error', code: isInferbenchError(error) ? error.code : 'runtime-error', message: messageOf(error), ...(isInferbenchError(error) && error.hint && { hint: error.hint }) }),
    )
    .then(() => {
      if (request.type === 'close') process.disconnect();
    });
});
