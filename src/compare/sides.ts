// What `compare BASE HEAD` was given: two reports (compare them), or two models (measure them,
// paired). A report is a JSON file with `schemaVersion` and `trials`; a TF.js model.json is JSON
// too, so the extension alone cannot tell.
import { readFileSync, statSync } from 'node:fs';
import { InferbenchError } from '../errors.js';

export type SideKind = 'report' | 'model';

export function sideKind(path: string): SideKind {
  if (!/\.json$/i.test(path)) return 'model';
  let parsed: unknown;
  try {
    if (!statSync(path).isFile()) return 'model';
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return 'report'; // missing or not JSON: readReport names the problem
  }
  const object = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return 'modelTopology' in object || 'weightsManifest' in object ? 'model' : 'report';
}

export function sidesKind(base: string, head: string): 'reports' | 'models' {
  const kinds = [sideKind(base), sideKind(head)];
  if (kinds[0] !== kinds[1]) {
    throw new InferbenchError('usage', `compare takes two reports or two models, not a ${kinds[0]} (${base}) and a ${kinds[1]} (${head})`, 'profile the model first (inferbench profile MODEL --json > head.json), or pass both models to measure them interleaved');
  }
  return kinds[0] === 'report' ? 'reports' : 'models';
}
