// Calibration for static int8: runs the fp32 model, augmented with a ReduceMin/ReduceMax per
// activation tensor (calibration-graph.ts), on every calibration input set and keeps each
// tensor's overall min and max — onnxruntime's MinMaxCalibrater without moving average
// (calibrate.py). Min-max is the method: it never clips a value seen in calibration, which keeps
// the drift bounded and explainable; percentile or entropy calibration clips outliers to narrow
// the range, which helps only when the calibration set is real data with rare outliers — on
// synthetic inputs there is nothing to learn from the tails, so they are not offered.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostTensor, RuntimeAdapter } from '../adapters/adapter.js';
import { tensorValues } from '../variants/accuracy.js';
import { calibrationGraph } from '../variants/calibration-graph.js';
import type { TensorRange } from '../variants/quantize-static.js';

/** Each activation tensor's [min, max] over all calibration sets. */
export async function calibrateRanges(adapter: RuntimeAdapter, modelBytes: Uint8Array, sets: readonly (readonly HostTensor[])[]): Promise<Map<string, TensorRange>> {
  const graph = calibrationGraph(modelBytes);
  const ranges = new Map<string, TensorRange>();
  if (graph.outputs.length === 0) return ranges; // nothing to quantize: no need to run the model
  const dir = mkdtempSync(join(tmpdir(), 'inferbench-calibrate-'));
  try {
    const path = join(dir, 'calibration.onnx');
    writeFileSync(path, graph.bytes);
    const session = await adapter.open(path, { device: 'cpu', intraOpThreads: null, interOpThreads: null, graphOptimization: 'all' });
    try {
      for (const set of sets) {
        const outputs = new Map(session.collect(await session.run(session.prepare(set))).map((t) => [t.name, t]));
        for (const { tensor, min, max } of graph.outputs) {
          const lo = scalar(outputs.get(min));
          const hi = scalar(outputs.get(max));
          // ±inf: an If branch this input set did not take (calibration-graph.ts); NaN: no range.
          if (!Number.isFinite(lo) || !Number.isFinite(hi)) continue;
          const known = ranges.get(tensor);
          ranges.set(tensor, { min: Math.min(lo, known?.min ?? lo), max: Math.max(hi, known?.max ?? hi) });
        }
      }
    } finally {
      await session.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return ranges;
}

/** The value of a scalar output (NaN when there is none); a tensor without a finite range gets none. */
function scalar(t: HostTensor | undefined): number {
  return (t ? tensorValues(t)[0] : undefined) ?? Number.NaN;
}
