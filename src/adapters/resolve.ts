// Picks the runtime adapter for a model path. Adapters are imported lazily so that a command
// never loads a runtime it does not use.
import { InferbenchError } from '../errors.js';
import type { RuntimeAdapter } from './adapter.js';

export async function resolveAdapter(modelPath: string): Promise<RuntimeAdapter> {
  const { onnxAdapter } = await import('./onnx.js');
  if (onnxAdapter.accepts(modelPath)) return onnxAdapter;
  throw new InferbenchError(
    'model-invalid',
    `cannot tell the runtime for '${modelPath}': inferbench reads ONNX models (.onnx)`,
    'export the model to ONNX (e.g. torch.onnx.export, tf2onnx) and pass the .onnx file',
  );
}
