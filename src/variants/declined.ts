// A converter that cannot make a valid variant of a model says so with this error, and the sweep
// reports that precision as skipped with the reason (never as a failed, "model-invalid" trial):
// declining is a fact about the model (external data, an opset the converter cannot target),
// not a fault of the user's file.
import { externalTensors, type Graph } from './onnx-graph.js';

export class VariantDeclined extends Error {
  override readonly name = 'VariantDeclined';
  /** `reason` is one line that names what stopped the conversion, e.g. "fp16: opset 1 ...". */
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function isVariantDeclined(error: unknown): error is VariantDeclined {
  return error instanceof VariantDeclined;
}

/**
 * Declines a model that keeps tensors in external data files: the variant is written to the
 * variant cache, away from those files, and the converters read tensor data from the .onnx only.
 */
export function declineExternalData(graph: Graph, precision: string): void {
  const external = externalTensors(graph);
  if (external.length === 0) return;
  throw new VariantDeclined(`${precision}: the model keeps ${external.length} tensor(s) in external data files (e.g. '${external[0] ?? ''}'), which variant generation does not read; pass a converted file with --variant ${precision}=FILE`);
}
