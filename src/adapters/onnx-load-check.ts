// Whether onnxruntime loads a model held in memory: the check every generated precision variant
// passes before it is cached or measured (variants/validate-variant.ts). A session is created on
// the CPU with full graph optimization — what a trial does, so the QDQ fusions and constant
// folding that run at load are exercised too — and released at once.
import { messageOf } from '../errors.js';
import { cleanOrtMessage } from './ort-message.js';
import { loadOrt } from './ort.js';

/** null when onnxruntime loads `bytes`; otherwise its error message, first line, cleaned. */
export async function onnxLoadProblem(bytes: Uint8Array): Promise<string | null> {
  const ort = await loadOrt();
  try {
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1, logSeverityLevel: 4 });
    await session.release();
    return null;
  } catch (error) {
    return cleanOrtMessage(messageOf(error));
  }
}
