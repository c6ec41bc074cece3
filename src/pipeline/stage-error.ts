// A pipeline that throws is reported with the pipeline, the stage and the input that failed:
//   pipeline ./p.js failed in preprocess on data/cat.jpg: Cannot read properties of undefined
// The code is kept when the pipeline threw an InferbenchError (a built-in's 'usage' stays usage);
// anything else is 'input-invalid' — the user's data or module, not an inferbench bug.
import { InferbenchError, isInferbenchError, messageOf } from '../errors.js';
import type { PipelineStage } from './types.js';

/** The paths of a batch's items, shortened to the first three. */
export function describeItems(paths: readonly string[]): string {
  if (paths.length <= 3) return paths.join(', ');
  return `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

export function pipelineFailure(pipeline: string, stage: PipelineStage, where: string | null, error: unknown): InferbenchError {
  const on = where ? ` on ${where}` : '';
  const message = `pipeline ${pipeline} failed in ${stage}${on}: ${messageOf(error)}`;
  if (isInferbenchError(error)) return new InferbenchError(error.code, message, error.hint);
  return new InferbenchError('input-invalid', message, `fix the pipeline's ${stage} step, or the input it names`);
}

/** Runs one pipeline step, rethrowing what it throws as a pipelineFailure. */
export async function runStage<T>(pipeline: string, stage: PipelineStage, where: string | null, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw pipelineFailure(pipeline, stage, where, error);
  }
}
