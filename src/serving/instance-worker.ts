// One model instance: a session in its own worker thread. onnxruntime-node's `session.run` holds
// its calling thread until the result is ready (src/measure/load-worker.ts found two runs "in
// flight" on one thread gave 1.0× the throughput of one), so the arrival driver and the batcher
// cannot share a thread with an instance. Each batch: stack the requests (preprocess), run
// (inference), collect and split the outputs back per request (postprocess), each timed here on
// this thread; the hops to and from this thread are the caller's `crossing`.
import { parentPort, workerData } from 'node:worker_threads';
import { resolveAdapter } from '../adapters/resolve.js';
import type { HostTensor } from '../adapters/adapter.js';
import { messageOf } from '../errors.js';
import type { InstanceMessage, InstanceRequest, InstanceWorkerData } from './instance-protocol.js';
import { splitOutputs, stackRequests } from './stack.js';

async function main(data: InstanceWorkerData): Promise<void> {
  const port = parentPort!;
  const post = (message: InstanceMessage, transfer: ArrayBuffer[] = []): void => {
    try {
      port.postMessage(message, transfer);
    } catch {
      port.postMessage(message); // a runtime-owned buffer that cannot move: copied instead
    }
  };
  try {
    const adapter = await resolveAdapter(data.model);
    const session = await adapter.open(data.model, data.session);
    const axes = new Map(data.batchAxes);
    // One batch at a time: the batcher never sends a second before the first is done.
    port.on('message', (request: InstanceRequest) => {
      void (async () => {
        try {
          const t0 = performance.now();
          const feeds = session.prepare(stackRequests(request.payloads, axes));
          const t1 = performance.now();
          const outputs = await session.run(feeds);
          const t2 = performance.now();
          const results = splitOutputs(session.collect(outputs), request.counts);
          const t3 = performance.now();
          post({ type: 'done', id: request.id, results, stagesMs: { preprocess: t1 - t0, inference: t2 - t1, postprocess: t3 - t2 } }, transferable(results));
        } catch (error) {
          post({ type: 'error', id: request.id, message: messageOf(error) });
        }
      })();
    });
    port.once('close', () => void session.close());
    post({ type: 'ready', backend: session.backend });
  } catch (error) {
    post({ type: 'error', id: null, message: messageOf(error) });
  }
}

/** The outputs' own buffers move to the main thread instead of being copied (each is used once). */
function transferable(results: HostTensor[][]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const list of results)
    for (const t of list)
      if (!Array.isArray(t.data) && t.data.buffer instanceof ArrayBuffer && t.data.byteLength === t.data.buffer.byteLength) buffers.add(t.data.buffer);
  return [...buffers];
}

void main(workerData as InstanceWorkerData);
