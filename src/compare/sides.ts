// What `compare BASE HEAD` was given: two reports (compare them), or two models (measure them,
// paired). A report is JSON with `schemaVersion` and `trials`; a TF.js model.json is JSON too, so
// the extension alone cannot tell. A path that is neither clearly a model (.onnx, a directory, a
// TF.js model.json) nor clearly a report takes the other side's kind, so that its own reader
// (readReport or the runtime adapter) names what is wrong with it.
import { statSync } from 'node:fs';
import { InferbenchError } from '../errors.js';
import { readRegularText } from '../io/read-text.js';

export type SideKind = 'report' | 'model' | 'unknown';

export function sideKind(path: string): SideKind {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // missing: decided by the name below
  }
  if (isDirectory || /\.onnx$/i.test(path)) return 'model';
  if (!/\.json$/i.test(path)) return 'unknown';
  let parsed: unknown;
  try {
    parsed = JSON.parse(readRegularText(path)); // a FIFO is refused, not opened (it would block)
  } catch {
    return 'report'; // missing, not a regular file or not JSON: readReport names the problem
  }
  const object = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return 'modelTopology' in object || 'weightsManifest' in object ? 'model' : 'report';
}

export function sidesKind(base: string, head: string): 'reports' | 'models' {
  const [b, h] = [sideKind(base), sideKind(head)];
  if ((b === 'model' && h === 'report') || (b === 'report' && h === 'model')) {
    throw new InferbenchError('usage', `compare takes two reports or two models, not a ${b} (${base}) and a ${h} (${head})`, 'profile the model first (inferbench profile MODEL --json > head.json), or pass both models to measure them interleaved');
  }
  return b === 'report' || h === 'report' ? 'reports' : 'models';
}
