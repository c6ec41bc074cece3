// Picks the runtime adapter for a model path. Adapters are imported lazily so that a command
// never loads a runtime it does not use. A missing path fails here, before any trial starts.
import { InferbenchError } from '../errors.js';
import type { RuntimeAdapter } from './adapter.js';
import { checkModelPath } from './model-path.js';
import { isRemoteTarget } from './remote-url.js';

export { checkModelPath } from './model-path.js';

export async function resolveAdapter(modelPath: string): Promise<RuntimeAdapter> {
  // An endpoint URL (http://…/v2/models/NAME, grpc://…, …/v1/models/NAME) instead of a file.
  if (isRemoteTarget(modelPath)) return (await import('./remote.js')).remoteAdapter;
  await checkModelPath(modelPath);
  const { onnxAdapter } = await import('./onnx.js');
  if (onnxAdapter.accepts(modelPath)) return onnxAdapter;
  // tf.js loads no tfjs at import: accepts() only looks at the path (model.json, SavedModel dir).
  const { tfAdapter } = await import('./tf.js');
  if (tfAdapter.accepts(modelPath)) return tfAdapter;
  throw new InferbenchError(
    'model-invalid',
    `cannot tell the runtime for '${modelPath}': inferbench reads ONNX models (.onnx), TensorFlow.js models (model.json) and TensorFlow SavedModel directories`,
    'export the model to ONNX (e.g. torch.onnx.export, tf2onnx), or pass a TensorFlow.js model.json or a SavedModel directory',
  );
}
