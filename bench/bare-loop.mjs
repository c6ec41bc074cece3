// The loop a user would write from the onnxruntime-node docs, with one output handling: the
// baseline bench/large-outputs.mjs and bench/large-outputs-loop.mjs hold inferbench against.
import ort from 'onnxruntime-node';

/** One float32 input at the model's shape (dynamic dims 1), filled with sin(i). */
export function syntheticInput(meta) {
  const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  return { dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i)) };
}

/**
 * A bare session of `model` fed one synthetic input: run() is one request (into preallocated
 * outputs for `fetches`), handle() does to its outputs what `--outputs handling` does.
 */
export async function bareLoop(model, handling, threads = 1) {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
  const meta = session.inputMetadata[0];
  const { dims, data } = syntheticInput(meta);
  const feeds = { [meta.name]: new ort.Tensor('float32', data, dims) };
  let fetches = null;
  let kept = null;
  if (handling === 'fetches') {
    const first = await session.run(feeds);
    fetches = Object.fromEntries(Object.entries(first).map(([k, t]) => [k, new ort.Tensor(t.type, new t.data.constructor(t.data.length), t.dims)]));
  }
  return {
    run: () => (fetches ? session.run(feeds, fetches) : session.run(feeds)),
    handle(out) {
      if (handling === 'dispose') for (const name in out) out[name].dispose();
      else if (handling === 'reuse') kept = out;
    },
    release() {
      kept = null;
      return session.release();
    },
  };
}

export function median(values) {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
